"""Verifying the audit chain: every stored event's HMAC covers the one before it in its stream.

An edited event no longer matches its HMAC, a removed one leaves a gap in the versions or a link
that points nowhere, and a stream cut short is shorter than the dossier summary says. Erasing
personal data changes nothing stored: the chain still verifies.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Engine, select

from app.eventstore import EventStoreApplication, link
from app.projecting import active_generation
from projections.tables import tables

PAGE = 1000


@dataclass(frozen=True)
class Breach:
    stream_id: UUID
    version: int
    problem: str


@dataclass
class Report:
    streams: int = 0
    events: int = 0
    breaches: list[Breach] = field(default_factory=list)
    last: dict[UUID, tuple[int, str]] = field(default_factory=dict, repr=False)

    @property
    def valid(self) -> bool:
        return not self.breaches


def check(report: Report, audit_key: bytes, rows: Iterable[StoredEvent]) -> Report:
    """Walk stored events in order, stream by stream, and note every broken link."""
    for row in rows:
        stream = (
            row.originator_id if isinstance(row.originator_id, UUID) else UUID(row.originator_id)
        )
        version, previous = report.last.get(stream, (0, ""))
        if stream not in report.last:
            report.streams += 1
        report.events += 1
        try:
            envelope = json.loads(row.state)
            prev, mac, data = envelope["prev"], envelope["mac"], envelope["data"]
        except (ValueError, KeyError, TypeError):
            report.breaches.append(Breach(stream, row.originator_version, "unreadable"))
            continue
        if row.originator_version != version + 1:
            report.breaches.append(
                Breach(stream, row.originator_version, f"follows version {version}: a gap")
            )
        if prev != previous:
            report.breaches.append(
                Breach(stream, row.originator_version, "does not link to the event before it")
            )
        if link(audit_key, row, prev, data) != mac:
            report.breaches.append(
                Breach(stream, row.originator_version, "changed since it was written")
            )
        report.last[stream] = (row.originator_version, mac)
    return report


def _cut_short(report: Report, engine: Engine, only: UUID | None = None) -> None:
    """A dossier whose summary has seen more events than its stream holds has lost its tail."""
    with engine.connect() as connection:
        summary, _ = tables("dossiers", active_generation(connection, "dossiers"))
        query = select(summary.c.id, summary.c.version)
        if only is not None:
            query = query.where(summary.c.id == only)
        for dossier_id, seen in connection.execute(query):
            held = report.last.get(dossier_id, (0, ""))[0]
            if seen > held:
                report.breaches.append(
                    Breach(dossier_id, held + 1, f"missing: the summary saw version {seen}")
                )


def verify_stream(application: EventStoreApplication, engine: Engine, stream_id: UUID) -> Report:
    rows = application.recorder.select_events(stream_id)
    report = check(Report(), application.audit_key, rows)
    _cut_short(report, engine, only=stream_id)
    return report


def verify_store(application: EventStoreApplication, engine: Engine) -> Report:
    report, position = Report(), 0
    while rows := application.recorder.select_notifications(
        position, PAGE, inclusive_of_start=False
    ):
        check(report, application.audit_key, rows)
        position = rows[-1].id
    _cut_short(report, engine)
    return report
