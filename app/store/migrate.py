"""Bring the database's schema to the latest alembic revision, and say whether it is there."""

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

import migrations
from app.settings import Settings

SCRIPTS = str(Path(migrations.__file__).parent)  # the folder of the migrations


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["settings"] = settings
    return config


def migrate(settings: Settings) -> None:
    command.upgrade(alembic_config(settings), "head")


@functools.cache
def release_revisions() -> frozenset[str]:
    """The head revision(s) of this release's migrations (read once per process)."""
    return frozenset(ScriptDirectory(SCRIPTS).get_heads())


def schema_revisions(connection: Connection) -> frozenset[str]:
    """The revision(s) the database's schema was migrated to (none: never migrated)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())
