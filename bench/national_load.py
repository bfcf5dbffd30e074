"""A national year in the store, loaded in bulk through the real domain.

Dossiers are filed month by month in every region and taken along realistic paths (documents
asked for and received, review, anonymisation, a CASS session of their region, its decision,
the notification; some withdrawn or still under way), with the sessions that decide them
(scheduled, members signed in, opened, each decision recorded, closed) and one dossier of
1 000 events (documents asked for and received again and again). Every event is decided by its
aggregate's decider; many dossiers go in one transaction of the application's `save`, which
seals each dossier's personal data with its own key, chains the events and writes the streams'
heads and the new keys beside them.
"""

import multiprocessing
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from types import ModuleType
from typing import Any
from uuid import UUID

from projection_catchup import filing, review

from app.services.dossiers import DossierService, reference_for
from app.settings import DEFAULT_REGIONS, Settings
from app.store.eventstore import Chain, EventStoreApplication, Recorded, open_event_store
from domain import cass_session, dossier
from domain.dossier import SessionFacts
from domain.errors import RuleViolation
from domain.rulebook import Rulebook, add_months
from domain.values import Aid, AidAmount, DocumentKind, NotificationChannel, Outcome

YEAR_START = date(2025, 12, 1)  # twelve months of filings, all before today
MONTHS = 12
BATCH = 200  # dossiers per transaction
MEMBERS = ("cass-membre-1", "cass-membre-2", "cass-membre-3")
HEAVY_NUMBER = 10**9  # the n its filing is drawn from, apart from the others'
HEAVY_ROUNDS = 499  # filed, 499 times documents asked for and received, reviewed: 1 000 events
DOCUMENTS = (DocumentKind.TAX_NOTICE,)


class Tracked:
    """An aggregate the load appends to across transactions: its state, version and chain."""

    def __init__(self, aggregate_id: UUID, decider: ModuleType) -> None:
        self.id = aggregate_id
        self.decider = decider
        self.state: Any = None
        self.version = 0
        self.chain = Chain("")  # the mapper moves it on as each event is encoded

    def do(self, command: Any) -> list[Recorded]:
        events = self.decider.decide(command, self.state)
        for event in events:
            self.state = self.decider.evolve(self.state, event)
        start, self.version = self.version, self.version + len(events)
        return [Recorded(self.id, start + i, e, self.chain) for i, e in enumerate(events, 1)]


@dataclass
class Loaded:
    dossiers: int = 0
    events: int = 0
    seconds: float = 0.0
    heavy: UUID | None = None


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class Session:
    """A region's CASS session of one month, as the load moves it."""

    def __init__(self, rng: random.Random, region: str, index: int, month: date, tag: str) -> None:
        self.aggregate = Tracked(UUID(int=rng.getrandbits(128), version=4), cass_session)
        self.region = region
        self.day = month + timedelta(days=20)
        self.reference = f"CASS-R{index:02d}-{month:%Y-%m}-{tag}"

    def facts(self) -> SessionFacts:
        state = self.aggregate.state
        is_open = state is not None and state.status is cass_session.SessionStatus.OPEN
        return SessionFacts(self.aggregate.id, self.reference, self.region, self.day, is_open)

    def schedule(self, month: date) -> list[Recorded]:
        command = cass_session.ScheduleSession(
            self.aggregate.id,
            _at(month, 9),
            "bench",
            self.reference,
            self.region,
            self.day,
            MEMBERS,
            quorum=2,
        )
        return self.aggregate.do(command)

    def open(self) -> list[Recorded]:
        sid, records = self.aggregate.id, []
        for member in MEMBERS[:2]:
            records += self.aggregate.do(cass_session.SignIn(sid, _at(self.day, 8, 30), member))
        opening = cass_session.OpenSession(sid, _at(self.day, 9), MEMBERS[0], quorum=2)
        return records + self.aggregate.do(opening)

    def close(self) -> list[Recorded]:
        closing = cass_session.CloseSession(self.aggregate.id, _at(self.day, 18), MEMBERS[0])
        return self.aggregate.do(closing)


