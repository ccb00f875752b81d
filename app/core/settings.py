"""Settings read from the environment (and an optional `.env`), in one place."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

#: The checkout (or installed tree) root: `var/`, `seeds/`, `templates/` live here.
ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = ROOT / "var"
SUPPORTED_DRIVERS = ("sqlite", "postgresql")


class SettingsError(ValueError):
    """A setting has a value Parley cannot use; the message is one line for a person."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PARLEY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default=f"sqlite:///{VAR_DIR / 'parley.db'}",
        description="SQLAlchemy URL of the database: a SQLite file, or postgresql+psycopg://…",
    )
    secret_key: str = Field(
        default="",
        description="Signs session cookies and form tokens; generated into var/ when unset.",
    )
    site_title: str = Field(default="Parley", description="The name shown on every page.")
    allow_suggestions: bool = Field(
        default=False, description="Let visitors suggest events at /suggest for review."
    )
    response_cache_mb: int = Field(
        default=64,
        ge=0,
        description="Memory per worker for whole answers of the event reads, kept while "
        "nothing is written; 0 turns the cache off.",
    )
    seeds_dir: Path = Field(default=ROOT / "seeds", description="Where `parley seed` reads.")

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                f"PARLEY_DATABASE_URL is not a database URL: {value!r} "
                "(expected sqlite:///path/to/file.db or postgresql+psycopg://user@host/db)"
            ) from None
        if url.get_backend_name() not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"PARLEY_DATABASE_URL uses {url.get_backend_name()!r}; "
                "Parley runs on sqlite or postgresql"
            )
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            # psycopg 3 is the driver we install; plain postgresql:// would ask for psycopg2.
            value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return value

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once into var/ for development."""
        if self.secret_key:
            return self.secret_key
        path = VAR_DIR / "secret_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def load_settings() -> Settings:
    """Settings from the environment, with a one-line error instead of a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = "PARLEY_" + "_".join(str(part) for part in error["loc"]).upper()
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(message if message.startswith("PARLEY_") else f"{field}: {message}")
        raise SettingsError("; ".join(lines)) from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()
