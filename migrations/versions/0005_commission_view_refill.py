"""The commission view names each row's dossier (never answered) and is refilled from the events.

Its rows held the summaries' text as computed then: the reviewer's findings, blacked out by a
filter that missed third parties, streets without their number and diagnoses. The view now
stores the summary as the commission may read it (a text of old withheld), and finds an erased
dossier's rows by its id, since the anonymous code is keyed and no longer derived from it. The
rows are emptied here and the projection refills them from the first event when it next runs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 03:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENERATIONS = ("a", "b")


def _refill() -> None:
    """Empty the commission view; its projection starts again from the first event."""
    for generation in GENERATIONS:
        op.execute(sa.text(f"DELETE FROM commission_view_{generation}"))
        op.execute(sa.text(f"DELETE FROM commission_sessions_{generation}"))
    op.execute(
        sa.text("UPDATE projection_positions SET position = 0 WHERE projection = 'commission'")
    )


def upgrade() -> None:
    for generation in GENERATIONS:
        with op.batch_alter_table(f"commission_view_{generation}") as table:
            table.add_column(sa.Column("dossier_id", sa.Uuid(), nullable=True))
    _refill()


def downgrade() -> None:
    for generation in GENERATIONS:
        with op.batch_alter_table(f"commission_view_{generation}") as table:
            table.drop_column("dossier_id")
    _refill()
