"""The FCI: emergency aid after a catastrophe, its rules, its filing and its delegated fast path."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from examples import (
    AIDS,
    DOSSIER_ID,
    anonymise_dossier,
    decide_dossier,
    dossier_after,
    file_dossier,
    filed,
    finding,
    notify_decision,
    present_to_cass,
    request_documents,
    request_re_examination,
    review_dossier,
    run,
)
from fci_and_adr import (
    CATASTROPHE_ID,
    CLAIM,
    FCI_AIDS,
    FCI_GRANT,
    FCI_SITUATION,
    STORM,
    fci_decision,
    fci_filing,
    fci_review,
)
from spec import given

from domain.dossier import Status, decide, fold
from domain.dossier_events import DossierDecided, DossierReviewed
from domain.eligibility import CatastropheFacts, Result
from domain.rulebook import Rulebook
from domain.values import Aid, AidRequest, CatastropheClaim, Outcome, Situation

PASSED, FAILED, UNKNOWN = Result.PASSED, Result.FAILED, Result.NOT_DETERMINABLE
FACT_CASES = [(True, PASSED), (False, FAILED), (None, UNKNOWN)]
FACT_IDS = ["established", "not-so", "not-established"]
REVIEWED = run(fci_filing(), fci_review())


def situation(**changes: Any) -> Situation:
    return replace(FCI_SITUATION, **changes)


def storm(**changes: Any) -> CatastropheFacts:
    return replace(STORM, **changes)


def fci(amount: str) -> tuple[AidRequest, ...]:
    return (AidRequest(aid=Aid.FCI, amount=Decimal(amount)),)


# Eligibility


@pytest.mark.parametrize(("fact", "result"), FACT_CASES, ids=FACT_IDS)
def test_fci_requires_an_active_worker(fact: bool | None, result: Result) -> None:
    review = fci_review(situation=situation(active=fact))
    found = finding(Aid.FCI, "fci_requires_an_active_worker", fci_filing(), review)
    assert found.result is result, found
    assert "active" in found.reason


@pytest.mark.parametrize(("fact", "result"), FACT_CASES, ids=FACT_IDS)
def test_fci_requires_self_employment_as_main_activity(fact: bool | None, result: Result) -> None:
    review = fci_review(situation=situation(self_employment_is_main_activity=fact))
    found = finding(Aid.FCI, "requires_self_employment_as_main_activity", fci_filing(), review)
    assert found.result is result, found
    assert "main activity" in found.reason


@pytest.mark.parametrize(
    ("in_cumul", "result", "words"),
    [
        (False, PASSED, "not in cumul"),
        (True, FAILED, "Carsat"),
        (None, UNKNOWN, "not established"),
    ],
    ids=["not-in-cumul", "in-cumul", "not-established"],
)
def test_fci_excludes_cumul_emploi_retraite(
    in_cumul: bool | None, result: Result, words: str
) -> None:
    review = fci_review(situation=situation(in_cumul_emploi_retraite=in_cumul))
    found = finding(Aid.FCI, "fci_excludes_cumul_emploi_retraite", fci_filing(), review)
    assert found.result is result, found
    assert words in found.reason


OPEN_CATASTROPHE_RULE = "fci_requires_an_open_catastrophe_covering_region_and_date"


@pytest.mark.parametrize(
    ("damage_date", "region", "facts", "result", "figure"),
    [
        (date(2024, 2, 27), "bretagne", STORM, PASSED, "2024-02-27"),
        (date(2024, 2, 25), "pays-de-la-loire", STORM, PASSED, "pays-de-la-loire"),
        (date(2024, 3, 2), "bretagne", STORM, PASSED, "2024-03-02"),
        (date(2024, 2, 24), "bretagne", STORM, FAILED, "2024-02-25"),
        (date(2024, 3, 3), "bretagne", STORM, FAILED, "2024-03-02"),
        (date(2024, 2, 27), "normandie", STORM, FAILED, "normandie"),
        (date(2024, 2, 27), "bretagne", replace(STORM, is_open=False), FAILED, "closed"),
        (date(2024, 2, 27), "bretagne", None, FAILED, str(CATASTROPHE_ID)),
    ],
    ids=[
        "during",
        "first-day-other-region-covered",
        "last-day",
        "the-day-before",
        "the-day-after",
        "region-not-covered",
        "event-closed",
        "no-such-event",
    ],
)
def test_fci_requires_an_open_catastrophe_covering_region_and_date(
    damage_date: date, region: str, facts: CatastropheFacts | None, result: Result, figure: str
) -> None:
    filing = fci_filing(region=region, catastrophe=replace(CLAIM, damage_date=damage_date))
    found = finding(Aid.FCI, OPEN_CATASTROPHE_RULE, filing, fci_review(catastrophe=facts))
    assert found.result is result, found
    assert figure in found.reason


def test_fci_requires_the_catastrophe_event_the_worker_named() -> None:
    another = storm(catastrophe_id=UUID("0c0c0c0c-1d1d-4e4e-8f8f-2a2a2a2a2a2a"))
    found = finding(Aid.FCI, OPEN_CATASTROPHE_RULE, fci_filing(), fci_review(catastrophe=another))
    assert found.result is FAILED, found
    assert str(CATASTROPHE_ID) in found.reason


@pytest.mark.parametrize(
    ("asked", "result"), [("2000.00", PASSED), ("2000.01", FAILED)], ids=["at-2000", "above"]
)
def test_fci_within_ceiling(asked: str, result: Result) -> None:
    filing = fci_filing(aids=fci(asked))
    found = finding(Aid.FCI, "fci_within_ceiling", filing, fci_review(proposal=()))
    assert found.result is result, found
    assert "2000.00 €" in found.reason


def test_the_fci_ceiling_is_reference_data_of_the_rulebook() -> None:
    review = fci_review(rulebook=Rulebook(fci_ceiling=Decimal("1000.00")), proposal=())
    found = finding(Aid.FCI, "fci_within_ceiling", fci_filing(), review)
    assert found.result is FAILED, found
    assert "1000.00 €" in found.reason


@pytest.mark.parametrize(
    ("facts", "result", "figure"),
    [
        (storm(remaining=Decimal("1500.00")), PASSED, "1500.00 €"),
        (storm(remaining=Decimal("1499.99")), FAILED, "1499.99 €"),
        (None, FAILED, "no envelope"),
    ],
    ids=["as-much-as-asked-remains", "a-cent-short", "no-event"],
)
def test_fci_within_remaining_envelope(
    facts: CatastropheFacts | None, result: Result, figure: str
) -> None:
    review = fci_review(catastrophe=facts)
    found = finding(Aid.FCI, "fci_within_remaining_envelope", fci_filing(), review)
    assert found.result is result, found
    assert figure in found.reason


def test_an_fci_review_records_every_fci_rule_passed_for_the_example() -> None:
    review = REVIEWED[1]
    assert isinstance(review, DossierReviewed)
    assert [(f.rule, f.result) for f in review.eligibility] == [
        ("fci_requires_an_active_worker", PASSED),
        ("requires_self_employment_as_main_activity", PASSED),
        ("fci_excludes_cumul_emploi_retraite", PASSED),
        (OPEN_CATASTROPHE_RULE, PASSED),
        ("fci_within_ceiling", PASSED),
        ("fci_within_remaining_envelope", PASSED),
    ]


# Filing


def test_an_fci_request_names_its_catastrophe_event() -> None:
    given().when(fci_filing(catastrophe=None)).then_invalid("catastrophe")


def test_a_catastrophe_event_is_named_only_with_an_fci_request() -> None:
    given().when(file_dossier(aids=AIDS, catastrophe=CLAIM)).then_invalid("catastrophe")


def test_the_damage_is_not_dated_in_the_future() -> None:
    tomorrow = CatastropheClaim(CATASTROPHE_ID, damage_date=date(2024, 3, 5))
    given().when(fci_filing(catastrophe=tomorrow)).then_invalid("catastrophe.damage_date")


def test_an_fci_is_filed_with_its_claim_for_damage_of_the_day() -> None:
    today = CatastropheClaim(CATASTROPHE_ID, damage_date=date(2024, 3, 4))
    [event] = decide(fci_filing(catastrophe=today), None)
    assert event == filed(
        aids=FCI_AIDS,
        catastrophe=today,
        difficulty_factors=fci_filing().difficulty_factors,
        own_account=fci_filing().own_account,
    )


# The delegated fast path


def test_an_fci_is_decided_by_delegation_once_reviewed() -> None:
    [event] = decide(fci_decision(), fold(REVIEWED))
    assert event == DossierDecided(
        dossier_id=DOSSIER_ID,
        occurred_at=fci_decision().at,
        actor=fci_decision().actor,
        outcome=Outcome.GRANTED_IN_FULL,
        granted=FCI_GRANT,
        reason="damage by the storm confirmed, within the ceiling",
        session_id=None,
        session_reference=None,
        delegated=True,
        rulebook_version="2026.1",
    )


def test_a_delegated_decision_is_notified_like_any_other() -> None:
    events = run(fci_decision(), notify_decision(), history=REVIEWED)
    assert dossier_after(*events).status is Status.NOTIFIED


def test_an_anonymised_fci_may_still_take_the_delegated_path() -> None:
    events = run(anonymise_dossier(), fci_decision(), history=REVIEWED)
    decision = dossier_after(*events).decision
    assert decision is not None
    assert (decision.delegated, decision.session_id, decision.granted) == (True, None, FCI_GRANT)


@pytest.mark.parametrize(
    "aids",
    [AIDS, (*FCI_AIDS, AIDS[0])],
    ids=["aced-and-afe", "fci-with-an-aced"],
)
def test_only_fci_takes_the_delegated_path(aids: tuple[AidRequest, ...]) -> None:
    claim = CLAIM if any(a.aid is Aid.FCI for a in aids) else None
    history = run(file_dossier(aids=aids, catastrophe=claim), review_dossier(proposal=()))
    refused = given(*history).when(
        decide_dossier(session=None, outcome=Outcome.REJECTED, granted=())
    )
    refused.then_refused("only_fci_takes_the_delegated_path")


@pytest.mark.parametrize(
    "history",
    [
        run(fci_filing()),
        run(fci_filing(), request_documents()),
        run(present_to_cass(), history=run(anonymise_dossier(), history=REVIEWED)),
    ],
    ids=["filed", "awaiting-documents", "presented-to-a-session"],
)
def test_delegated_decision_follows_the_review(history: tuple[Any, ...]) -> None:
    given(*history).when(fci_decision()).then_refused("delegated_decision_follows_the_review")


def test_an_fci_may_also_be_decided_by_the_commission() -> None:
    presented = run(anonymise_dossier(), present_to_cass(), history=REVIEWED)
    [event] = decide(decide_dossier(granted=FCI_GRANT, catastrophe=STORM), fold(presented))
    assert isinstance(event, DossierDecided)
    assert (event.delegated, event.session_reference) == (False, "CASS-BRE-2024-04")


def test_a_re_examined_fci_goes_back_to_the_commission_not_the_delegated_path() -> None:
    notified = run(fci_decision(), notify_decision(), request_re_examination(), history=REVIEWED)
    again = run(fci_review(at=datetime(2024, 5, 7, 9, 0, tzinfo=UTC)), history=notified)
    delegated = fci_decision(at=datetime(2024, 5, 7, 16, 0, tzinfo=UTC))
    given(*again).when(delegated).then_refused("re_examination_goes_to_the_commission")