class Year:
    """Files and moves the dossiers `first` to `first + count`, month by month."""

    def __init__(self, application: EventStoreApplication, tag: str) -> None:
        self.application = application
        self.service = DossierService(application, Rulebook())
        self.tag = tag
        self.loaded = Loaded()

    def save(self, records: list[Recorded]) -> None:
        if records:
            self.application.save(*records)
            self.loaded.events += len(records)

    def month(self, month: date, numbers: range, *, last: bool) -> None:
        rng = random.Random(f"{self.tag}{month}")
        sessions = {
            region: Session(rng, region, i, month, self.tag)
            for i, region in enumerate(DEFAULT_REGIONS)
        }
        self.save([r for s in sessions.values() for r in s.schedule(month)])
        to_decide: list[tuple[Tracked, Session, random.Random]] = []
        for chunk in _chunks(numbers, BATCH):
            records: list[Recorded] = []
            for n in chunk:
                records += self.until_the_session(n, month, sessions, last, to_decide)
            self.save(records)
            self.loaded.dossiers += len(chunk)
        if last:
            return  # the year's last sessions sit after it: their agendas wait
        self.save([r for s in sessions.values() for r in s.open()])
        for part in _chunks(to_decide, BATCH):
            assert self.application.keys is not None
            self.application.keys.prefetch(d.id for d, _, _ in part)  # one query, not one each
            self.save([r for d, s, rng in part for r in self.decision(d, s, rng)])
        self.save([r for s in sessions.values() for r in s.close()])

    def until_the_session(
        self,
        n: int,
        month: date,
        sessions: dict[str, Session],
        last: bool,
        to_decide: list[tuple[Tracked, "Session", random.Random]],
    ) -> list[Recorded]:
        """A dossier's events up to its presentation (or wherever its path stops before)."""
        rng = random.Random(n)
        d = Tracked(UUID(int=rng.getrandbits(128), version=4), dossier)
        filed_at = _at(month, 8) + timedelta(minutes=rng.randrange(10 * 24 * 60))
        command, period = filing(n, d.id, filed_at, rng, DEFAULT_REGIONS)
        records = d.do(replace(command, reference=reference_for(d.id, filed_at)))
        path = rng.random()
        awaiting = 0.06 <= path < 0.12
        rounds = max(rng.choice((0, 1, 2, 2, 3, 3)), awaiting)
        for k in range(rounds):
            asked_at = filed_at + timedelta(days=2 * k + 1)
            records += d.do(_documents_requested(d.id, asked_at))
            if awaiting and k == rounds - 1:
                return records  # still waiting for them
            records += d.do(
                dossier.ReceiveDocuments(d.id, asked_at + timedelta(days=1), "bench", DOCUMENTS)
            )
        if path < 0.06 or awaiting:
            return records
        if path < 0.18:
            reason = "Retrait de la demande par le travailleur indépendant."
            return records + d.do(
                dossier.WithdrawDossier(d.id, filed_at + timedelta(days=7), "bench", reason)
            )
        records += d.do(review(d.id, filed_at + timedelta(days=7), period))
        if path < 0.26:
            return records
        code = self.service.anonymous_code(d.id)
        records += d.do(
            dossier.AnonymiseDossier(
                d.id, filed_at + timedelta(days=8), "bench", "Difficulté ponctuelle.", code
            )
        )
        if path < 0.32:
            return records
        session = sessions[d.state.filing.region]
        presented_at = filed_at + timedelta(days=9)
        records += d.do(dossier.PresentToCass(d.id, presented_at, "bench", session.facts()))
        summary = d.state.anonymisation.summary
        put = cass_session.PutOnAgenda(
            session.aggregate.id, presented_at, "bench", d.id, code, summary
        )
        records += session.aggregate.do(put)
        if not last:
            to_decide.append((d, session, rng))
        return records

    def decision(self, d: Tracked, session: Session, rng: random.Random) -> list[Recorded]:
        """The session decides (in full, else a rejection) and the decision is notified."""
        at = _at(session.day, 10) + timedelta(seconds=len(session.aggregate.state.agenda))
        asked = d.state.filing.aids[0]
        grant = (AidAmount(Aid.ACED, asked.total(), asked.periods),)
        outcome, granted = (
            (Outcome.GRANTED_IN_FULL, grant) if rng.random() < 0.7 else (Outcome.REJECTED, ())
        )
        try:
            records = d.do(self.decide(d, session, at, outcome, granted))
        except RuleViolation:  # beyond a ceiling the rules set: the commission rejects it
            records = d.do(self.decide(d, session, at, Outcome.REJECTED, ()))
        event = records[0].event
        put = cass_session.RecordDecision(
            session.aggregate.id, at, MEMBERS[0], d.id, event.outcome, event.granted
        )
        records += session.aggregate.do(put)
        if rng.random() < 0.85:
            notified = session.day + timedelta(days=4)
            notify = dossier.NotifyDecision(
                d.id, _at(notified, 11), "bench", NotificationChannel.LETTER, notified, "LR-BENCH"
            )
            records += d.do(notify)
        return records

    def decide(
        self,
        d: Tracked,
        session: Session,
        at: datetime,
        outcome: Outcome,
        granted: tuple[AidAmount, ...],
    ) -> dossier.DecideDossier:
        reason = "Décision de la commission au vu du dossier anonymisé."
        return dossier.DecideDossier(
            d.id, at, MEMBERS[0], outcome, granted, reason, Rulebook(), session.facts()
        )

    def heavy_dossier(self, n: int) -> UUID:
        """One dossier of 1 000 events: documents asked for and received, again and again."""
        rng = random.Random(n)
        d = Tracked(UUID(int=rng.getrandbits(128), version=4), dossier)
        filed_at = _at(YEAR_START, 8)
        command, period = filing(n, d.id, filed_at, rng, DEFAULT_REGIONS)
        records = d.do(replace(command, reference=reference_for(d.id, filed_at)))
        for k in range(HEAVY_ROUNDS):
            asked_at = filed_at + timedelta(minutes=10 * k)
            records += d.do(_documents_requested(d.id, asked_at))
            received = dossier.ReceiveDocuments(
                d.id, asked_at + timedelta(minutes=5), "bench", DOCUMENTS
            )
            records += d.do(received)
            if len(records) >= 500:
                self.save(records)
                records = []
        self.save(records + d.do(review(d.id, filed_at + timedelta(days=7), period)))
        self.loaded.dossiers += 1
        assert d.version == 2 * HEAVY_ROUNDS + 2
        return d.id


