"""Catastrophe envelopes: what each event's fund has granted, and what remains."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from domain import catastrophe as c
from projections.base import Change, Row, cents, load_rows, replace_rows
from projections.tables import tables


@dataclass(frozen=True)
class Envelopes:
    name: str = "envelopes"

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        mine = [change for change in changes if isinstance(change.event, c.EVENT_TYPES)]
        if not mine:
            return
        [table] = tables(self.name, generation)
        ids = {change.stream_id for change in mine}
        rows = load_rows(connection, table, "id", ids)
        for change in mine:
            rows[change.stream_id] = evolve(rows.get(change.stream_id), change.event)
        replace_rows(connection, table, "id", ids, list(rows.values()))


def evolve(row: Row | None, event: c.Event) -> Row:
    match event:
        case c.CatastropheOpened():
            return {
                "id": event.catastrophe_id,
                "name": event.name,
                "regions": " ".join(event.regions),
                "start": event.start,
                "end": event.end,
                "envelope_cents": cents(event.envelope),
                "used_cents": 0,
                "grants": 0,
                "is_open": True,
            }
    assert row is not None, "a catastrophe's first event is CatastropheOpened"
    match event:
        case c.EnvelopeDrawn():
            used = row["used_cents"] + cents(event.amount)
            return row | {"used_cents": used, "grants": row["grants"] + 1}
        case c.CatastropheClosed():
            return row | {"is_open": False}
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover
