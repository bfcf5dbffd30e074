"""Settings, read from the environment (or a .env file) once per process."""

import json
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from limits import parse
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/action-sociale.sqlite3"

# The Urssaf regions and overseas CGSS where a dossier can be filed. Reference data: a deployment
# replaces the list with REGIONS='["..."]' rather than editing code.
DEFAULT_REGIONS = (
    "auvergne-rhone-alpes",
    "bourgogne-franche-comte",
    "bretagne",
    "centre-val-de-loire",
    "corse",
    "grand-est",
    "hauts-de-france",
    "ile-de-france",
    "normandie",
    "nouvelle-aquitaine",
    "occitanie",
    "pays-de-la-loire",
    "provence-alpes-cote-d-azur",
    "guadeloupe",
    "martinique",
    "guyane",
    "la-reunion",
    "mayotte",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="sqlite:///path/to/file.sqlite3 (embedded) or postgresql://user@host:port/db",
    )
    database_schema: str = Field("", description="PostgreSQL schema holding every table")
    database_pool_size: int = Field(5, ge=1, le=100, description="PostgreSQL connections")
    # read by the validator below, so that text that is not JSON is a problem named like the
    # others (pydantic-settings would raise on it before any validation)
    regions: Annotated[tuple[str, ...], NoDecode] = DEFAULT_REGIONS
    auth_secret: str | None = Field(
        None, description="Shared secret of HS256 tokens (development); a file of data/ if unset"
    )
    auth_public_key: str | None = Field(
        None, description="PEM public key of the identity provider's tokens (production)"
    )
    audit_key: str | None = Field(
        None, description="Secret the audit chain is sealed with (HMAC); a file of data/ if unset"
    )
    key_encryption_key: str | None = Field(
        None, description="Secret the dossiers' keys are wrapped with; a file of data/ if unset"
    )
    erasure_after_days: int = Field(
        730,
        ge=90,
        description="Personal data is erased this long after a dossier's last event",
    )
    access_log_retention_days: int = Field(365, description="How long the access log is kept")
    auth_issuer: str = "action-sociale"
    auth_audience: str = "action-sociale-api"
    projections_embedded: bool = Field(
        True,
        description="Keep the projections up to date in the API process (else run the worker: "
        "`action-sociale projections run`)",
    )
    graceful_shutdown_seconds: int = Field(
        30,
        ge=0,
        le=3600,
        description="On SIGTERM, how long requests in flight may take to finish (a read may "
        "wait 30 s for its view) before they are cut",
    )
    rulebook_file: Path | None = Field(
        None, description="JSON file of the aids' figures (ceilings, ages, periods, quorum)"
    )
    auth_leeway_seconds: int = Field(
        10, ge=0, le=60, description="Clock skew allowed on a token's exp, iat and nbf"
    )
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, description="Largest request body taken; larger ones answer 413"
    )
    read_waits_per_caller: int = Field(
        5, ge=1, description="Read-your-writes waits one caller may hold at once (per process)"
    )
    rate_limit: str = Field(
        "600/minute", description="Requests one authenticated caller (token subject) may make"
    )
    rate_limit_unauthenticated: str = Field(
        "60/minute", description="Requests without a valid token one client address may make"
    )
    rate_limit_storage_url: str = Field(
        "memory://", description="memory:// (one process) or redis://host:port (shared)"
    )
    rate_limit_key_prefix: str = Field(
        "action-sociale", description="Prefix of the rate limits' keys in the shared store"
    )
    metrics_token: str | None = Field(
        None,
        description="A static bearer credential a Prometheus scraper may read GET /metrics with "
        "(at least 32 bytes); unset, /metrics answers admin tokens only",
    )
    ready_max_projection_lag_events: int = Field(
        10_000,
        ge=0,
        description="GET /health/ready answers 503 while a projection is more events than this "
        "behind the store (0: not checked)",
    )
    ready_max_projection_lag_seconds: float = Field(
        30,
        ge=0,
        description="GET /health/ready answers 503 while a projection has not applied an event "
        "older than this (0: not checked)",
    )

    @field_validator("regions", mode="before")
    @classmethod
    def _a_json_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ValueError('a JSON list of region codes, such as ["bretagne"]') from None
        if isinstance(value, list | tuple) and not value:
            raise ValueError("at least one region")
        return value

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _a_rate_store(cls, value: str) -> str:
        parts = urlsplit(value)
        if value == "memory://" or (parts.scheme in ("redis", "rediss") and parts.hostname):
            return value
        raise ValueError("memory:// or redis://host:port")

    @field_validator("rate_limit", "rate_limit_unauthenticated")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError:
            raise ValueError('a rate such as "600/minute" or "10/second"') from None
        return value

    log_format: Literal["json", "console"] = Field(
        "json", description="json: one JSON object per line; console: plain lines for a person"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="The least severe level written"
    )
    forwarded_allow_ips: str = Field(
        "",
        description="Comma-separated addresses of the reverse proxies whose X-Forwarded-For is "
        "believed (the client address rate limits count by); none by default",
    )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        return Path(unquote(urlsplit(self.database_url).path[1:]))

    def sqlalchemy_url(self) -> str:
        """The same database, spelled for SQLAlchemy and alembic (psycopg 3 driver)."""
        if self.is_postgres:
            return "postgresql+psycopg://" + self.database_url.split("://", 1)[1]
        return self.database_url

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's configuration for this database.

        Tables are created by the migration step, never by a running web process.
        """
        if not self.is_postgres:
            if not self.database_url.startswith("sqlite:///"):
                raise ValueError(f"unsupported DATABASE_URL {self.database_url!r}")
            from app.store.files import private_sqlite_database

            private_sqlite_database(self.sqlite_path)  # owner-only before SQLite opens it
            return {
                "PERSISTENCE_MODULE": "app.store.database:SecureDeleteSQLiteFactory",
                # writes a command's keys, heads and access entries in the events' transaction
                "APPLICATION_RECORDER_TOPIC": "app.store.recorders:SQLiteRecorder",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "10",
                "CREATE_TABLE": "n",
            }
        url = urlsplit(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/"),
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": self.database_schema,
            "POSTGRES_POOL_SIZE": str(self.database_pool_size),
            # the library's insert function would skip the hook that writes a command's keys,
            # heads and access entries in the events' transaction (pipelined, as fast)
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "APPLICATION_RECORDER_TOPIC": "app.store.recorders:PostgresRecorder",
            "POSTGRES_LOCK_TIMEOUT": "5",
            # a database that stops answering is told within seconds (the library retries a
            # read ten times; a connection the database dropped is one of those retries, so no
            # ping before each use: it would cost a round trip per statement)
            "POSTGRES_CONNECT_TIMEOUT": "1",
            # connections beyond the pool's size are made at once when callers wait: after an
            # outage, the first request connects again, not the pool's next try (up to a minute
            # later once it backed off)
            "POSTGRES_MAX_OVERFLOW": str(self.database_pool_size),
            "CREATE_TABLE": "n",
        }
