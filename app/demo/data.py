"""Demo data: forty-odd fictional dossiers, the CASS sessions that decide them and two catastrophe
events, all moved by the real services, step by step in time order, before a fixed anchor.

Each step is an action at its moment; the load runs them in time order and skips every one the
store already holds (each is one atomic append), so loading again adds nothing and a load that
was interrupted is finished by the next.
"""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import NamedTuple
from uuid import NAMESPACE_URL, UUID, uuid5

from app.demo import people
from app.services.dossiers import DossierService
from app.store.commanding import execute
from app.store.eventstore import EventStoreApplication
from domain import cass_session, catastrophe
from domain import dossier as d
from domain.cass_session import SessionStatus
from domain.rulebook import Rulebook
from domain.values import (
    Aid,
    CatastropheClaim,
    NotificationChannel,
    Outcome,
)

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)  # every demo event happens before this moment
EARLIEST = ANCHOR - timedelta(days=310)
DEMO_NAMESPACE = uuid5(NAMESPACE_URL, "https://action-sociale.example/demo")

# Under a heading saying where (a region drawn at random, a catastrophe event, a region, or a
# region and the month of the session a dossier is first presented to): how many dossiers | the
# aids asked | the steps from filing on. A decision is named by its outcome: taken by the session
# the dossier was presented to, else by delegation; "takeoff" takes the dossier off the agenda of
# that session the day before it opens, for the region's next one. A backslash ends a line that
# the next one continues.
PLAN = """
anywhere
1 | ACED     | file
1 | ACED AFE | file
1 | ACED     | file request
1 | AFE      | file request
1 | ACED     | file request close
1 | ACED AFE | file review
1 | ACED     | file request receive review
1 | ACED     | file review anonymise
1 | ACED AFE | file review anonymise
1 | ACED     | file review anonymise present
1 | ADR      | file review anonymise present
1 | ACED     | file review anonymise present adjourned
2 | ACED     | file review anonymise present full notify
1 | ACED     | file request receive review anonymise present full notify
2 | ACED AFE | file review anonymise present full notify
1 | ACED AFE | file review anonymise present part notify
1 | ACED     | file review anonymise present part notify
1 | ACED     | file review anonymise present rejected notify recours
1 | ACED     | file review anonymise present rejected notify recours \
               review anonymise present part notify
1 | ACED AFE | file review anonymise present adjourned review anonymise present full notify
1 | ADR      | file review anonymise present full notify
1 | ACED     | file withdraw
1 | ACED AFE | file review withdraw
floods
1 | FCI      | file
1 | FCI      | file request
1 | FCI      | file review
1 | FCI      | file review full
storm
1 | FCI      | file review full notify
1 | FCI      | file review part notify
1 | FCI      | file review rejected notify
ile-de-france
1 | ACED     | file review anonymise present
1 | ACED     | file review anonymise present full
1 | ACED AFE | file review anonymise present part
1 | ACED     | file review anonymise present adjourned
bretagne
1 | ACED     | file review anonymise present takeoff present
1 | ACED     | file review anonymise present rejected
1 | ACED AFE | file review anonymise present adjourned
1 | ACED     | file review anonymise present adjourned present
auvergne-rhone-alpes 2026-09
1 | ACED     | file review anonymise present full notify
1 | ACED AFE | file review anonymise present part notify
1 | ACED     | file review anonymise present rejected notify
1 | ACED     | file review anonymise present adjourned present full notify
"""
OUTCOMES = {
    "full": Outcome.GRANTED_IN_FULL,
    "part": Outcome.GRANTED_IN_PART,
    "rejected": Outcome.REJECTED,
    "adjourned": Outcome.ADJOURNED,
}
STEPS = {"file", "request", "receive", "review", "anonymise", "present", "notify", "recours"}
STEPS |= {"takeoff", "withdraw", "close", *OUTCOMES}


class CatastropheEvent(NamedTuple):
    key: str
    name: str
    regions: tuple[str, ...]
    start: date
    end: date
    envelope: Decimal
    opened_at: datetime
    account: str  # what the workers hit by it tell
    closed_at: datetime | None = None
    closing_reason: str = ""

    @property
    def id(self) -> UUID:
        return uuid5(DEMO_NAMESPACE, f"catastrophe-{self.key}")


