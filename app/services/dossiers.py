"""The dossier service: each use case loads what its rules need, decides, and appends at once.

Presenting a dossier also puts it on the session's agenda; a decision in session is recorded in
the session too; a delegated FCI grant draws on its catastrophe's envelope; an ADR grant marks
the person's once-in-a-life stream. Each of these lands in one atomic append.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from itertools import takewhile
from typing import Any
from uuid import UUID, uuid5

from app.services.identifiers import applicant_problems
from app.store.access_log import AccessEntry
from app.store.anonymous_codes import anonymous_code, code_key
from app.store.commanding import NotFound, Outcome, VersionMismatch, execute, transact
from app.store.eventstore import EventStoreApplication, Recorded, Stream
from domain import adr_grant, cass_session, catastrophe, dossier
from domain.cass_session import CassSession
from domain.catastrophe import Catastrophe
from domain.dossier import Command, DecideDossier, Dossier, FileDossier, ReviewDossier, SessionFacts
from domain.dossier_events import DossierDecided, DossierFiled
from domain.eligibility import CatastropheFacts
from domain.errors import InvalidField, InvalidFields, RuleViolation
from domain.rulebook import Rulebook
from domain.rules import check_filing
from domain.values import Aid, AidAmount
from domain.values import Outcome as Decision

IDEMPOTENCY_NAMESPACE = UUID("6f1f5a43-4c1e-4c3b-9d0e-2a7d1b0c9e51")
DOSSIER = "dossier"


@dataclass
class IdempotencyKeyReused(Exception):
    """An Idempotency-Key already filed a different dossier."""

    dossier_id: UUID


@dataclass(frozen=True)
class Opened:
    """A dossier as a request read it, once, and the access-log entries of the answer it gets:
    a command writes them in the transaction of its events."""

    records: list[Recorded]
    access: tuple[AccessEntry, ...] = ()

    @cached_property
    def stream(self) -> Stream[Dossier]:
        """The dossier's state now, folded once the request needs it (its history does not)."""
        state = dossier.fold([r.event for r in self.records])
        assert state is not None
        last = self.records[-1]
        return Stream(self.id, state, last.originator_version, last.mac)

    @property
    def id(self) -> UUID:
        return self.records[0].originator_id

    @property
    def region(self) -> str:
        filed: DossierFiled = self.records[0].event  # the first event of every dossier
        return filed.region

    def accessed(self, entries: Sequence[AccessEntry]) -> "Opened":
        return replace(self, access=tuple(entries))


@dataclass(frozen=True)
class Snapshot:
    """A dossier's state at a version."""

    state: Dossier
    version: int


def reference_for(dossier_id: UUID, at: datetime) -> str:
    """A reference people can read on the phone, derived from the id so a replay keeps it."""
    return f"AS-{at.year}-{dossier_id.hex[:8].upper()}"


def dossier_id_for_idempotency_key(actor: str, key: str) -> UUID:
    """The same actor and key always name the same dossier: the store's version check dedupes."""
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{actor}\n{key}")


def session_facts(session: Stream[CassSession]) -> SessionFacts:
    state = session.state
    scheduling = state.scheduling
    return SessionFacts(
        session_id=session.id,
        reference=scheduling.reference,
        region=scheduling.region,
        session_date=scheduling.session_date,
        is_open=state.status is cass_session.SessionStatus.OPEN,
    )


