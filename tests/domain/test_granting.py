"""What a decision may grant, beyond the limits: an amount for each aid, the periods an ACED takes
over, never an aid whose rules failed at review, and an FCI only on an open catastrophe event
covering the worker when it is granted.

The example dossier asks an ACED for Q4 2023 (1 320,50 €) and an AFE of 1 800 €; it is decided in
the April session of Bretagne.
"""

from dataclasses import replace
from decimal import Decimal
from uuid import UUID

import pytest
from examples import (
    ASSESSMENT,
    EVERYTHING_ASKED,
    HISTORY,
    Q4_2023,
    SITUATION,
    anonymise_dossier,
    decide_dossier,
    decided,
    dossier_after,
    file_dossier,
    present_to_cass,
    review_dossier,
    run,
)
from fci_and_adr import (
    ADR_ACTIVITY,
    ADR_GRANT,
    CATASTROPHE_ID,
    FCI_GRANT,
    FCI_SITUATION,
    STORM,
    adr_filing,
    adr_review,
    fci_decision,
    fci_filing,
    fci_review,
)
from spec import given

from domain.dossier import Command, DecideDossier, FileDossier, ReviewDossier, Status
from domain.dossier_events import Event
from domain.eligibility import CatastropheFacts
from domain.rulebook import Rulebook
from domain.values import ActivityKind, Aid, AidAmount, AidRequest, Outcome, Situation

PART, FULL = Outcome.GRANTED_IN_PART, Outcome.GRANTED_IN_FULL
PRESENTED = HISTORY[Status.PRESENTED]
ACED_IN_FULL, AFE_IN_FULL = EVERYTHING_ASKED


def presented(filing: FileDossier, review: ReviewDossier) -> tuple[Event, ...]:
    return run(filing, review, anonymise_dossier(), present_to_cass())


def in_part(*granted: AidAmount) -> DecideDossier:
    return decide_dossier(outcome=PART, granted=granted)


# Each aid granted is granted an amount


@pytest.mark.parametrize(
    ("granted", "aid"),
    [
        ((AidAmount(Aid.AFE, Decimal("0.00")),), "AFE"),
        ((AidAmount(Aid.ACED, Decimal("0.00"), (Q4_2023,)),), "ACED"),
        ((ACED_IN_FULL, AidAmount(Aid.AFE, Decimal("0.00"))), "AFE"),
    ],
    ids=["afe-alone", "aced-with-its-period", "afe-beside-an-aced"],
)
def test_a_grant_grants_an_amount(granted: tuple[AidAmount, ...], aid: str) -> None:
    refused = given(*PRESENTED).when(in_part(*granted))
    assert refused.then_refused("a_grant_grants_an_amount").reason == f"{aid} is granted 0.00 €"


# An ACED names the contribution periods it takes over


def test_an_aced_decision_names_the_periods_it_takes_over() -> None:
    no_period = AidAmount(Aid.ACED, Decimal("1000.00"))
    refused = (
        given(*PRESENTED).when(in_part(no_period)).then_refused("aced_names_the_periods_covered")
    )
    assert refused.reason == "an ACED decision names the contribution periods it takes over"
    with_its_period = replace(no_period, periods=(Q4_2023,))
    given(*PRESENTED).when(in_part(with_its_period)).then(
        decided(outcome=PART, granted=(with_its_period,))
    )


# No aid is granted against a rule that failed at review

NOT_ONE_OFF = replace(SITUATION, difficulty_is_one_off=False)
LIBERALE = replace(ADR_ACTIVITY, kind=ActivityKind.PROFESSION_LIBERALE)
IN_CUMUL = replace(FCI_SITUATION, in_cumul_emploi_retraite=True)


@pytest.mark.parametrize(
    ("history", "decision", "rule", "aid"),
    [
        (
            presented(file_dossier(), review_dossier(situation=NOT_ONE_OFF, proposal=())),
            decide_dossier(),
            "requires_a_one_off_difficulty",
            "ACED",
        ),
        (
            presented(adr_filing(activity=LIBERALE), adr_review(proposal=())),
            decide_dossier(granted=ADR_GRANT),
            "adr_requires_artisan_or_commercant",
            "ADR",
        ),
        (
            presented(adr_filing(), adr_review(adr_already_granted=True, proposal=())),
            decide_dossier(granted=ADR_GRANT),
            "adr_is_granted_once_per_person",
            "ADR",
        ),
        (
            run(fci_filing(), fci_review(situation=IN_CUMUL, proposal=())),
            fci_decision(),
            "fci_excludes_cumul_emploi_retraite",
            "FCI",
        ),
    ],
    ids=["aced-not-one-off", "adr-profession-liberale", "adr-granted-before", "fci-in-cumul"],
)
def test_no_aid_is_granted_against_a_rule_that_failed_at_review(
    history: tuple[Event, ...], decision: Command, rule: str, aid: str
) -> None:
    reason = given(*history).when(decision).then_refused(rule).reason
    assert reason.startswith(f"{aid} cannot be granted: ")
    assert reason.endswith("(found at review)")


