"""Alembic owns the schema: `alembic upgrade head` or `action-sociale migrate` builds it."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.eventstore import open_event_store
from app.migrate import alembic_config, migrate
from app.settings import Settings

ROOT = Path(__file__).parent.parent


def test_alembic_upgrade_head_creates_the_event_store_on_a_fresh_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": url}
    alembic = [sys.executable, "-m", "alembic", "upgrade", "head"]
    subprocess.run(alembic, cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert "stored_events" in tables
    assert version == ("0001",)


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


def test_the_embedded_store_is_created_with_its_folder(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/not/yet/there.sqlite3")
    migrate(settings)
    assert (tmp_path / "not" / "yet" / "there.sqlite3").exists()
