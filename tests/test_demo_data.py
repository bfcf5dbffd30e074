"""The demo data: forty-odd dossiers at every step, the CASS sessions that decide them and two
catastrophe events, loaded through the real services once however often run."""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from app.demo.data import (
    ANCHOR,
    CATASTROPHES,
    DOSSIERS,
    demo_actions,
    demo_dossier_id,
    demo_sessions,
    load_demo_data,
)
from app.demo.people import FINDINGS
from app.services.dossiers import DossierService
from app.settings import DEFAULT_REGIONS, Settings
from app.store.eventstore import EventStoreApplication, Recorded, open_event_store
from domain import adr_grant
from domain.cass_session import (
    DossierRemovedFromAgenda,
    MemberSignedIn,
    SessionOpened,
    SessionStatus,
)
from domain.commission_text import LEAFLET_CATEGORIES, spot
from domain.dossier import Dossier, Status, fold
from domain.dossier_events import (
    DecisionNotified,
    DossierDecided,
    DossierFiled,
    DossierPresentedToCass,
    DossierReviewed,
    DossierTakenOffAgenda,
    ReExaminationRequested,
)
from domain.eligibility import Result
from domain.rulebook import Rulebook
from domain.values import (
    Aid,
    AidAmount,
    AidRequest,
    DifficultyFactor,
    DocumentKind,
    Opinion,
    Outcome,
)

# The orders of magnitude of docs/domain.md, in euros.
RANGES = {
    Aid.ACED: (Decimal(250), Decimal(5000)),
    Aid.AFE: (Decimal(500), Decimal(6000)),
    Aid.FCI: (Decimal(300), Decimal(2000)),
    Aid.ADR: (Decimal(7500), Decimal(10_000)),
}
# Where a dossier stands once the last step of its plan is taken.
STATUS_AFTER = {
    "file": Status.FILED,
    "request": Status.AWAITING_DOCUMENTS,
    "close": Status.CLOSED_WITHOUT_FOLLOW_UP,
    "receive": Status.FILED,
    "review": Status.REVIEWED,
    "anonymise": Status.ANONYMISED,
    "present": Status.PRESENTED,
    "takeoff": Status.ANONYMISED,
    "full": Status.DECIDED,
    "part": Status.DECIDED,
    "rejected": Status.DECIDED,
    "adjourned": Status.ADJOURNED,
    "notify": Status.NOTIFIED,
    "recours": Status.RE_EXAMINATION,
    "withdraw": Status.WITHDRAWN,
}


@pytest.fixture
def store(fresh_settings: Settings) -> Iterator[EventStoreApplication]:
    application = open_event_store(fresh_settings)
    yield application
    application.close()


@pytest.fixture(scope="module")
def demo(module_settings: Settings) -> Iterator[DossierService]:
    """The demo, loaded once per store for the tests that read it (none of them writes)."""
    application = open_event_store(module_settings)
    load_demo_data(application)
    yield DossierService(application, Rulebook())
    application.close()


@pytest.fixture(scope="module")
def streams(demo: DossierService) -> list[list[Recorded]]:
    return [demo.history(demo_dossier_id(n)) for n in range(len(DOSSIERS))]


@pytest.fixture(scope="module")
def dossiers(streams: list[list[Recorded]]) -> list[Dossier]:
    folded = [fold([record.event for record in stream]) for stream in streams]
    assert all(dossier is not None for dossier in folded)
    return [dossier for dossier in folded if dossier is not None]


def amounts(dossier: Dossier) -> list[AidRequest | AidAmount]:
    review, decision = dossier.review, dossier.decision
    return [
        *dossier.filing.aids,
        *(review.proposal if review else ()),
        *(decision.granted if decision else ()),
    ]


def aids(dossier: Dossier) -> set[Aid]:
    return {request.aid for request in dossier.filing.aids}


def test_the_demo_loads_once_and_a_second_load_adds_nothing(
    store: EventStoreApplication,
) -> None:
    added = load_demo_data(store)
    events = store.recorder.max_notification_id()

    assert added == len(DOSSIERS) >= 40
    assert load_demo_data(store) == 0
    assert store.recorder.max_notification_id() == events