def test_an_aid_whose_rules_passed_is_granted_beside_one_that_failed() -> None:
    paid = replace(ASSESSMENT, contributions_paid=Decimal("1500.00"))  # less than the AFE asked
    history = presented(file_dossier(), review_dossier(assessment=paid, proposal=()))
    given(*history).when(in_part(ACED_IN_FULL)).then(decided(outcome=PART, granted=(ACED_IN_FULL,)))


def test_a_rule_that_could_not_be_determined_leaves_the_commission_free_to_grant() -> None:
    unknown = review_dossier(situation=Situation())
    events = run(decide_dossier(), history=presented(file_dossier(), unknown))
    decision = dossier_after(*events).decision
    assert decision is not None
    assert (decision.outcome, decision.granted) == (FULL, EVERYTHING_ASKED)


@pytest.mark.parametrize(
    ("filing", "review", "granted"),
    [
        (
            file_dossier(aids=(AidRequest(Aid.AFE, Decimal("2500.00")),)),
            review_dossier(proposal=()),
            AidAmount(Aid.AFE, Decimal("2000.00")),
        ),
        (
            file_dossier(),
            review_dossier(
                assessment=replace(ASSESSMENT, contributions_paid=Decimal("1500.00")), proposal=()
            ),
            AidAmount(Aid.AFE, Decimal("1500.00")),
        ),
    ],
    ids=["afe-asked-above-its-ceiling", "afe-asked-above-the-contributions-paid"],
)
def test_an_aid_asked_above_a_limit_is_granted_in_part_within_it(
    filing: FileDossier, review: ReviewDossier, granted: AidAmount
) -> None:
    history = presented(filing, review)
    given(*history).when(in_part(granted)).then(decided(outcome=PART, granted=(granted,)))


# An FCI is granted on its catastrophe event as it is at the decision: still open, still covering

OPEN_CATASTROPHE_RULE = "fci_requires_an_open_catastrophe_covering_region_and_date"
FCI_REVIEWED = run(fci_filing(), fci_review())
FCI_PRESENTED = presented(fci_filing(), fci_review())
ANOTHER_EVENT = UUID("0c0c0c0c-1d1d-4e4e-8f8f-2a2a2a2a2a2a")
PATHS = pytest.mark.parametrize("path", ["delegated", "session"])


def fci_grant(path: str, facts: CatastropheFacts | None) -> tuple[tuple[Event, ...], Command]:
    """The history and the decision granting the FCI, by delegation or in the April session."""
    if path == "delegated":
        return FCI_REVIEWED, fci_decision(catastrophe=facts)
    return FCI_PRESENTED, decide_dossier(granted=FCI_GRANT, catastrophe=facts)


@PATHS
@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (replace(STORM, is_open=False), "closed"),
        (None, str(CATASTROPHE_ID)),
        (replace(STORM, catastrophe_id=ANOTHER_EVENT), str(CATASTROPHE_ID)),
        (replace(STORM, regions=("pays-de-la-loire",)), "bretagne"),
    ],
    ids=["closed-since-the-review", "event-not-given", "another-event", "region-not-covered"],
)
def test_fci_requires_an_open_catastrophe_covering_region_and_date_at_decision(
    path: str, facts: CatastropheFacts | None, words: str
) -> None:
    history, decision = fci_grant(path, facts)
    reason = given(*history).when(decision).then_refused(OPEN_CATASTROPHE_RULE).reason
    assert reason.startswith("FCI cannot be granted: ")
    assert words in reason


@PATHS
def test_an_fci_is_granted_while_its_catastrophe_is_open_and_covers_the_worker(path: str) -> None:
    history, decision = fci_grant(path, STORM)
    events = run(decision, history=history)
    granted = dossier_after(*events).decision
    assert granted is not None
    assert (granted.outcome, granted.granted) == (FULL, FCI_GRANT)


def test_an_fci_is_rejected_without_reading_its_catastrophe_event() -> None:
    rejection = fci_decision(outcome=Outcome.REJECTED, granted=(), catastrophe=None)
    rejected = dossier_after(*run(rejection, history=FCI_REVIEWED)).decision
    assert rejected is not None
    assert (rejected.outcome, rejected.granted, rejected.delegated) == (Outcome.REJECTED, (), True)


# What the decision records


def test_the_decision_records_the_rulebook_version_it_applied() -> None:
    rulebook = Rulebook(version="2024.2-bretagne")
    given(*PRESENTED).when(decide_dossier(rulebook=rulebook)).then(
        decided(rulebook_version="2024.2-bretagne")
    )
    assert decided().rulebook_version == "2026.1"


def test_a_delegated_decision_records_the_rulebook_version_too() -> None:
    events = run(fci_decision(rulebook=Rulebook(version="2024.2-bretagne")), history=FCI_REVIEWED)
    decision = dossier_after(*events).decision
    assert decision is not None
    assert (decision.granted, decision.rulebook_version) == (FCI_GRANT, "2024.2-bretagne")
