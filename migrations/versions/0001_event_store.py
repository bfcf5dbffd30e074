"""The event store's tables, created with the eventsourcing library's own DDL.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import context, op

from app.store.eventstore import event_store_ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for statement in event_store_ddl(context.config.attributes["settings"]):
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the event store is the record of every dossier: no migration drops it")
