"""The dossiers' keys (erasing personal data destroys one) and the append-only access log.

The access log refuses any update, and any deletion of an entry younger than six months (the
shortest retention the CNIL accepts); `action-sociale access-log purge` removes older ones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 01:57:03.057439
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_log_actor", "access_log", ["actor", "at"], unique=False)
    op.create_index("ix_access_log_record", "access_log", ["record_id", "at"], unique=False)
    op.create_table(
        "dossier_keys",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("dossier_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'DELETE'
                   OR OLD.at > now() AT TIME ZONE 'UTC' - interval '6 months' THEN
                    RAISE EXCEPTION 'the access log is append-only';
                END IF;
                RETURN OLD;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
            "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER access_log_no_early_delete BEFORE DELETE ON access_log "
            "WHEN old.at > datetime('now', '-6 months') "
            "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_log_no_truncate ON access_log")
        op.execute("DROP TRIGGER access_log_append_only ON access_log")
        op.execute("DROP FUNCTION access_log_append_only()")
    op.drop_table("dossier_keys")
    op.drop_index("ix_access_log_record", table_name="access_log")
    op.drop_index("ix_access_log_actor", table_name="access_log")
    op.drop_table("access_log")
