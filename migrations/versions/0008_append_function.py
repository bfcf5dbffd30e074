"""PostgreSQL: a command's whole append as one function, called in one round trip.

Everything a command writes — the access-log entries of its answer, a new dossier's key, the
sealed heads of the streams it moves, the keys an erasure destroys, and its events under the
event store's table lock, with the store's notification — in one statement, so one
transaction, and one message to the server. The library's pipelined insert took four round
trips and most of a command's CPU in psycopg's pipeline machinery; its own insert function
writes only events. An access log that refuses its entries raises SQLSTATE AS001, so that the
caller tells it from any other failure. The function's search_path is the schema it is made
in. SQLite has nothing to make: its appends are in process.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND = """
CREATE OR REPLACE FUNCTION actionsociale_append(
    event_ids uuid[], event_versions bigint[], event_topics text[], event_states bytea[],
    access_at timestamp[], access_actors text[], access_roles text[], access_actions text[],
    access_records uuid[], access_reasons text[], access_lock_timeout text,
    key_ids uuid[], key_keys bytea[], key_created timestamp[],
    head_ids uuid[], head_versions integer[], head_macs text[], head_seals text[],
    erased_ids uuid[], erased_at timestamp, events_lock_timeout text
) RETURNS SETOF bigint
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $body$
BEGIN
    IF cardinality(access_at) > 0 THEN
        PERFORM set_config('lock_timeout', access_lock_timeout, true);
        BEGIN
            INSERT INTO access_log (at, actor, role, action, record_id, reason)
            SELECT * FROM unnest(
                access_at, access_actors, access_roles, access_actions, access_records,
                access_reasons
            );
        EXCEPTION WHEN OTHERS THEN
            RAISE EXCEPTION 'the access log refused the entry: %', SQLERRM
                USING ERRCODE = 'AS001';
        END;
    END IF;
    PERFORM set_config('lock_timeout', events_lock_timeout, true);
    LOCK TABLE actionsociale_events IN EXCLUSIVE MODE;
    NOTIFY actionsociale_events;
    INSERT INTO dossier_keys (dossier_id, "key", created_at)
    SELECT * FROM unnest(key_ids, key_keys, key_created);
    INSERT INTO stream_heads AS h (stream_id, version, mac, seal)
    SELECT * FROM unnest(head_ids, head_versions, head_macs, head_seals)
    ON CONFLICT (stream_id) DO UPDATE SET
        version = excluded.version, mac = excluded.mac, seal = excluded.seal
    WHERE h.version < excluded.version;
    UPDATE dossier_keys SET "key" = NULL, erased_at = actionsociale_append.erased_at
    WHERE dossier_id = ANY(erased_ids) AND dossier_keys.erased_at IS NULL;
    RETURN QUERY
    INSERT INTO actionsociale_events AS t (originator_id, originator_version, topic, state)
    SELECT * FROM unnest(event_ids, event_versions, event_topics, event_states)
    RETURNING t.notification_id;
END;
$body$
"""


def upgrade() -> None:
    if context.config.attributes["settings"].is_postgres:
        op.execute(APPEND)


def downgrade() -> None:
    if context.config.attributes["settings"].is_postgres:
        op.execute("DROP FUNCTION actionsociale_append")
