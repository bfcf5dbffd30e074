"""Verifying the audit chain: every stored event's HMAC covers the one before it in its stream.

An edited event no longer matches its HMAC, a removed one leaves a gap in the versions or a link
that points nowhere, and a stream cut short (or removed whole) no longer reaches its sealed head
nor what the dossier summary saw. Erasing
personal data changes nothing stored: the chain still verifies.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Engine, select

from app.store.eventstore import EventStoreApplication, link
from app.store.recorders import head_seal
from app.store.tables import stream_heads
from projections.tables import active_generation, tables

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


def _heads(report: Report, engine: Engine, audit_key: bytes, only: UUID | None) -> None:
    """Every stream ends exactly at its sealed head: the head is written in the transaction of
    the events, so a stream short of it lost events, one past it gained some written outside
    the service, and one without a head was written outside it whole."""
    query = select(stream_heads)
    if only is not None:
        query = query.where(stream_heads.c.stream_id == only)
    with engine.connect() as connection:
        heads = list(connection.execute(query))
    for head in heads:
        if head.seal != head_seal(audit_key, head.stream_id, head.version, head.mac):
            report.breaches.append(Breach(head.stream_id, head.version, "its head was forged"))
            continue
        held, mac = report.last.get(head.stream_id, (0, ""))
        if held < head.version:
            report.breaches.append(
                Breach(head.stream_id, held + 1, f"missing: the stream reached {head.version}")
            )
        elif held > head.version:
            report.breaches.append(
                Breach(head.stream_id, head.version + 1, "written past the stream's sealed head")
            )
        elif mac != head.mac:
            report.breaches.append(
                Breach(head.stream_id, held, "is not the event the stream ended with")
            )
    headed = {head.stream_id for head in heads}
    for stream_id in report.last.keys() - headed:
        report.breaches.append(Breach(stream_id, 1, "has no sealed head"))


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
    _heads(report, engine, application.audit_key, only=stream_id)
    _cut_short(report, engine, only=stream_id)
    return report


def verify_store(application: EventStoreApplication, engine: Engine) -> Report:
    report, position = Report(), 0
    while rows := application.recorder.select_notifications(
        position, PAGE, inclusive_of_start=False
    ):
        check(report, application.audit_key, rows)
        position = rows[-1].id
    _heads(report, engine, application.audit_key, only=None)
    _cut_short(report, engine)
    return report
