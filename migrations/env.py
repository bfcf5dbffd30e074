"""Alembic environment: the database comes from the service's settings, never from alembic.ini."""

from typing import Any

from alembic import context
from sqlalchemy import Engine, create_engine, event, text

import app.store.tables  # noqa: F401  (registers the tables kept beside the event store)
from app.settings import Settings
from app.store.files import private_sqlite_database
from migrations.env_filters import include_name
from projections.tables import metadata


def all_or_nothing_on_sqlite(engine: Engine) -> None:
    """Make pysqlite run DDL inside the migration's transaction (SQLite can roll DDL back), so
    that a migration that fails half-way leaves the schema as it was."""

    @event.listens_for(engine, "connect")
    def no_implicit_transactions(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def run_migrations_online() -> None:
    settings: Settings = context.config.attributes.get("settings") or Settings()
    context.config.attributes["settings"] = settings
    schema = settings.database_schema if settings.is_postgres else ""
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    if not settings.is_postgres:
        private_sqlite_database(settings.sqlite_path)  # owner-only before SQLite opens it
    engine = create_engine(settings.sqlalchemy_url(), connect_args=connect_args)
    if not settings.is_postgres:
        all_or_nothing_on_sqlite(engine)
    with engine.connect() as connection:
        if schema:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema or None,
            include_name=include_name,
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run against a database")
run_migrations_online()
