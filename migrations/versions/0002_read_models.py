"""Read models: dossier summary and aids, commission view, catastrophe envelopes.

Two generations of each (a, b): readers use the active one, a rebuild fills the other.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 01:34:11.041323
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catastrophe_envelopes_a",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("regions", sa.String(length=400), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("envelope_cents", sa.BigInteger(), nullable=False),
        sa.Column("used_cents", sa.BigInteger(), nullable=False),
        sa.Column("grants", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "catastrophe_envelopes_b",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("regions", sa.String(length=400), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("envelope_cents", sa.BigInteger(), nullable=False),
        sa.Column("used_cents", sa.BigInteger(), nullable=False),
        sa.Column("grants", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "commission_sessions_a",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_table(
        "commission_sessions_b",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_table(
        "commission_view_a",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("anonymous_code", sa.String(length=20), nullable=False),
        sa.Column("session_reference", sa.String(length=60), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("session_status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("session_id", "anonymous_code"),
    )
    op.create_index(
        "ix_commission_view_a_region", "commission_view_a", ["region", "session_date"], unique=False
    )
    op.create_table(
        "commission_view_b",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("anonymous_code", sa.String(length=20), nullable=False),
        sa.Column("session_reference", sa.String(length=60), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("session_status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("session_id", "anonymous_code"),
    )
    op.create_index(
        "ix_commission_view_b_region", "commission_view_b", ["region", "session_date"], unique=False
    )
    op.create_table(
        "dossier_aids_a",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("aid", sa.String(length=4), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=False),
        sa.Column("proposed_cents", sa.BigInteger(), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("dossier_id", "aid"),
    )
    op.create_table(
        "dossier_aids_b",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("aid", sa.String(length=4), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=False),
        sa.Column("proposed_cents", sa.BigInteger(), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("dossier_id", "aid"),
    )
    op.create_table(
        "dossier_summary_a",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("aids", sa.String(length=40), nullable=False),
        sa.Column("activity_kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("status_before_documents", sa.String(length=40), nullable=True),
        sa.Column("status_before_presentation", sa.String(length=40), nullable=True),
        sa.Column("outstanding_documents", sa.Text(), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=False),
        sa.Column("proposed_cents", sa.BigInteger(), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_month", sa.String(length=7), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("opinion", sa.String(length=20), nullable=True),
        sa.Column("session_reference", sa.String(length=60), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("delegated", sa.Boolean(), nullable=False),
        sa.Column("complete_since", sa.Date(), nullable=False),
        sa.Column("implicit_rejection_date", sa.Date(), nullable=True),
        sa.Column("anonymous_code", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_dossier_summary_a_filed", "dossier_summary_a", ["filed_at", "id"], unique=False
    )
    op.create_index("ix_dossier_summary_a_region", "dossier_summary_a", ["region"], unique=False)
    op.create_index(
        "ix_dossier_summary_a_silence",
        "dossier_summary_a",
        ["implicit_rejection_date"],
        unique=False,
    )
    op.create_index("ix_dossier_summary_a_status", "dossier_summary_a", ["status"], unique=False)
    op.create_table(
        "dossier_summary_b",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("aids", sa.String(length=40), nullable=False),
        sa.Column("activity_kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("status_before_documents", sa.String(length=40), nullable=True),
        sa.Column("status_before_presentation", sa.String(length=40), nullable=True),
        sa.Column("outstanding_documents", sa.Text(), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=False),
        sa.Column("proposed_cents", sa.BigInteger(), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_month", sa.String(length=7), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("opinion", sa.String(length=20), nullable=True),
        sa.Column("session_reference", sa.String(length=60), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("delegated", sa.Boolean(), nullable=False),
        sa.Column("complete_since", sa.Date(), nullable=False),
        sa.Column("implicit_rejection_date", sa.Date(), nullable=True),
        sa.Column("anonymous_code", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_dossier_summary_b_filed", "dossier_summary_b", ["filed_at", "id"], unique=False
    )
    op.create_index("ix_dossier_summary_b_region", "dossier_summary_b", ["region"], unique=False)
    op.create_index(
        "ix_dossier_summary_b_silence",
        "dossier_summary_b",
        ["implicit_rejection_date"],
        unique=False,
    )
    op.create_index("ix_dossier_summary_b_status", "dossier_summary_b", ["status"], unique=False)
    op.create_table(
        "projection_positions",
        sa.Column("projection", sa.String(length=40), nullable=False),
        sa.Column("generation", sa.String(length=1), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("projection", "generation"),
    )
    op.create_table(
        "projection_state",
        sa.Column("projection", sa.String(length=40), nullable=False),
        sa.Column("active", sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint("projection"),
    )
    projections = ("dossiers", "commission", "envelopes")
    op.bulk_insert(
        sa.table("projection_state", sa.column("projection"), sa.column("active")),
        [{"projection": p, "active": "a"} for p in projections],
    )
    op.bulk_insert(
        sa.table(
            "projection_positions",
            sa.column("projection"),
            sa.column("generation"),
            sa.column("position"),
        ),
        [{"projection": p, "generation": g, "position": 0} for p in projections for g in "ab"],
    )


def downgrade() -> None:
    op.drop_table("projection_state")
    op.drop_table("projection_positions")
    op.drop_index("ix_dossier_summary_b_status", table_name="dossier_summary_b")
    op.drop_index("ix_dossier_summary_b_silence", table_name="dossier_summary_b")
    op.drop_index("ix_dossier_summary_b_region", table_name="dossier_summary_b")
    op.drop_index("ix_dossier_summary_b_filed", table_name="dossier_summary_b")
    op.drop_table("dossier_summary_b")
    op.drop_index("ix_dossier_summary_a_status", table_name="dossier_summary_a")
    op.drop_index("ix_dossier_summary_a_silence", table_name="dossier_summary_a")
    op.drop_index("ix_dossier_summary_a_region", table_name="dossier_summary_a")
    op.drop_index("ix_dossier_summary_a_filed", table_name="dossier_summary_a")
    op.drop_table("dossier_summary_a")
    op.drop_table("dossier_aids_b")
    op.drop_table("dossier_aids_a")
    op.drop_index("ix_commission_view_b_region", table_name="commission_view_b")
    op.drop_table("commission_view_b")
    op.drop_index("ix_commission_view_a_region", table_name="commission_view_a")
    op.drop_table("commission_view_a")
    op.drop_table("commission_sessions_b")
    op.drop_table("commission_sessions_a")
    op.drop_table("catastrophe_envelopes_b")
    op.drop_table("catastrophe_envelopes_a")