def _documents_requested(dossier_id: UUID, at: datetime) -> dossier.RequestDocuments:
    reason = "Avis d'imposition de l'année passée."
    due = at.date() + timedelta(days=30)
    return dossier.RequestDocuments(dossier_id, at, "bench", DOCUMENTS, due, reason)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _month(task: tuple[Settings, str, int, int, int, bool]) -> Loaded:
    """One month of filings (and their sessions), in a process of its own."""
    settings, tag, month, first, last, heavy = task
    application = open_event_store(settings)
    try:
        year = Year(application, tag)
        if heavy:
            year.loaded.heavy = year.heavy_dossier(HEAVY_NUMBER)
        year.month(add_months(YEAR_START, month), range(first, last), last=month == MONTHS - 1)
        return year.loaded
    finally:
        application.close()


def load_year(
    settings: Settings, first: int, count: int, *, tag: str, heavy: bool, jobs: int
) -> Loaded:
    """File and move `count` dossiers from the `first` (and the 1 000-event one if `heavy`),
    the months in `jobs` processes at once (each month has its own sessions), timed."""
    per_month = -(-count // MONTHS)
    tasks = [
        (
            settings,
            tag,
            m,
            first + m * per_month,
            min(first + count, first + (m + 1) * per_month),
            heavy and m == 0,
        )
        for m in range(MONTHS)
    ]
    started = perf_counter()
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        months = pool.map(_month, tasks, chunksize=1)
    total = Loaded(seconds=perf_counter() - started)
    for loaded in months:
        total.dossiers += loaded.dossiers
        total.events += loaded.events
        total.heavy = total.heavy or loaded.heavy
    return total
