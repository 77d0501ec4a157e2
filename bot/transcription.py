"""Speech to text for voice notes, through an OpenAI-compatible transcription endpoint.

A rehearsal of a spoken meeting invites speaking. Any server that implements OpenAI's
`POST /v1/audio/transcriptions` does: OpenAI itself, a local faster-whisper server
(speaches), whisper.cpp's `whisper-server` started with
`--inference-path /v1/audio/transcriptions --convert`. Nothing here knows Telegram: the
channel downloads the audio and gives the bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

PATH = "/audio/transcriptions"


class TranscriptionError(Exception):
    """The server could not be reached or gave no transcript; `str()` says why, in a few
    words fit for a log line (never the audio's content)."""


def endpoint(url: str) -> str:
    """The transcription endpoint of `url`, which may be the server (`http://host:8000`),
    its API root (`…/v1`) or the endpoint itself."""
    url = url.rstrip("/")
    if url.endswith(PATH):
        return url
    if url.endswith("/v1"):
        return url + PATH
    return url + "/v1" + PATH


@dataclass(frozen=True)
class Transcriber:
    """A client of one transcription endpoint."""

    url: str
    model: str = "whisper-1"
    api_key: str | None = None
    #: A voice note is a line of dialogue, seconds long; a server slower than this is down.
    timeout: float = 60.0

    @classmethod
    def from_settings(cls, settings) -> Transcriber | None:
        """The transcriber `TRANSCRIPTION_URL` configures, or None when it is not set."""
        if not settings.transcription_url:
            return None
        return cls(
            endpoint(settings.transcription_url),
            settings.transcription_model,
            settings.transcription_api_key,
        )

    async def transcribe(
        self, audio: bytes, *, filename: str = "voice.ogg", language: str | None = None
    ) -> str:
        """The text spoken in `audio` (possibly empty); `language` ("fr", "en") helps the
        model and saves it guessing from the first seconds."""
        data = {"model": self.model, "response_format": "json"}
        if language:
            data["language"] = language
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            # One client per note: voice notes are rare next to text, and a client kept
            # open would need closing at shutdown for nothing.
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(
                    self.url,
                    data=data,
                    files={"file": (filename, audio, "audio/ogg")},
                    headers=headers,
                )
        except httpx.HTTPError as exc:
            raise TranscriptionError(type(exc).__name__) from None
        if response.status_code != 200:
            raise TranscriptionError(f"HTTP {response.status_code}")
        try:
            text = response.json()["text"]
        except (ValueError, KeyError, TypeError):
            raise TranscriptionError("no text in the answer") from None
        if not isinstance(text, str):
            raise TranscriptionError("no text in the answer")
        return " ".join(text.split())