CATASTROPHES = {
    "storm": CatastropheEvent(
        "storm",
        "Tempête des 10 et 11 février 2026",
        ("bretagne", "normandie"),
        date(2026, 2, 10),
        date(2026, 2, 11),
        Decimal("600000.00"),
        datetime(2026, 2, 12, 10, 0, tzinfo=UTC),
        "La tempête a arraché le toit de mon atelier.",
        datetime(2026, 6, 30, 17, 0, tzinfo=UTC),
        "Les demandes d'aide pour la tempête étaient reçues jusqu'au 30 juin 2026.",
    ),
    "floods": CatastropheEvent(
        "floods",
        "Inondations d'octobre 2026 en Occitanie",
        ("occitanie",),
        date(2026, 10, 12),
        date(2026, 10, 14),
        Decimal("400000.00"),
        datetime(2026, 10, 15, 11, 0, tzinfo=UTC),
        "Mon local a été inondé ; le stock est perdu.",
    ),
}

# Each region's commission sits monthly, on the region's Tuesday of the month (the third unless
# named here); Île-de-France's October session has not drawn its minutes yet at ANCHOR.
SESSION_TUESDAY = {"ile-de-france": 4, "grand-est": 2, "occitanie": 2, "hauts-de-france": 2}
LEFT_OPEN = ("ile-de-france", 2026, 10)


class Session(NamedTuple):
    region: str
    day: date

    @property
    def id(self) -> UUID:
        return uuid5(DEMO_NAMESPACE, f"cass-{self.region}-{self.day:%Y-%m}")

    @property
    def reference(self) -> str:
        return f"CASS-{people.REGIONS[self.region].code}-{self.day:%Y-%m}"

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(f"cass-{self.region}-m{k}" for k in range(1, 7))

    @property
    def held(self) -> bool:
        return self.day < ANCHOR.date()

    @property
    def closed(self) -> bool:
        return self.held and (self.region, self.day.year, self.day.month) != LEFT_OPEN


def session_in(region: str, month_index: int) -> Session:
    """The region's session of a month (month_index: year * 12 + month - 1)."""
    year, month = divmod(month_index, 12)
    first = date(year, month + 1, 1)
    tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
    return Session(region, tuesday + timedelta(weeks=SESSION_TUESDAY.get(region, 3) - 1))


class Plan(NamedTuple):
    aids: tuple[Aid, ...]
    steps: tuple[str, ...]
    where: str  # a catastrophe, a region, or "" for a region drawn at random
    month: str = ""  # "2026-09": the month of the session the dossier is first presented to


def _plans(table: str) -> tuple[Plan, ...]:
    plans: list[Plan] = []
    where, month = "", ""
    for line in table.strip().splitlines():
        if "|" not in line:
            where, _, month = line.replace("anywhere", "").strip().partition(" ")
            assert where in ("", *CATASTROPHES, *people.REGIONS), line
            continue
        count, aids, path = (cell.strip() for cell in line.split("|"))
        plan = Plan(tuple(Aid(a) for a in aids.split()), tuple(path.split()), where, month)
        assert set(plan.steps) <= STEPS, plan
        plans += [plan] * int(count)
    return tuple(plans)


DOSSIERS = _plans(PLAN)


def demo_dossier_id(n: int) -> UUID:
    return uuid5(DEMO_NAMESPACE, f"demo-{n}")


# The path's rhythm, in days from the step before (an FCI takes the fast path); a dossier without
# a session is filed WINDOWS days before ANCHOR, by its last step; a dossier presented to a CASS is
# first presented MONTHS_BACK sessions before its region's next one, by its last step.
GAPS = {"request": (3, 10), "receive": (5, 20), "review": (7, 21), "anonymise": (1, 5)}
GAPS |= {"present": (2, 10), "notify": (3, 8), "recours": (10, 45), "withdraw": (5, 30)}
FAST_GAPS = GAPS | {"request": (1, 3), "receive": (2, 6), "review": (1, 3), "notify": (1, 3)}
FAST_GAPS |= {"decision": (0, 2)}
DOCUMENTS_DUE_DAYS, CLOSED_AFTER_DUE = 30, (5, 15)
WINDOWS = {"file": (2, 30), "request": (12, 40), "review": (20, 50), "anonymise": (25, 50)}
WINDOWS |= {"withdraw": (25, 250), "close": (75, 200)}
MONTHS_BACK = {"notify": (2, 8), "recours": (1, 2)}


