"""Settings from the environment (and a `.env` file in the working directory), checked at start.

A wrong value must stop the bot before it serves anyone, with one line naming the setting:
a time zone that does not exist used to be accepted and then kill the reminder loop while
the bot kept answering, as if reminders still worked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import data_dir
from bot.i18n import LANGUAGES
from bot.reminders import QuietHours

TELEGRAM_API = "https://api.telegram.org/bot"
SQLITE_PREFIX = "sqlite:///"
#: What libpq accepts (`postgresql+psycopg://` is SQLAlchemy's, not a libpq URL).
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_QUIET_HOURS = re.compile(r"(\d{1,2})-(\d{1,2})")
_PASSWORD = re.compile(r"^([a-z]+://[^:/@?#]*:)[^@/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&]*")
#: Never shown, neither in an error line nor in the settings' repr.
_SECRET = {"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET", "TRANSCRIPTION_API_KEY"}
#: Not in the repr either: a PostgreSQL URL may hold a password (error lines mask it).
_NOT_IN_REPR = {*_SECRET, "DATABASE_URL"}


class InvalidSettings(ValueError):
    """Bad settings; `str()` is one line per bad setting, ready for standard error."""


def _setting(name: str, default: Any, expected: str) -> Any:
    """A field read from the environment variable `name`; `expected` is what the error says."""
    return Field(default, alias=name, description=expected, repr=name not in _NOT_IN_REPR)


class Settings(BaseSettings):
    """Every setting the bot reads; names are the public environment variables."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        env_ignore_empty=True,  # `TELEGRAM_BOT_TOKEN=` in .env.example means "not set"
        populate_by_name=False,
    )

    telegram_token: Annotated[str | None, _setting("TELEGRAM_BOT_TOKEN", None, "a bot token")]
    telegram_api_base_url: Annotated[
        str,
        _setting("TELEGRAM_API_BASE_URL", TELEGRAM_API, "an http:// or https:// URL"),
    ]
    database_url: Annotated[
        str,
        _setting(
            "DATABASE_URL",
            "sqlite:///data/bot.sqlite3",
            "sqlite:///relative/path, sqlite:////absolute/path"
            " or postgresql://user:password@host:port/database",
        ),
    ]
    default_language: Annotated[
        str, _setting("DEFAULT_LANGUAGE", "fr", f"one of {', '.join(LANGUAGES)}")
    ]
    log_level: Annotated[str, _setting("LOG_LEVEL", "INFO", f"one of {', '.join(LOG_LEVELS)}")]
    log_user_text: Annotated[
        bool, _setting("LOG_USER_TEXT", False, "true or false (true only to debug locally)")
    ]
    webhook_url: Annotated[
        str | None, _setting("WEBHOOK_URL", None, "an https:// URL ending in /telegram")
    ]
    webhook_secret: Annotated[
        str | None,
        _setting("WEBHOOK_SECRET", None, "1 to 256 characters among A-Z, a-z, 0-9, _ and -"),
    ]
    webhook_listen: Annotated[
        str, _setting("WEBHOOK_LISTEN", "127.0.0.1", "an address to listen on, e.g. 127.0.0.1")
    ]
    webhook_port: Annotated[
        int, _setting("WEBHOOK_PORT", 8443, "a port number from 1 to 65535"), Field(ge=1, le=65535)
    ]
    personas_dir: Annotated[
        Path, _setting("PERSONAS_DIR", data_dir("personas"), "a folder of persona files")
    ]
    personas_skip_invalid: Annotated[bool, _setting("PERSONAS_SKIP_INVALID", True, "true or false")]
    retention_days: Annotated[
        int,
        _setting("RETENTION_DAYS", 180, "a whole number of days, at least 1 (e.g. 180)"),
        Field(ge=1),
    ]
    quiet_hours: Annotated[
        str,
        _setting(
            "QUIET_HOURS",
            f"{QuietHours.start}-{QuietHours.end}",
            "two hours from 0 to 23 as START-END (e.g. 21-8)",
        ),
    ]
    time_zone: Annotated[
        str, _setting("TIME_ZONE", QuietHours.zone, "an IANA time zone such as Europe/Paris")
    ]
    reminder_check_seconds: Annotated[
        float,
        _setting("REMINDER_CHECK_SECONDS", 60, "a number of seconds above 0 (e.g. 60)"),
        Field(gt=0, allow_inf_nan=False),
    ]

    transcription_url: Annotated[
        str | None,
        _setting(
            "TRANSCRIPTION_URL",
            None,
            "an http:// or https:// URL of an OpenAI-compatible speech-to-text server",
        ),
    ]
    transcription_model: Annotated[
        str, _setting("TRANSCRIPTION_MODEL", "whisper-1", "a model name the server knows")
    ]
    transcription_api_key: Annotated[
        str | None, _setting("TRANSCRIPTION_API_KEY", None, "the server's API key")
    ]

    @field_validator("telegram_api_base_url", "webhook_url", "transcription_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if value.startswith(POSTGRES_SCHEMES):
            import psycopg  # only for PostgreSQL users
            from psycopg.conninfo import conninfo_to_dict

            try:
                conninfo_to_dict(value)
            except psycopg.ProgrammingError:
                raise ValueError("not a PostgreSQL URL") from None
            return value
        if not value.startswith(SQLITE_PREFIX) or value == SQLITE_PREFIX:
            raise ValueError("not a SQLite URL")
        return value

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        base = value.strip().replace("_", "-").split("-")[0].lower()
        if base not in LANGUAGES:
            raise ValueError("unknown language")
        return base

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError("unknown level")
        return value.strip().upper()

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        # What Telegram accepts for secret_token; anything else fails at setWebhook.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("bad secret")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        match = _QUIET_HOURS.fullmatch(value.strip())
        if not match or not all(0 <= int(hour) <= 23 for hour in match.groups()):
            raise ValueError("bad hours")
        return value.strip()

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """The settings of `env`, or of the environment and `./.env` (the environment wins).

        Raises `InvalidSettings` naming every bad setting and what it expects.
        """
        try:
            if env is None:
                return cls(_env_file=Path.cwd() / ".env", _env_file_encoding="utf-8")
            return cls.model_validate({k: v for k, v in env.items() if v != ""})
        except ValidationError as exc:
            raise InvalidSettings(_explain(exc)) from None

    @classmethod
    def env_names(cls) -> set[str]:
        """The environment variables the settings read."""
        return {str(field.alias) for field in cls.model_fields.values()}

    @property
    def telegram_file_base_url(self) -> str:
        """Where files (voice notes) are downloaded from: Telegram serves them under
        `/file/bot<token>/` next to the API's `/bot<token>/`, self-hosted servers too."""
        base = self.telegram_api_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base.removesuffix("/bot") + "/file/bot"
        return base + "/file/bot"

    @property
    def postgres(self) -> bool:
        """`DATABASE_URL` names a PostgreSQL database (else a SQLite file)."""
        return self.database_url.startswith(POSTGRES_SCHEMES)

    @property
    def database(self) -> Path | str:
        """What `bot.storage.open_database` opens: the PostgreSQL URL, or the SQLite file."""
        return self.database_url if self.postgres else self.database_path

    @property
    def database_path(self) -> Path:
        """The SQLite file of `DATABASE_URL` (`sqlite:///relative` or `sqlite:////absolute`)."""
        path = Path(self.database_url[len(SQLITE_PREFIX) :])
        return path if path.is_absolute() else Path.cwd() / path


def redact(url: str) -> str:
    """The URL without its password (`postgresql://user:***@host/db`), fit for a log line."""
    return _QUERY_PASSWORD.sub(r"\1***", _PASSWORD.sub(r"\1***@", url))


def _explain(exc: ValidationError) -> str:
    """One line per bad setting: its name, the value (unless secret) and what is expected."""
    by_alias = {field.alias: field for field in Settings.model_fields.values()}
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        field = by_alias.get(name)
        reason = f"expected {field.description if field else 'a valid value'}"
        shown = "" if name in _SECRET else f"={redact(str(error.get('input')))}"
        lines.append(f"Invalid setting {name}{shown}: {reason}.")
    return "\n".join(lines)
