"""Settings from the environment (and an optional `.env` file), read once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

from bot import data_dir
from bot.i18n import normalize_language

TELEGRAM_API = "https://api.telegram.org/bot"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    telegram_token: str | None
    telegram_api_base_url: str
    database_url: str
    default_language: str
    log_level: str
    webhook_url: str | None
    webhook_secret: str | None
    webhook_listen: str
    webhook_port: int
    personas_dir: Path
    personas_skip_invalid: bool
    retention_days: int
    quiet_hours: str
    time_zone: str
    reminder_check_seconds: float

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        if env is None:
            load_dotenv(Path(".env"), override=False)  # the folder the bot is started from
            env = dict(os.environ)
        return cls(
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or TELEGRAM_API,
            database_url=env.get("DATABASE_URL") or "sqlite:///data/bot.sqlite3",
            default_language=normalize_language(env.get("DEFAULT_LANGUAGE"), "fr"),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            webhook_listen=env.get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=int(env.get("WEBHOOK_PORT") or 8443),
            personas_dir=Path(env.get("PERSONAS_DIR") or data_dir("personas")),
            personas_skip_invalid=_flag(env.get("PERSONAS_SKIP_INVALID", "true")),
            retention_days=int(env.get("RETENTION_DAYS") or 180),
            quiet_hours=env.get("QUIET_HOURS") or "21-8",
            time_zone=env.get("TIME_ZONE") or "Europe/Paris",
            reminder_check_seconds=float(env.get("REMINDER_CHECK_SECONDS") or 60),
        )

    @property
    def database_path(self) -> Path:
        """The SQLite file of `DATABASE_URL` (`sqlite:///relative` or `sqlite:////absolute`)."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            raise ValueError(f"DATABASE_URL must start with {prefix!r}: only SQLite is supported")
        path = Path(self.database_url[len(prefix) :])
        return path if path.is_absolute() else Path.cwd() / path