class Step(NamedTuple):
    name: str
    at: datetime
    session: Session | None = None


@cache
def demo_timeline() -> tuple[tuple[str, ...], tuple[tuple[Step, ...], ...]]:
    """Each demo dossier's region and steps; the decisions of a session follow its agenda."""
    regions, paths = [], []
    for n, plan in enumerate(DOSSIERS):
        rng = random.Random(f"demo-{n}")
        regions.append(_region(plan, rng))
        paths.append(_path(plan, regions[-1], rng))
    for session, items in _agendas(paths).items():
        start = datetime.combine(session.day, time(10, 0), UTC)
        for k, (_, n, i) in enumerate(sorted(items)):
            paths[n][i] = paths[n][i]._replace(at=start + timedelta(minutes=15 * k))
    return tuple(regions), tuple(tuple(path) for path in paths)


def demo_sessions() -> tuple[Session, ...]:
    _, paths = demo_timeline()
    sessions = {step.session for path in paths for step in path if step.session}
    return tuple(sorted(sessions, key=lambda s: (s.day, s.region)))


def _agendas(paths: list[list[Step]]) -> dict[Session, list[tuple[datetime, int, int]]]:
    """The decisions taken in each session: (presented at, dossier n, step index)."""
    agendas: dict[Session, list[tuple[datetime, int, int]]] = {}
    for n, path in enumerate(paths):
        for i, step in enumerate(path):
            if step.session and step.name in OUTCOMES:
                agendas.setdefault(step.session, []).append((path[i - 1].at, n, i))
    return agendas


def _region(plan: Plan, rng: random.Random) -> str:
    if plan.where in CATASTROPHES:
        return CATASTROPHES[plan.where].regions[0]
    regions = people.REGIONS
    return plan.where or rng.choices(list(regions), [r.weight for r in regions.values()])[0]


def _path(plan: Plan, region: str, rng: random.Random) -> list[Step]:
    """Steps that fit: all before ANCHOR, decided in sessions that were held, and a dossier left
    on an agenda only on one of a session still to come (or still open)."""
    low, high = MONTHS_BACK.get(plan.steps[-1], (0, 0))
    shift = rng.randint(low, high) + max(0, plan.steps.count("present") - 1)
    for _ in range(60):
        steps = _attempt(plan, region, shift, rng)
        misfit = _misfit(steps)
        if not misfit:
            return steps
        if not plan.month:
            shift = max(0, shift + misfit)
    raise AssertionError(f"no path fits before {ANCHOR}: {plan}")


def _misfit(steps: list[Step]) -> int:
    """0 if the steps fit, 1 if they must start earlier, -1 if later."""
    if steps[0].at < EARLIEST:
        return -1
    for step in steps:
        if step.at >= ANCHOR or (step.session and step.name in OUTCOMES and not step.session.held):
            return 1
    last = steps[-1].session
    return -1 if steps[-1].name == "present" and last and last.closed else 0


def _attempt(plan: Plan, region: str, shift: int, rng: random.Random) -> list[Step]:
    """Without a session, filed `shift` weeks earlier than drawn; else first presented to the
    session `shift` chooses, then on as the plan goes."""
    fast = Aid.FCI in plan.aids
    if "present" not in plan.steps:
        event = CATASTROPHES.get(plan.where)
        if event:
            day = event.opened_at.date() + timedelta(days=rng.randint(1, 6))
        else:
            day = (
                ANCHOR - timedelta(days=rng.randint(*WINDOWS[plan.steps[-1]]) + 7 * shift)
            ).date()
        return _forward(
            [Step("file", _at(_working_day(day), rng))], plan.steps[1:], region, fast, rng
        )
    session = _first_session(plan, region, shift)
    latest = min(session.day - timedelta(days=4), ANCHOR.date() - timedelta(days=2))
    day = _working_day_before(latest - timedelta(days=rng.randint(0, 21)))
    first = plan.steps.index("present")
    present = Step("present", _at(day, rng), session)
    before = _backward(plan.steps[:first], present, rng)
    return before + _forward([present], plan.steps[first + 1 :], region, fast, rng)


