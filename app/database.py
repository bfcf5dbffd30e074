"""The SQL side of the store (read models, keys, access log) and the secrets of a deployment."""

import secrets

from sqlalchemy import Engine, create_engine

from app.settings import Settings


def sql_engine(settings: Settings) -> Engine:
    """The SQLAlchemy engine of the tables beside the events (in the same database).

    Its errors and logs never show a statement's parameters: they are the caller's input, and
    may be personal data."""
    if settings.is_postgres:
        schema = settings.database_schema
        connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
        return create_engine(
            settings.sqlalchemy_url(),
            connect_args=connect_args,
            pool_size=settings.database_pool_size,
            pool_pre_ping=True,
            hide_parameters=True,
        )
    return create_engine(
        settings.sqlalchemy_url(), connect_args={"timeout": 15}, hide_parameters=True
    )


def local_secret(settings: Settings, given: str | None, name: str) -> str:
    """A secret from the settings; with the embedded store and none given, one made once for
    this machine in the data folder (a production store must be given its secrets)."""
    if given:
        return given
    if settings.is_postgres:
        raise RuntimeError(f"set {name.upper().replace('-', '_')} for a PostgreSQL deployment")
    path = settings.sqlite_path.parent / f"dev-{name}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
