"""The work queue's indexes: one per sort on (key, id), one per filter followed by the default
order (the aid filter reads the summary's `aids`). A page of the list, however deep, is read
from an index.

The single-column status and region indexes become (status, filed_at, id) and (region,
filed_at, id) under the same names: a filter reads its rows already in filing order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENERATIONS = ("a", "b")
SORTS = {
    "reference": "reference",
    "requested": "requested_cents",
    "decided": "decided_at",
    "position": "position",
}
FILTERS = ("status", "region", "outcome", "aids")
REPLACED = ("status", "region")  # single-column indexes of 0002, widened under their names


def upgrade() -> None:
    for generation in GENERATIONS:
        table = f"dossier_summary_{generation}"
        for column in REPLACED:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        for key, column in SORTS.items():
            op.create_index(f"ix_{table}_{key}", table, [column, "id"])
        for column in FILTERS:
            op.create_index(f"ix_{table}_{column}", table, [column, "filed_at", "id"])


def downgrade() -> None:
    for generation in GENERATIONS:
        table = f"dossier_summary_{generation}"
        for column in FILTERS:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        for key in SORTS:
            op.drop_index(f"ix_{table}_{key}", table_name=table)
        for column in REPLACED:
            op.create_index(f"ix_{table}_{column}", table, [column])