def _first_session(plan: Plan, region: str, shift: int) -> Session:
    """The session of the month the plan names, else `shift` sessions before the region's first
    one not closed."""
    if plan.month:
        year, month = map(int, plan.month.split("-"))
        return session_in(region, year * 12 + month - 1)
    index = ANCHOR.year * 12 + ANCHOR.month - 2
    while session_in(region, index).closed:
        index += 1
    return session_in(region, index - shift)


def _backward(names: tuple[str, ...], later: Step, rng: random.Random) -> list[Step]:
    steps: list[Step] = []
    for name in reversed(names):
        days = rng.randint(*GAPS[later.name])
        later = Step(name, _at(_working_day_before(later.at.date() - timedelta(days=days)), rng))
        steps.insert(0, later)
    return steps


def _forward(
    steps: list[Step], names: tuple[str, ...], region: str, fast: bool, rng: random.Random
) -> list[Step]:
    gaps = FAST_GAPS if fast else GAPS
    for name in names:
        last = steps[-1]
        if name in OUTCOMES and last.name == "present" and last.session:
            # decided on the day of its session; demo_timeline sets the hour by the agenda
            at = datetime.combine(last.session.day, time(10), UTC)
            steps.append(Step(name, at, last.session))
            continue
        if name == "takeoff":
            assert last.name == "present", "a dossier is taken off the agenda it is on"
            assert last.session
            day = _working_day_before(last.session.day - timedelta(days=1))
            steps.append(Step(name, _at(day, rng), last.session))
            continue
        if name == "close":
            requested = next(s.at.date() for s in reversed(steps) if s.name == "request")
            day = requested + timedelta(days=DOCUMENTS_DUE_DAYS + rng.randint(*CLOSED_AFTER_DUE))
            steps.append(Step(name, _at(_working_day(day), rng)))
            continue
        days = rng.randint(*gaps["decision" if name in OUTCOMES else name])
        day = _working_day(last.at.date() + timedelta(days=days))
        at = last.at + timedelta(minutes=rng.randint(30, 120)) if days == 0 else _at(day, rng)
        session = _next_session(region, day + timedelta(days=4)) if name == "present" else None
        steps.append(Step(name, at, session))
    return steps


def _next_session(region: str, on_or_after: date) -> Session:
    index = on_or_after.year * 12 + on_or_after.month - 1
    session = session_in(region, index)
    return session if session.day >= on_or_after else session_in(region, index + 1)


def _working_day(day: date) -> date:
    return day if day.weekday() < 5 else _working_day(day + timedelta(days=1))


def _working_day_before(day: date) -> date:
    return day if day.weekday() < 5 else _working_day_before(day - timedelta(days=1))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), UTC)


# Loading: every step is an action; `done` says whether the store already holds it.

Run = Callable[[DossierService], object]


class Action(NamedTuple):
    at: datetime
    done: Callable[[DossierService], bool]
    run: Run
    files: bool = False  # whether it files a dossier


def load_demo_data(application: EventStoreApplication, rulebook: Rulebook | None = None) -> int:
    """Run every demo step the store does not hold yet; return how many dossiers were added."""
    service, added = DossierService(application, rulebook or Rulebook()), 0
    for action in demo_actions(service.rulebook):
        if not action.done(service):
            action.run(service)
            added += action.files
    return added


def demo_actions(rulebook: Rulebook) -> list[Action]:
    """Every step of the demo, in time order: events, sessions and dossiers interleaved."""
    regions, paths = demo_timeline()
    actions = [a for event in CATASTROPHES.values() for a in _catastrophe_actions(event)]
    decided = _agendas([list(path) for path in paths])
    for session in demo_sessions():
        times = [paths[n][i].at for _, n, i in decided.get(session, [])]
        actions += _session_actions(session, times, rulebook)
    for n, path in enumerate(paths):
        actions += _dossier_actions(n, regions[n], path, rulebook)
    return sorted(actions, key=lambda action: action.at)


def _holds(stream_id: UUID, version: int) -> Callable[[DossierService], bool]:
    return lambda service: len(service.application.stream(stream_id, lte=version)) >= version


