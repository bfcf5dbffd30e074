"""Alembic owns the schema: `alembic upgrade head` or `action-sociale migrate` builds it."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import POSTGRES_URL
from sqlalchemy import create_engine

from app.settings import Settings
from app.store.eventstore import open_event_store
from app.store.migrate import alembic_config, migrate
from migrations.env_filters import include_name
from projections.tables import metadata

ROOT = Path(__file__).parent.parent


def test_alembic_upgrade_head_creates_the_event_store_on_a_fresh_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": url}
    alembic = [sys.executable, "-m", "alembic", "upgrade", "head"]
    subprocess.run(alembic, cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"stored_events", "dossier_summary_a", "projection_positions"} <= tables
    assert version == (ScriptDirectory.from_config(alembic_config(Settings())).get_current_head(),)


def test_migrating_again_changes_nothing_and_keeps_the_events(settings: Settings) -> None:
    application = open_event_store(settings)
    try:
        before = application.recorder.max_notification_id()
        migrate(settings)
        assert application.recorder.max_notification_id() == before
    finally:
        application.close()


def test_no_migration_drops_the_event_store(settings: Settings) -> None:
    from alembic import command

    with pytest.raises(RuntimeError, match="no migration drops it"):
        command.downgrade(alembic_config(settings), "base")
    test_the_read_tables_match_their_definitions(settings)  # the refused downgrade undid all


def test_the_embedded_store_is_created_with_its_folder(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/not/yet/there.sqlite3")
    migrate(settings)
    assert (tmp_path / "not" / "yet" / "there.sqlite3").exists()


def test_the_read_tables_match_their_definitions(settings: Settings) -> None:
    """What alembic built is what the projections define: nothing for autogenerate to add."""
    schema = settings.database_schema if settings.is_postgres else ""
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    engine = create_engine(settings.sqlalchemy_url(), connect_args=connect_args)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_name": include_name})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_migrating_postgresql_needs_no_secret() -> None:
    """The release step creates tables; only the service needs the deployment's secrets."""
    schema = f"migrate_{uuid4().hex[:8]}"
    settings = Settings(database_url=POSTGRES_URL, database_schema=schema)
    try:
        migrate(settings)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
