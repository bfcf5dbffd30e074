"""The tables the service keeps beside the event store: the dossiers' keys and the access log.

Both are owned by alembic (revision 0003) like the read models, in the same metadata.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Uuid,
)

from projections.tables import metadata

dossier_keys = Table(
    "dossier_keys",
    metadata,
    Column("dossier_id", Uuid, primary_key=True),
    Column("key", LargeBinary),  # NULL once erased: the dossier's personal data is unreadable
    Column("created_at", DateTime, nullable=False),
    Column("erased_at", DateTime),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(60), nullable=False),
    Column("record_id", Uuid),
    Column("reason", String(500)),
    Index("ix_access_log_record", "record_id", "at"),
    Index("ix_access_log_actor", "actor", "at"),
)

# The last version of every stream, sealed with the audit key: a stream cut short, or removed
# whole, no longer reaches the head it had (written after each append).
stream_heads = Table(
    "stream_heads",
    metadata,
    Column("stream_id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("mac", String(64), nullable=False),
    Column("seal", String(64), nullable=False),
)

# A fingerprint of each secret that seals data (an HMAC of a fixed text, never the secret): a
# process given another secret than the one the data was sealed with is refused at start.
key_checks = Table(
    "key_checks",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(64), nullable=False),
)
