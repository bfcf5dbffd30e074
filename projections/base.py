"""What every projection shares: the changes it reads, and replacing the rows a batch touched."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Connection, Table, delete, insert, select


@dataclass(frozen=True)
class Change:
    """One event at its place in the store: its position, stream and version."""

    position: int
    stream_id: UUID
    version: int
    event: Any


class Projector(Protocol):
    """Keeps some read tables from the changes, one batch (one transaction) at a time."""

    @property
    def name(self) -> str:
        """The projection's name, as `projections rebuild NAME` and the positions know it."""

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        """Apply a batch of changes, in store order, to the tables of the generation."""


Row = dict[str, Any]


def utc(moment: datetime) -> datetime:
    """Moments are kept in UTC, naive: SQLite keeps no time zone, and they must sort alike."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def cents(amount: Decimal) -> int:
    """An amount of euros as whole cents: exact in every database and in every sum."""
    return int(amount * 100)


def load_all(connection: Connection, table: Table, key: str, keys: Iterable[Any]) -> list[Row]:
    """The rows whose `key` is one of `keys`."""
    wanted = list(set(keys))
    if not wanted:
        return []
    rows = connection.execute(select(table).where(table.c[key].in_(wanted))).mappings()
    return [dict(row) for row in rows]


def load_rows(
    connection: Connection, table: Table, key: str, keys: Iterable[Any]
) -> dict[Any, Row]:
    """The rows whose `key` is one of `keys`, by key (one row per key)."""
    return {row[key]: row for row in load_all(connection, table, key, keys)}


def replace_rows(
    connection: Connection, table: Table, key: str, keys: Iterable[Any], rows: Sequence[Row]
) -> None:
    """Replace every row of `keys` with `rows`: the batch's outcome, written at once."""
    wanted = list(set(keys))
    if wanted:
        connection.execute(delete(table).where(table.c[key].in_(wanted)))
    if rows:
        connection.execute(insert(table), [storable(row) for row in rows])


def storable(row: Row) -> Row:
    """The row with every NUL of its texts replaced: PostgreSQL refuses NUL in text, and one
    event holding one (the API refuses them; older events may not) must not stop the view."""
    return {k: v.replace("\x00", "\ufffd") if isinstance(v, str) else v for k, v in row.items()}