def _catastrophe_actions(event: CatastropheEvent) -> list[Action]:
    def run(command: catastrophe.Command, expected: int | None) -> Run:
        return lambda s: execute(
            s.application, "catastrophe event", catastrophe, command, event.id, expected
        )

    def closed(service: DossierService) -> bool:
        return service.catastrophe(event.id).state.closing is not None

    opening = catastrophe.OpenCatastrophe(
        catastrophe_id=event.id,
        at=event.opened_at,
        actor="cpsti",
        name=event.name,
        regions=event.regions,
        start=event.start,
        end=event.end,
        envelope=event.envelope,
    )
    actions = [Action(event.opened_at, _holds(event.id, 1), run(opening, 0))]
    if event.closed_at:
        closing = catastrophe.CloseCatastrophe(
            event.id, event.closed_at, "cpsti", event.closing_reason
        )
        actions.append(Action(event.closed_at, closed, run(closing, None)))
    return actions


def _session_actions(session: Session, decided: list[datetime], rulebook: Rulebook) -> list[Action]:
    """Scheduled 45 days ahead by the region's CASS secretariat; if held, each member present
    signs in, the chair opens it and, once all is decided, closes it."""
    sid, actor = session.id, f"cass-{session.region}"

    def run(command: cass_session.Command, expected: int | None) -> Run:
        return lambda s: execute(
            s.application, "CASS session", cass_session, command, sid, expected
        )

    def reached(*statuses: SessionStatus) -> Callable[[DossierService], bool]:
        return lambda s: s.session(sid).state.status in statuses

    scheduled_at = datetime.combine(
        _working_day_before(session.day - timedelta(days=45)), time(9, 0), UTC
    )
    schedule = cass_session.ScheduleSession(
        sid,
        scheduled_at,
        actor,
        session.reference,
        session.region,
        session.day,
        session.members,
        quorum=rulebook.cass_quorum,
    )
    actions = [Action(scheduled_at, _holds(sid, 1), run(schedule, 0))]
    if not session.held:
        return actions
    present = present_members(session, rulebook.cass_quorum)
    for k, member in enumerate(present):  # each member signs in, under their own name

        def signed(s: DossierService, member: str = member) -> bool:
            return member in s.session(sid).state.members_present

        signed_at = datetime.combine(session.day, time(9, 10 + k), UTC)
        sign_in = cass_session.SignIn(sid, signed_at, member)
        actions.append(Action(signed_at, signed, run(sign_in, None)))
    opened_at = datetime.combine(session.day, time(9, 30), UTC)
    opening = cass_session.OpenSession(sid, opened_at, present[0], rulebook.cass_quorum)
    actions.append(
        Action(opened_at, reached(SessionStatus.OPEN, SessionStatus.CLOSED), run(opening, None))
    )
    if session.closed:
        closed_at = max(decided, default=opened_at) + timedelta(minutes=25)
        closing = cass_session.CloseSession(sid, closed_at, present[0])
        actions.append(Action(closed_at, reached(SessionStatus.CLOSED), run(closing, None)))
    return actions


def present_members(session: Session, quorum: int) -> tuple[str, ...]:
    """The members who sit in a held session, at least the quorum; its chair, the first member
    (the demo's commission token), first."""
    rng = random.Random(session.reference)
    chair, *others = session.members
    count = min(len(session.members), max(quorum, rng.randint(4, 6)))
    return (chair, *sorted(rng.sample(others, count - 1)))


def _dossier_actions(
    n: int, region: str, path: tuple[Step, ...], rulebook: Rulebook
) -> list[Action]:
    plan, dossier_id = DOSSIERS[n], demo_dossier_id(n)
    event = CATASTROPHES.get(plan.where)
    claim = None
    if event:
        rng = random.Random(f"{dossier_id}-damage")
        damaged = event.start + timedelta(days=rng.randint(0, (event.end - event.start).days))
        claim = (CatastropheClaim(event.id, damaged), event.account)
    worker = people.file(
        dossier_id,
        path[0].at,
        region,
        plan.aids,
        outcomes=frozenset(OUTCOMES[s] for s in plan.steps if s in OUTCOMES),
        documents_missing="request" in plan.steps,
        catastrophe=claim,
    )
    done = [_filed(worker.filing)] + [_holds(dossier_id, i + 1) for i in range(1, len(path))]
    return [
        Action(step.at, done[i], _run(worker, path, i, rulebook), files=i == 0)
        for i, step in enumerate(path)
    ]


