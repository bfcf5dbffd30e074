"""The read tables, defined once for SQLAlchemy and alembic.

Amounts are whole cents (BigInteger): exact on every database, and in sums.

Each projection has two generations of its tables, `_a` and `_b`: readers use the active one
while a rebuild fills the other, then the switch is one committed row. A projection's position
(the last store notification it applied) is written in the same transaction as its rows.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    select,
)

metadata = MetaData()
GENERATIONS = ("a", "b")

projection_state = Table(
    "projection_state",
    metadata,
    Column("projection", String(40), primary_key=True),
    Column("active", String(1), nullable=False),
)
projection_positions = Table(
    "projection_positions",
    metadata,
    Column("projection", String(40), primary_key=True),
    Column("generation", String(1), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


# The list's sorts and the index each reads, named ix_dossier_summary_<generation>_<key>.
SORT_INDEXES = {
    "filed": "filed_at",
    "reference": "reference",
    "requested": "requested_cents",
    "decided": "decided_at",
    "position": "position",
}
# The list's filters on one column (the aid filter reads `aids`: projections.queries.aid_lists).
FILTER_INDEXES = ("status", "region", "outcome", "aids")


def _dossier_summary(generation: str) -> Table:
    name = f"dossier_summary_{generation}"
    return Table(
        name,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("reference", String(40), nullable=False),
        Column("region", String(60), nullable=False),
        Column("aids", String(40), nullable=False),  # "ACED AFE", for the list and the CSV
        Column("activity_kind", String(40), nullable=False),
        Column("status", String(40), nullable=False),
        Column("status_before_documents", String(40)),
        Column("status_before_presentation", String(40)),
        Column("outstanding_documents", Text, nullable=False, default=""),
        Column("requested_cents", BigInteger, nullable=False),
        Column("proposed_cents", BigInteger),
        Column("granted_cents", BigInteger),
        Column("filed_at", DateTime, nullable=False),  # in UTC
        Column("filed_month", String(7), nullable=False),  # "2026-03", for the dashboards
        Column("reviewed_at", DateTime),
        Column("decided_at", DateTime),
        Column("notified_at", DateTime),
        Column("reviewer", String(100)),
        Column("opinion", String(20)),
        Column("session_reference", String(60)),
        Column("outcome", String(40)),
        Column("delegated", Boolean, nullable=False, default=False),
        Column("complete_since", Date, nullable=False),
        Column("implicit_rejection_date", Date),
        Column("anonymous_code", String(20)),
        Column("version", Integer, nullable=False),
        Column("position", BigInteger, nullable=False),
        # One index per sort, on (key, id) as the keyset pagination reads it, and one per
        # filter of a single column, followed by the default order: a page of the work queue
        # is read from an index, never sorted from the whole table (migration 0007).
        *(Index(f"ix_{name}_{key}", column, "id") for key, column in SORT_INDEXES.items()),
        *(Index(f"ix_{name}_{c}", c, "filed_at", "id") for c in FILTER_INDEXES),
        Index(f"ix_{name}_silence", "implicit_rejection_date"),
    )


def _dossier_aids(generation: str) -> Table:
    name = f"dossier_aids_{generation}"
    return Table(
        name,
        metadata,
        Column("dossier_id", Uuid, primary_key=True),
        Column("aid", String(4), primary_key=True),
        Column("requested_cents", BigInteger, nullable=False),
        Column("proposed_cents", BigInteger),
        Column("granted_cents", BigInteger),
    )


def _commission_view(generation: str) -> Table:
    name = f"commission_view_{generation}"
    return Table(
        name,
        metadata,
        Column("session_id", Uuid, primary_key=True),
        Column("anonymous_code", String(20), primary_key=True),
        Column("session_reference", String(60), nullable=False),
        Column("region", String(60), nullable=False),
        Column("session_date", Date, nullable=False),
        Column("session_status", String(20), nullable=False),
        Column("summary", Text),  # the summary as the commission reads it, as JSON
        Column("dossier_id", Uuid),  # never answered: to forget an erased dossier's text
        Column("outcome", String(40)),
        Column("granted_cents", BigInteger),
        Index(f"ix_{name}_region", "region", "session_date"),
    )


def _sessions(generation: str) -> Table:
    """The sessions the commission view needs to name its rows (no agenda of its own)."""
    return Table(
        f"commission_sessions_{generation}",
        metadata,
        Column("session_id", Uuid, primary_key=True),
        Column("reference", String(60), nullable=False),
        Column("region", String(60), nullable=False),
        Column("session_date", Date, nullable=False),
        Column("status", String(20), nullable=False),
    )


def _envelopes(generation: str) -> Table:
    return Table(
        f"catastrophe_envelopes_{generation}",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("name", String(200), nullable=False),
        Column("regions", String(400), nullable=False),
        Column("start", Date, nullable=False),
        Column("end", Date, nullable=False),
        Column("envelope_cents", BigInteger, nullable=False),
        Column("used_cents", BigInteger, nullable=False),
        Column("grants", Integer, nullable=False),
        Column("is_open", Boolean, nullable=False),
    )


TABLES = {
    "dossiers": (_dossier_summary, _dossier_aids),
    "commission": (_commission_view, _sessions),
    "envelopes": (_envelopes,),
}
GENERATION_TABLES: dict[tuple[str, str], tuple[Table, ...]] = {
    (projection, generation): tuple(make(generation) for make in makers)
    for projection, makers in TABLES.items()
    for generation in GENERATIONS
}


def tables(projection: str, generation: str) -> tuple[Table, ...]:
    return GENERATION_TABLES[(projection, generation)]


def active_generation(connection: Connection, projection: str) -> str:
    query = select(projection_state.c.active).where(projection_state.c.projection == projection)
    generation: str = connection.execute(query).scalar_one()
    return generation


def position_of(connection: Connection, projection: str, generation: str) -> int:
    query = select(projection_positions.c.position).where(
        projection_positions.c.projection == projection,
        projection_positions.c.generation == generation,
    )
    position: int = connection.execute(query).scalar_one()
    return position
