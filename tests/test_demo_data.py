"""The demo data: forty-odd dossiers at every step of the path, loaded once however often run."""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from app.demo import ANCHOR, DOSSIERS, demo_dossier_id, load_demo_data
from app.eventstore import EventStoreApplication, Recorded, open_event_store
from app.settings import DEFAULT_REGIONS, Settings
from domain.dossier import Dossier, DossierDecided, DossierFiled, Status, fold
from domain.values import Aid, AidAmount, AidRequest, DifficultyFactor, DocumentKind, Outcome

# The orders of magnitude of docs/domain.md, in euros.
RANGES = {
    Aid.ACED: (Decimal(250), Decimal(5000)),
    Aid.AFE: (Decimal(500), Decimal(6000)),
    Aid.FCI: (Decimal(300), Decimal(2000)),
    Aid.ADR: (Decimal(7500), Decimal(10_000)),
}


@pytest.fixture
def store(fresh_settings: Settings) -> Iterator[EventStoreApplication]:
    application = open_event_store(fresh_settings)
    yield application
    application.close()


@pytest.fixture
def streams(store: EventStoreApplication) -> list[list[Recorded]]:
    load_demo_data(store)
    return [store.stream(demo_dossier_id(n)) for n in range(len(DOSSIERS))]


@pytest.fixture
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


def test_the_demo_loads_once_and_a_second_load_adds_nothing(
    store: EventStoreApplication,
) -> None:
    added = load_demo_data(store)
    events = store.recorder.max_notification_id()

    assert added == len(DOSSIERS) >= 30
    assert load_demo_data(store) == 0
    assert store.recorder.max_notification_id() == events


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
    with_afe = [d for d in dossiers if Aid.AFE in {r.aid for r in d.filing.aids}]
    assert sum(Aid.ACED in {r.aid for r in d.filing.aids} for d in with_afe) > len(with_afe) / 2


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


def test_a_partial_grant_gives_less_than_was_asked(dossiers: list[Dossier]) -> None:
    for dossier in dossiers:
        decision = dossier.decision
        if decision and decision.outcome is Outcome.GRANTED_IN_PART:
            asked = sum(request.amount or 0 for request in dossier.filing.aids)
            assert sum(item.amount for item in decision.granted) < asked


def test_fci_requests_follow_a_catastrophe_with_photos_of_the_damage(
    dossiers: list[Dossier],
) -> None:
    fci = [d.filing for d in dossiers if Aid.FCI in {r.aid for r in d.filing.aids}]
    assert fci
    for filing in fci:
        assert filing.difficulty_factors == (DifficultyFactor.FIRE_OR_CATASTROPHE,)
        assert DocumentKind.DAMAGE_PHOTOS in filing.documents


def test_each_step_comes_after_the_one_before_within_ten_months_of_the_anchor(
    streams: list[list[Recorded]],
) -> None:
    for stream in streams:
        moments = [record.event.occurred_at for record in stream]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)
        assert ANCHOR - timedelta(days=320) <= moments[0]
        assert moments[-1] < ANCHOR


def test_caseworkers_the_commission_and_applicants_act_under_their_own_ids(
    streams: list[list[Recorded]],
) -> None:
    for stream in streams:
        filing = stream[0].event
        assert isinstance(filing, DossierFiled)
        region = filing.region
        for record in stream:
            actor = record.event.actor
            if isinstance(record.event, DossierDecided):
                assert actor == f"cass-{region}"
            else:
                assert actor == "applicant" or re.fullmatch(f"agent-{region}-\\d\\d", actor)