class DossierService:
    def __init__(self, application: EventStoreApplication, rulebook: Rulebook) -> None:
        self.application = application
        self.rulebook = rulebook
        self._code_key = code_key(application.audit_key)

    # Reading

    def dossier_region(self, dossier_id: UUID) -> str:
        """The region of a dossier, from its first event."""
        filed = self._dossier_stream(dossier_id, lte=1)[0].event
        region: str = filed.region
        return region

    def open(self, dossier_id: UUID) -> Opened:
        """The dossier's events (and its state now, when asked), read once for the request."""
        return Opened(self._dossier_stream(dossier_id))

    def history(self, dossier_id: UUID) -> list[Recorded]:
        return self._dossier_stream(dossier_id)

    def _dossier_stream(self, dossier_id: UUID, *, lte: int | None = None) -> list[Recorded]:
        """A dossier's events; any other stream, or none, is no dossier."""
        records = self.application.stream(dossier_id, lte=lte)
        if not records or not isinstance(records[0].event, DossierFiled):
            raise NotFound(DOSSIER, dossier_id)
        return records

    def load(
        self,
        dossier_id: UUID,
        *,
        version: int | None = None,
        at: datetime | None = None,
        records: list[Recorded] | None = None,
    ) -> Snapshot:
        """The dossier now, at a version, or as it stood at a moment (from `records` when the
        request read them already)."""
        if records is None:
            records = self._dossier_stream(dossier_id, lte=version)
        elif version is not None:
            records = [r for r in records if r.originator_version <= version]
        if at is not None:  # the stream as it stood: up to its first event after `at`
            records = list(takewhile(lambda r: r.event.occurred_at <= at, records))
        state = dossier.fold([r.event for r in records])
        if state is None:
            raise NotFound(DOSSIER, dossier_id, f"Dossier {dossier_id} was filed after {at}.")
        return Snapshot(state=state, version=records[-1].originator_version)

    def session(self, session_id: UUID) -> Stream[CassSession]:
        stream: Stream[CassSession | None] = self._load(session_id, cass_session)
        if stream.state is None:
            raise NotFound("CASS session", session_id)
        return Stream(stream.id, stream.state, stream.version, stream.mac)

    def catastrophe(self, catastrophe_id: UUID) -> Stream[Catastrophe]:
        stream: Stream[Catastrophe | None] = self._load(catastrophe_id, catastrophe)
        if stream.state is None:
            raise NotFound("catastrophe event", catastrophe_id)
        return Stream(stream.id, stream.state, stream.version, stream.mac)

    def pseudonym(self, identifier: str) -> str:
        """A stable stand-in for an identifier, that nobody without the audit key can link back."""
        key = self.application.audit_key
        return hmac.new(key, identifier.encode(), hashlib.sha256).hexdigest()[:32]

    def anonymous_code(self, dossier_id: UUID) -> str:
        """The dossier's code for the commission, keyed: a dossier id alone does not give it."""
        return anonymous_code(self._code_key, dossier_id)

    def _load(self, aggregate_id: UUID, decider: Any) -> Stream[Any]:
        return self.application.load(aggregate_id, decider.evolve, decider.EVENT_TYPES)

    # Commands on the dossier alone

    def handle(
        self,
        command: Command,
        *,
        expected_version: int | None,
        opened: Opened | None = None,
        erased: Sequence[UUID] = (),
    ) -> Outcome[Dossier]:
        """Decide the command on the dossier (`opened`, as the request read it, if it did) and
        append its events with the answer's access-log entries."""
        return execute(
            self.application,
            DOSSIER,
            dossier,
            command,
            command.dossier_id,
            expected_version,
            access=opened.access if opened else (),
            loaded=opened.stream if opened else None,
            erased=erased,
        )

    def anonymise(
        self,
        dossier_id: UUID,
        at: datetime,
        actor: str,
        commission_summary: str,
        *,
        expected_version: int | None,
        opened: Opened | None = None,
    ) -> Outcome[Dossier]:
        """The summary for the commission, under the dossier's keyed anonymous code."""
        command = dossier.AnonymiseDossier(
            dossier_id, at, actor, commission_summary, self.anonymous_code(dossier_id)
        )
        return self.handle(command, expected_version=expected_version, opened=opened)

    def file(
        self,
        command: FileDossier,
        *,
        idempotent: bool = False,
        access: Sequence[AccessEntry] = (),
    ) -> Outcome[Dossier]:
        """File a new dossier, with the access-log entries of its answer; with an idempotency
        key, a repeat answers with the same dossier (its entries written on their own).

        An FCI names an open catastrophe event; an AFE a scheme the rulebook knows.
        """
        self._check_identifiers(command)
        self._check_references(command)
        try:
            return execute(
                self.application, DOSSIER, dossier, command, command.dossier_id, 0, access=access
            )
        except VersionMismatch:
            if not idempotent:
                raise
            replayed = self._replay_filing(command)  # filed before, or by a twin just now
            self.application.log_access(access)
            return replayed

    def _check_identifiers(self, command: FileDossier) -> None:
        """The applicant's SIRET and NIR checked with python-stdnum; when one fails, every
        other problem of the filing is reported with it, as the domain reports them."""
        found = applicant_problems(command.applicant)
        if not found:
            return
        try:
            check_filing(command)
        except InvalidFields as invalid:
            named = {problem.field for problem in invalid.problems}  # its shape problem wins
            found = [*invalid.problems, *(p for p in found if p.field not in named)]
        raise InvalidFields(tuple(found))

    def _check_references(self, command: FileDossier) -> None:
        problems = [
            InvalidField(f"aids[{i}].scheme", f"no AFE scheme {r.scheme!r} in the rulebook")
            for i, r in enumerate(command.aids)
            if r.aid is Aid.AFE and self.rulebook.afe_ceiling(r.scheme) is None
        ]
        claim = command.catastrophe
        if claim is not None:
            event = self._load(claim.catastrophe_id, catastrophe).state
            if event is None:
                problems.append(
                    InvalidField("catastrophe.catastrophe_id", "no such catastrophe event")
                )
            elif event.closing is not None:
                raise RuleViolation(
                    "fci_names_an_open_catastrophe", "the catastrophe event is closed"
                )
        if problems:
            raise InvalidFields(tuple(problems))

    def _replay_filing(self, command: FileDossier) -> Outcome[Dossier]:
        records = self.application.stream(command.dossier_id)
        first = records[0].event
        filed = dossier.decide(command, None)[0]
        if replace(filed, occurred_at=first.occurred_at, reference=first.reference) != first:
            raise IdempotencyKeyReused(command.dossier_id)
        # What the first filing answered, not what the dossier has become since: a replay must
        # not hand out later findings, decisions or reasons.
        state = dossier.fold([first])
        assert state is not None
        return Outcome(state, 1, position=None, replayed=True)

    def review(
        self,
        command: ReviewDossier,
        *,
        expected_version: int | None,
        opened: Opened | None = None,
    ) -> Outcome[Dossier]:
        """Review with the facts the rules need from other records: the catastrophe event, and
        whether the person was ever granted an ADR."""

        def plan(stream: Stream[Dossier | None]) -> list[Recorded]:
            state = stream.state
            assert state is not None
            facts = replace(
                command,
                catastrophe=self._catastrophe_facts(state),
                adr_already_granted=self._adr_granted(state),
            )
            return stream.append(dossier.decide(facts, state))

        return self._transact(command.dossier_id, expected_version, plan, opened)

    def _catastrophe_facts(self, state: Dossier | None) -> CatastropheFacts | None:
        claim = state.filing.catastrophe if state else None
        if claim is None:
            return None
        event: Catastrophe | None = self._load(claim.catastrophe_id, catastrophe).state
        return event.facts() if event else None

    def _adr_granted(self, state: Dossier) -> bool | None:
        """Whether the person holds an ADR granted on another dossier."""
        nir = state.filing.applicant.nir
        if nir is None:
            return None
        held = self._load(adr_grant.adr_person_id(nir, self.application.audit_key), adr_grant).state
        return adr_grant.holds_a_grant_elsewhere(held, state.filing.dossier_id)

    # Commands that also move a session, an envelope or a person's ADR record

    def present(
        self,
        session_id: UUID,
        dossier_id: UUID,
        at: datetime,
        actor: str,
        expected_version: int | None,
        opened: Opened | None = None,
    ) -> Outcome[Dossier]:
        """Put an anonymised dossier on a session's agenda (the agenda is anonymous: the answer
        carries no personal data, and no access-log entry)."""

        def plan(stream: Stream[Dossier | None]) -> list[Recorded]:
            session = self.session(session_id)
            command = dossier.PresentToCass(dossier_id, at, actor, session_facts(session))
            presented = dossier.decide(command, stream.state)
            assert stream.state is not None
            assert stream.state.anonymisation is not None
            summary = stream.state.anonymisation.summary
            agenda = cass_session.PutOnAgenda(
                session_id, at, actor, dossier_id, summary.anonymous_code, summary
            )
            return stream.append(presented) + session.append(
                cass_session.decide(agenda, session.state)
            )

        return self._transact(dossier_id, expected_version, plan, opened)

    def erase(
        self,
        dossier_id: UUID,
        at: datetime,
        actor: str,
        days: int,
        *,
        expected_version: int | None = None,
        opened: Opened | None = None,
    ) -> Outcome[Dossier]:
        """Erase a closed dossier's personal data once its retention period is over: record the
        erasure and destroy the dossier's key, in one transaction. The events stay, their sealed
        fields unreadable.

        Over HTTP at the version the caller read; `erase-due` at whatever version it finds."""
        command = dossier.ErasePersonalData(dossier_id, at, actor, days)
        try:
            outcome = self.handle(
                command, expected_version=expected_version, opened=opened, erased=[dossier_id]
            )
        except RuleViolation as refused:
            if refused.rule != "personal_data_is_erased_once":
                raise
            # recorded already: by a release that destroyed the key apart, maybe not yet
            if self.application.keys is not None:
                self.application.keys.erase(dossier_id)
            self.application.log_access(opened.access if opened else ())
            outcome = Outcome(self.load(dossier_id).state, 0, None)
        return self.load_outcome(dossier_id, outcome)

    def load_outcome(self, dossier_id: UUID, outcome: Outcome[Dossier]) -> Outcome[Dossier]:
        """The outcome with the dossier as it reads now (erased fields read as erased)."""
        snapshot = self.load(dossier_id)
        return Outcome(snapshot.state, snapshot.version, outcome.position)

    def agenda_item(self, session_id: UUID, anonymous_code: str) -> UUID:
        """The dossier behind an anonymous code of a session's agenda."""
        for item in self.session(session_id).state.agenda:
            if item.anonymous_code == anonymous_code:
                return item.dossier_id
        raise NotFound("agenda item", session_id, f"No dossier {anonymous_code} on the agenda.")

    def decide_in_session(
        self, session_id: UUID, command: DecideDossier, *, session_version: int | None
    ) -> Outcome[Dossier]:
        """The commission decides a dossier of its open session's agenda; If-Match names the
        session's version, the one the commission reads."""

        def plan(stream: Stream[Dossier | None]) -> list[Recorded]:
            session = self.session(session_id)
            if session_version is not None and session.version != session_version:
                raise VersionMismatch(expected=session_version, current=session.version)
            in_session = replace(
                command,
                session=session_facts(session),
                catastrophe=self._catastrophe_facts(stream.state),
            )
            decided = dossier.decide(in_session, stream.state)
            event = decided[0]
            assert isinstance(event, DossierDecided)
            recorded = cass_session.RecordDecision(
                session_id,
                command.at,
                command.actor,
                command.dossier_id,
                event.outcome,
                event.granted,
            )
            return (
                stream.append(decided)
                + session.append(cass_session.decide(recorded, session.state))
                + self._consequences(stream.state, event)
            )

        return self._transact(command.dossier_id, None, plan)

    def decide_by_delegation(
        self,
        command: DecideDossier,
        *,
        expected_version: int | None,
        opened: Opened | None = None,
    ) -> Outcome[Dossier]:
        """The FCI's fast path: decided outside a session, drawn on the catastrophe's envelope."""

        def plan(stream: Stream[Dossier | None]) -> list[Recorded]:
            delegated = replace(
                command, session=None, catastrophe=self._catastrophe_facts(stream.state)
            )
            decided = dossier.decide(delegated, stream.state)
            event = decided[0]
            assert isinstance(event, DossierDecided)
            return stream.append(decided) + self._consequences(stream.state, event)

        return self._transact(command.dossier_id, expected_version, plan, opened)

    def remove_from_agenda(
        self,
        session_id: UUID,
        dossier_id: UUID,
        at: datetime,
        actor: str,
        reason: str,
        *,
        session_version: int | None,
    ) -> Outcome[Dossier]:
        """Before the session opens, take a dossier off its agenda: it may go to another one."""

        def plan(stream: Stream[Dossier | None]) -> list[Recorded]:
            session = self.session(session_id)
            if session_version is not None and session.version != session_version:
                raise VersionMismatch(expected=session_version, current=session.version)
            removal = cass_session.RemoveFromAgenda(session_id, at, actor, dossier_id, reason)
            removed = cass_session.decide(removal, session.state)
            taken_off = dossier.decide(
                dossier.TakeOffAgenda(dossier_id, at, actor, reason), stream.state
            )
            return session.append(removed) + stream.append(taken_off)

        return self._transact(dossier_id, None, plan)

    def _consequences(self, state: Dossier | None, decided: DossierDecided) -> list[Recorded]:
        """What a decision moves besides the dossier: the catastrophe's envelope for an FCI
        grant, the person's ADR record for an ADR grant (or its revocation on a new decision)."""
        assert state is not None
        records: list[Recorded] = []
        for grant in _granted(decided, Aid.FCI):
            assert state.filing.catastrophe is not None
            event_id = state.filing.catastrophe.catastrophe_id
            envelope = self._load(event_id, catastrophe)
            draw = catastrophe.DrawOnEnvelope(
                event_id,
                decided.occurred_at,
                decided.actor,
                decided.dossier_id,
                grant.amount,
                worker=self.pseudonym(state.filing.applicant.siret[:9]),
                ceiling=self.rulebook.fci_ceiling,
            )
            records += envelope.append(catastrophe.decide(draw, envelope.state))
        nir = state.filing.applicant.nir
        asks_adr = any(r.aid is Aid.ADR for r in state.filing.aids)
        if asks_adr and nir and decided.outcome is not Decision.ADJOURNED:
            person = self._load(adr_grant.adr_person_id(nir, self.application.audit_key), adr_grant)
            adr = _granted(decided, Aid.ADR)
            command: adr_grant.Command = (
                adr_grant.GrantAdr(
                    person.id, decided.occurred_at, decided.actor, decided.dossier_id, adr[0].amount
                )
                if adr
                else adr_grant.RevokeAdr(
                    person.id, decided.occurred_at, decided.actor, decided.dossier_id
                )
            )
            records += person.append(adr_grant.decide(command, person.state))
        return records

    def _transact(
        self,
        dossier_id: UUID,
        expected_version: int | None,
        plan: Any,
        opened: Opened | None = None,
    ) -> Outcome[Dossier]:
        return transact(
            self.application,
            DOSSIER,
            dossier,
            dossier_id,
            expected_version,
            plan,
            access=opened.access if opened else (),
            loaded=opened.stream if opened else None,
        )


def _granted(decided: DossierDecided, aid: Aid) -> list[AidAmount]:
    """The grants of an aid in a decision, if it grants anything of it."""
    if decided.outcome in (Decision.REJECTED, Decision.ADJOURNED):
        return []
    return [g for g in decided.granted if g.aid is aid and g.amount > 0]