def test_an_interrupted_load_is_finished_by_the_next(store: EventStoreApplication) -> None:
    service = DossierService(store, Rulebook())
    actions = demo_actions(service.rulebook)
    for action in actions[: len(actions) // 2]:
        action.run(service)  # then the load stops, half done

    added = load_demo_data(store)

    assert 0 < added < len(DOSSIERS)
    for n, plan in enumerate(DOSSIERS):
        assert service.load(demo_dossier_id(n)).state.status is STATUS_AFTER[plan.steps[-1]]
    closed = [s for s in demo_sessions() if s.closed]
    assert all(service.session(s.id).state.status is SessionStatus.CLOSED for s in closed)


def test_every_text_the_demo_may_write_for_the_commission_is_accepted(
    dossiers: list[Dossier],
) -> None:
    texts = [
        f"Difficulté : {', '.join(categories)}. {finding}"
        for categories in [[c] for c in LEAFLET_CATEGORIES.values()]
        + [[*LEAFLET_CATEGORIES.values()]]
        for findings in FINDINGS.values()
        for finding in findings.values()
    ]
    for dossier in dossiers:
        filing = dossier.filing
        for text in texts:
            spotted = spot(
                text,
                filing.applicant,
                activity=filing.activity,
                dossier_id=filing.dossier_id,
                reference=filing.reference,
            )
            assert spotted == [], (text, spotted)


def test_each_demo_dossier_ends_where_its_plan_leads(dossiers: list[Dossier]) -> None:
    for plan, dossier in zip(DOSSIERS, dossiers, strict=True):
        assert dossier.status is STATUS_AFTER[plan.steps[-1]], plan


def test_the_demo_dossiers_reach_every_status(dossiers: list[Dossier]) -> None:
    assert {dossier.status for dossier in dossiers} == set(Status)


def test_the_commission_grants_in_full_in_part_rejects_and_adjourns(
    dossiers: list[Dossier],
) -> None:
    decisions = [dossier.decision for dossier in dossiers if dossier.decision]
    assert {decision.outcome for decision in decisions} == set(Outcome)
    notified = {d.decision.outcome for d in dossiers if d.status is Status.NOTIFIED and d.decision}
    assert notified == {Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART, Outcome.REJECTED}


def test_the_demo_asks_for_the_four_aids_in_a_plausible_mix(dossiers: list[Dossier]) -> None:
    asked = Counter(request.aid for dossier in dossiers for request in dossier.filing.aids)
    share = {aid: asked[aid] / asked.total() for aid in Aid}

    assert set(asked) == set(Aid)
    assert 0.55 <= share[Aid.ACED] <= 0.75
    assert 0.10 <= share[Aid.AFE] <= 0.30
    assert 0.05 <= share[Aid.FCI] <= 0.15
    assert 0.02 <= share[Aid.ADR] <= 0.10
    with_afe = [dossier for dossier in dossiers if Aid.AFE in aids(dossier)]
    assert sum(Aid.ACED in aids(dossier) for dossier in with_afe) > len(with_afe) / 2


def test_the_demo_spreads_over_at_least_eight_regions(dossiers: list[Dossier]) -> None:
    regions = {dossier.filing.region for dossier in dossiers}
    assert regions <= set(DEFAULT_REGIONS)
    assert len(regions) >= 8


def test_every_demo_amount_is_in_euros_and_cents_within_the_aid_range(
    dossiers: list[Dossier],
) -> None:
    for dossier in dossiers:
        for item in amounts(dossier):
            assert item.amount is not None
            low, high = RANGES[item.aid]
            assert low <= item.amount <= high, (dossier.filing.reference, item)
            assert item.amount.as_tuple().exponent == -2
            assert all(period.amount.as_tuple().exponent == -2 for period in item.periods)


def test_an_aced_names_the_contribution_periods_it_takes_over(dossiers: list[Dossier]) -> None:
    for dossier in dossiers:
        for item in amounts(dossier):
            if item.aid is Aid.ACED:
                due = sum(period.amount for period in item.periods)
                assert item.periods
                assert item.amount is not None
                # all the periods named, or part of a single period (a partial takeover)
                assert item.amount == due or (len(item.periods) == 1 and item.amount < due)


def test_every_grant_names_an_amount_and_an_aced_grant_its_periods(
    dossiers: list[Dossier],
) -> None:
    grants = [item for d in dossiers if d.decision for item in d.decision.granted]
    assert any(item.aid is Aid.ACED for item in grants)
    for item in grants:
        assert item.amount > 0
        if item.aid is Aid.ACED:
            assert item.periods
            assert item.amount <= sum(period.amount for period in item.periods)


def test_no_aid_is_granted_against_a_rule_its_review_found_failed(
    dossiers: list[Dossier],
) -> None:
    with_failed, left_out = [], []
    for dossier in dossiers:
        review, decision = dossier.review, dossier.decision
        if not review:
            continue
        failed = {f.aid for f in review.eligibility if f.result is Result.FAILED}
        if failed:
            with_failed.append(dossier)
        if decision and decision.outcome in (Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART):
            granted = {item.aid for item in decision.granted}
            assert not granted & failed, (dossier.filing.reference, failed)
            if failed:
                left_out.append(dossier)
    outcomes = {d.decision.outcome for d in with_failed if d.decision}
    assert {Outcome.REJECTED, Outcome.ADJOURNED} <= outcomes
    # an AFE asked above its scheme's ceiling is left out; the ACED beside it is granted
    assert any(d.decision and d.decision.outcome is Outcome.GRANTED_IN_PART for d in left_out)


def test_a_partial_grant_gives_less_than_was_asked(dossiers: list[Dossier]) -> None:
    for dossier in dossiers:
        decision = dossier.decision
        if decision and decision.outcome is Outcome.GRANTED_IN_PART:
            asked = sum(request.total() for request in dossier.filing.aids)
            assert sum(item.amount for item in decision.granted) < asked


def test_reviews_find_rules_passed_failed_and_not_determinable(dossiers: list[Dossier]) -> None:
    reviews = [dossier.review for dossier in dossiers if dossier.review]
    findings = [finding for review in reviews for finding in review.eligibility]

    assert {finding.result for finding in findings} == set(Result)
    assert Counter(finding.result for finding in findings).most_common(1)[0][0] is Result.PASSED
    assert {review.rulebook_version for review in reviews} == {Rulebook().version}
    for dossier in dossiers:
        if dossier.review:
            assert {finding.aid for finding in dossier.review.eligibility} == aids(dossier)


def test_fci_requests_follow_an_open_catastrophe_with_photos_of_the_damage(
    dossiers: list[Dossier],
) -> None:
    events = {event.id: event for event in CATASTROPHES.values()}
    fci = [dossier for dossier in dossiers if Aid.FCI in aids(dossier)]
    assert fci
    for dossier in fci:
        filing, claim = dossier.filing, dossier.filing.catastrophe
        assert filing.difficulty_factors == (DifficultyFactor.FIRE_OR_CATASTROPHE,)
        assert DocumentKind.DAMAGE_PHOTOS in filing.documents
        assert claim is not None
        event = events[claim.catastrophe_id]
        assert filing.region in event.regions
        assert event.start <= claim.damage_date <= event.end
        assert event.opened_at < filing.occurred_at
        if dossier.decision:
            assert dossier.decision.delegated
            assert dossier.decision.session_id is None


def test_fci_grants_draw_on_their_catastrophe_envelope(
    demo: DossierService, dossiers: list[Dossier]
) -> None:
    for event in CATASTROPHES.values():
        state = demo.catastrophe(event.id).state
        granted = [
            item.amount
            for dossier in dossiers
            if dossier.filing.catastrophe
            and dossier.filing.catastrophe.catastrophe_id == event.id
            and dossier.decision
            for item in dossier.decision.granted
        ]
        assert state.opening.envelope == event.envelope
        per_worker: dict[str, Decimal] = {}  # by worker: every establishment of one SIREN
        for draw in state.draws:
            assert re.fullmatch("[0-9a-f]{32}", draw.worker)  # a pseudonym, never the SIREN
            per_worker[draw.worker] = per_worker.get(draw.worker, Decimal(0)) + draw.amount
            if state.closing:
                assert draw.occurred_at < state.closing.occurred_at
        assert all(total <= Rulebook().fci_ceiling for total in per_worker.values())
        assert Decimal(0) < state.used == sum(granted)
        assert state.remaining == event.envelope - state.used
        assert (state.closing is not None) == (event.closed_at is not None)
    assert any(event.closed_at for event in CATASTROPHES.values())
    assert any(not event.closed_at for event in CATASTROPHES.values())


def test_past_sessions_are_closed_with_their_minutes(demo: DossierService) -> None:
    closed = [session for session in demo_sessions() if session.closed]
    assert len(closed) >= 10
    assert max(len(demo.session(s.id).state.agenda) for s in closed) >= 4
    for session in closed:
        state = demo.session(session.id).state
        assert state.status is SessionStatus.CLOSED
        assert state.closing is not None
        assert len(state.members_present) >= Rulebook().cass_quorum
        assert len(state.scheduling.members) >= Rulebook().cass_quorum
        assert set(state.members_present) <= set(state.scheduling.members)
        assert state.scheduling.members == tuple(f"cass-{session.region}-m{k}" for k in range(1, 7))
        minutes = {line.anonymous_code: line.outcome for line in state.closing.minutes}
        assert minutes == {
            item.anonymous_code: item.decision.outcome
            for item in state.agenda
            if item.decision is not None
        }
        assert len(minutes) == len(state.agenda)
        assert all(re.fullmatch("ANO-[0-9A-F]{10}", code) for code in minutes)


def test_sessions_open_on_their_date_with_the_quorum(demo: DossierService) -> None:
    opened = 0
    for session in demo_sessions():
        stream = demo.application.stream(session.id)
        assert len(demo.session(session.id).state.scheduling.members) >= Rulebook().cass_quorum
        for record in stream:
            if isinstance(record.event, SessionOpened):
                assert record.event.occurred_at.date() >= session.day
                assert len(record.event.members_present) >= Rulebook().cass_quorum
                assert record.event.attested
                signed = {
                    r.event.actor
                    for r in stream[: record.originator_version]
                    if isinstance(r.event, MemberSignedIn)
                }
                assert signed == set(record.event.members_present)
                assert record.event.actor in signed
                opened += 1
    assert opened == sum(session.held for session in demo_sessions())


def test_one_session_is_open_and_others_are_still_to_be_held(demo: DossierService) -> None:
    sessions = {s: demo.session(s.id).state for s in demo_sessions()}
    statuses = Counter(state.status for state in sessions.values())
    assert statuses[SessionStatus.OPEN] == 1
    assert statuses[SessionStatus.SCHEDULED] >= 1
    for session, state in sessions.items():
        undecided = [item.dossier_id for item in state.agenda if item.decision is None]
        if state.status is SessionStatus.OPEN:
            assert 0 < len(undecided) < len(state.agenda)
        if state.status is SessionStatus.SCHEDULED:
            assert session.day > ANCHOR.date()
            assert 0 < len(undecided) == len(state.agenda)
        for dossier_id in undecided:
            dossier = demo.load(dossier_id).state
            assert dossier.status is Status.PRESENTED
            assert dossier.presentation is not None
            assert dossier.presentation.session_id == session.id


def test_a_session_decides_the_dossiers_presented_to_it(streams: list[list[Recorded]]) -> None:
    references = {session.id: session.reference for session in demo_sessions()}
    for stream in streams:
        presented: DossierPresentedToCass | None = None
        for record in stream:
            event = record.event
            if isinstance(event, DossierPresentedToCass):
                presented = event
            if isinstance(event, DossierDecided) and not event.delegated:
                assert presented is not None
                assert event.session_id == presented.session_id
                assert event.session_id is not None
                assert event.session_reference == references[event.session_id]
                assert event.occurred_at.date() == presented.session_date


def test_an_adjourned_dossier_is_presented_to_a_later_session(
    streams: list[list[Recorded]],
) -> None:
    later = []
    for stream in streams:
        events = [record.event for record in stream]
        presented = [e for e in events if isinstance(e, DossierPresentedToCass)]
        adjourned = [
            e for e in events if isinstance(e, DossierDecided) and e.outcome is Outcome.ADJOURNED
        ]
        if adjourned and len(presented) > 1:
            assert presented[0].session_id != presented[1].session_id
            assert presented[0].session_date < presented[1].session_date
            later.append(events[-1])
    assert any(isinstance(event, DecisionNotified) for event in later)
    assert any(isinstance(event, DossierPresentedToCass) for event in later)


def test_a_recours_gracieux_is_decided_again_and_notified_again(
    streams: list[list[Recorded]],
) -> None:
    after_recours = []
    for stream in streams:
        names = [type(record.event).__name__ for record in stream]
        if ReExaminationRequested.NAME in names:
            after_recours.append(names[names.index(ReExaminationRequested.NAME) + 1 :])
    assert [] in after_recours  # one still waits for the commission
    # the other is reviewed again on what the recours brings, then decided again
    again = [DossierReviewed.NAME, "DossierAnonymised"]
    again += [DossierPresentedToCass.NAME, DossierDecided.NAME, DecisionNotified.NAME]
    assert again in after_recours


def test_a_recours_turns_a_rejection_into_a_grant_on_a_new_review(
    streams: list[list[Recorded]],
) -> None:
    for stream in streams:
        events = [record.event for record in stream]
        decisions = [e for e in events if isinstance(e, DossierDecided)]
        reviews = [e for e in events if isinstance(e, DossierReviewed)]
        if any(isinstance(e, ReExaminationRequested) for e in events) and len(decisions) > 1:
            assert [d.outcome for d in decisions] == [Outcome.REJECTED, Outcome.GRANTED_IN_PART]
            assert [r.opinion for r in reviews] == [Opinion.UNFAVOURABLE, Opinion.FAVOURABLE]
            assert decisions[-1].reason.startswith("Sur recours gracieux")
            break
    else:
        pytest.fail("no recours gracieux was decided again")


def test_a_dossier_taken_off_an_agenda_goes_to_the_next_session(
    demo: DossierService, streams: list[list[Recorded]]
) -> None:
    taken_off = []
    for stream in streams:
        events = [record.event for record in stream]
        for k, event in enumerate(events):
            if not isinstance(event, DossierTakenOffAgenda):
                continue
            first, then = events[k - 1], events[k + 1]
            assert isinstance(first, DossierPresentedToCass)
            assert isinstance(then, DossierPresentedToCass)
            assert event.session_reference == first.session_reference
            assert first.session_date < then.session_date
            assert first.session_id is not None
            session = demo.application.stream(first.session_id)
            kinds = [type(record.event) for record in session]
            removal = kinds.index(DossierRemovedFromAgenda)
            assert SessionOpened not in kinds[:removal]  # before the session opened
            assert demo.session(first.session_id).state.item(event.dossier_id) is None
            assert then.session_id is not None
            assert demo.session(then.session_id).state.item(event.dossier_id) is not None
            taken_off.append(event)
    assert len(taken_off) == 1


def test_withdrawals_come_before_any_agenda_and_any_recours(dossiers: list[Dossier]) -> None:
    withdrawn = [d for d in dossiers if d.status is Status.WITHDRAWN]
    assert withdrawn
    for dossier in withdrawn:
        assert dossier.presentation is None
        assert dossier.re_examination is None


def test_an_adr_grant_marks_the_person_once_and_for_all(
    demo: DossierService, dossiers: list[Dossier]
) -> None:
    granted = [
        dossier
        for dossier in dossiers
        if Aid.ADR in aids(dossier)
        and dossier.decision
        and dossier.decision.outcome is Outcome.GRANTED_IN_FULL
    ]
    assert granted
    for dossier in granted:
        assert dossier.filing.applicant.nir is not None
        person = adr_grant.adr_person_id(dossier.filing.applicant.nir, demo.application.audit_key)
        (record,) = demo.application.stream(person)
        assert isinstance(record.event, adr_grant.AdrGranted)
        assert record.event.dossier_id == dossier.filing.dossier_id


def test_each_step_comes_after_the_one_before_within_ten_months_of_the_anchor(
    demo: DossierService, streams: list[list[Recorded]]
) -> None:
    others = [session.id for session in demo_sessions()]
    others += [event.id for event in CATASTROPHES.values()]
    for stream in streams + [demo.application.stream(other) for other in others]:
        moments = [record.event.occurred_at for record in stream]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)
        assert moments[-1] < ANCHOR
    for stream in streams:
        assert ANCHOR - timedelta(days=320) <= stream[0].event.occurred_at


def test_caseworkers_commissions_and_applicants_act_under_their_own_ids(
    streams: list[list[Recorded]],
) -> None:
    for stream in streams:
        filing = stream[0].event
        assert isinstance(filing, DossierFiled)
        region = filing.region
        for record in stream:
            event, actor = record.event, record.event.actor
            if isinstance(event, DossierDecided):  # in session, by a member who signed in
                assert re.fullmatch(
                    f"director-{region}" if event.delegated else f"cass-{region}-m[1-6]", actor
                )
            else:
                assert actor == "applicant" or re.fullmatch(f"agent-{region}-\\d\\d", actor)
