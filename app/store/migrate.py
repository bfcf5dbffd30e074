"""Bring the database's schema to the latest alembic revision."""

from pathlib import Path

from alembic import command
from alembic.config import Config

import migrations
from app.settings import Settings


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["settings"] = settings
    return config


def migrate(settings: Settings) -> None:
    command.upgrade(alembic_config(settings), "head")
