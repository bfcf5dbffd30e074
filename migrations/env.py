"""Alembic environment: the database comes from the service's settings, never from alembic.ini."""

from typing import Any

from alembic import context
from sqlalchemy import create_engine, text

from app.settings import Settings

# The event store's own tables are created by revision 0001 with the library's DDL; they have no
# SQLAlchemy model, so autogenerate must not propose to drop them.
EVENT_STORE_TABLES = {"stored_events", "actionsociale_events"}


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    return not (type_ == "table" and name in EVENT_STORE_TABLES)


def run_migrations_online() -> None:
    settings: Settings = context.config.attributes.get("settings") or Settings()
    context.config.attributes["settings"] = settings
    schema = settings.database_schema if settings.is_postgres else ""
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    if not settings.is_postgres:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.sqlalchemy_url(), connect_args=connect_args)
    with engine.connect() as connection:
        if schema:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=None,
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