def _filed(filing: d.FileDossier) -> Callable[[DossierService], bool]:
    """Filed already; by this loader, not an older one whose demo dossiers had other paths."""

    def done(service: DossierService) -> bool:
        first = service.application.stream(filing.dossier_id, lte=1)
        if first and first[0].event.occurred_at != filing.at:
            raise RuntimeError(
                f"demo dossier {filing.dossier_id} was loaded by an earlier version of the demo: "
                "load the demo into a fresh store"
            )
        return bool(first)

    return done


def _run(worker: people.Worker, path: tuple[Step, ...], i: int, rulebook: Rulebook) -> Run:
    """What step i of the dossier asks of the service."""
    step, dossier_id, agent = path[i], worker.filing.dossier_id, worker.agent
    session_id = step.session.id if step.session else None
    if step.name == "file":
        return lambda s: s.file(worker.filing)
    if step.name == "present":
        assert session_id
        return lambda s: s.present(session_id, dossier_id, step.at, agent, expected_version=i)
    if step.name == "review":
        upcoming = next((OUTCOMES[s.name] for s in path[i:] if s.name in OUTCOMES), None)
        review = people.review(worker, step.at, upcoming, rulebook)
        return lambda s: s.review(review, expected_version=i)
    if step.name in OUTCOMES:
        actor = (  # in session, the chair: a member who signed in
            present_members(step.session, rulebook.cass_quorum)[0]
            if step.session
            else f"director-{worker.filing.region}"
        )
        on_recours = any(s.name == "recours" for s in path[:i])

        def decision(s: DossierService) -> d.DecideDossier:
            """Decided on the findings of the review the dossier holds."""
            review = s.load(dossier_id).state.review
            assert review is not None
            return people.decision(
                worker,
                step.at,
                actor,
                OUTCOMES[step.name],
                rulebook,
                review.eligibility,
                on_recours=on_recours,
            )

        if session_id:
            return lambda s: s.decide_in_session(session_id, decision(s), session_version=None)
        return lambda s: s.decide_by_delegation(decision(s), expected_version=i)
    if step.name == "anonymise":

        def anonymise(s: DossierService) -> object:
            review = s.load(dossier_id).state.review
            assert review is not None
            text = people.commission_summary(worker, review.opinion)
            return s.anonymise(dossier_id, step.at, agent, text, expected_version=i)

        return anonymise
    if step.name == "takeoff":
        assert session_id
        return lambda s: s.remove_from_agenda(
            session_id, dossier_id, step.at, agent, people.TAKEN_OFF, session_version=None
        )
    command = _command(worker, path, i, rulebook)
    return lambda s: s.handle(command, expected_version=i)


def _command(
    worker: people.Worker, path: tuple[Step, ...], i: int, rulebook: Rulebook
) -> d.Command:
    """The steps that move the dossier alone."""
    at, dossier_id, agent, rng = path[i].at, worker.filing.dossier_id, worker.agent, worker.rng
    missing = people.missing(tuple(request.aid for request in worker.filing.aids))
    match path[i].name:
        case "request":
            due = at.date() + timedelta(days=DOCUMENTS_DUE_DAYS)
            return d.RequestDocuments(dossier_id, at, agent, missing, due, people.MISSING)
        case "receive":
            return d.ReceiveDocuments(dossier_id, at, agent, missing)
        case "notify":
            again = sum(step.name == "notify" for step in path[:i])
            suffix = f"-{again + 1}" if again else ""
            number = f"LR-{at.year}-{worker.filing.reference[-8:]}{suffix}"
            channel = rng.choice(list(NotificationChannel))
            return d.NotifyDecision(dossier_id, at, agent, channel, at.date(), number)
        case "recours":
            notified = next(s.at.date() for s in reversed(path[:i]) if s.name == "notify")
            received = max(notified, at.date() - timedelta(days=rng.randint(1, 4)))
            return d.RequestReExamination(dossier_id, at, agent, received, people.RECOURS, rulebook)
        case "withdraw":
            return d.WithdrawDossier(dossier_id, at, "applicant", people.WITHDRAWAL)
        case "close":
            return d.CloseWithoutFollowUp(dossier_id, at, agent, people.CLOSING)
    raise ValueError(f"unknown demo step {path[i].name!r}")
