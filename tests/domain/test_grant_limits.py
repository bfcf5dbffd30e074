"""What a proposal or a grant may be: within the request and the aids' ceilings, in full or in part,
and never an aid whose rules failed at review.

Each limit is checked twice, on the review's proposal and on the commission's decision, with the
rulebook given with the command. A decision grants at a limit only what the review found within
it: a request above a ceiling fails that rule at review, and an aid failed at review is not granted.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from examples import (
    ASSESSMENT,
    EVERYTHING_ASKED,
    PROPOSAL,
    Q4_2023,
    RULEBOOK,
    anonymise_dossier,
    decide_dossier,
    file_dossier,
    present_to_cass,
    review_dossier,
    run,
)
from fci_and_adr import ADR_ASSESSMENT, STORM, adr_filing, adr_review, fci_filing, fci_review
from spec import When, given

from domain.dossier import Command, FileDossier, ReviewDossier, State, decide
from domain.dossier_events import DossierDecided, DossierReviewed, Event
from domain.rulebook import Rulebook
from domain.values import Aid, AidAmount, AidRequest, Assessment, ContributionPeriod, Outcome

STEPS = pytest.mark.parametrize("step", ["proposal", "decision"])
PART, FULL = Outcome.GRANTED_IN_PART, Outcome.GRANTED_IN_FULL


def euros(amount: str) -> Decimal:
    return Decimal(amount)


def at(
    step: str,
    amounts: tuple[AidAmount, ...],
    *,
    filing: FileDossier | None = None,
    review: ReviewDossier | None = None,
    assessment: Assessment = ASSESSMENT,
    rulebook: Rulebook = RULEBOOK,
    outcome: Outcome = PART,
) -> When[Command, State, Event]:
    """The review proposing `amounts`, or the decision granting them after a review of nothing
    (an FCI's with the storm still open)."""
    filing = filing or file_dossier()
    review = replace(review or review_dossier(), assessment=assessment, proposal=())
    if step == "proposal":
        return given(*run(filing)).when(replace(review, proposal=amounts, rulebook=rulebook))
    history = run(filing, review, anonymise_dossier(), present_to_cass())
    storm = STORM if any(r.aid is Aid.FCI for r in filing.aids) else None
    decision = decide_dossier(
        outcome=outcome, granted=amounts, rulebook=rulebook, catastrophe=storm
    )
    return given(*history).when(decision)


def recorded(when: When[Command, State, Event]) -> tuple[AidAmount, ...]:
    """What the accepted review proposed or decision granted."""
    [event] = decide(when.command, when.given.state())
    assert isinstance(event, DossierReviewed | DossierDecided), event
    return event.proposal if isinstance(event, DossierReviewed) else event.granted


def one(aid: Aid, amount: str, *periods: ContributionPeriod) -> tuple[AidAmount, ...]:
    return (AidAmount(aid=aid, amount=euros(amount), periods=periods),)


def asking(aid: Aid, amount: str, scheme: str = "standard") -> tuple[AidRequest, ...]:
    return (AidRequest(aid=aid, amount=euros(amount), scheme=scheme),)


# The limits


@STEPS
def test_no_grant_above_the_request(step: str) -> None:
    refused = at(step, one(Aid.AFE, "1800.01")).then_refused("no_grant_above_the_request")
    assert refused.reason == "1800.01 € of AFE: more than the 1800.00 € asked"
    at(step, one(Aid.ACED, "1320.51", Q4_2023)).then_refused("no_grant_above_the_request")
    assert recorded(at(step, one(Aid.AFE, "1800.00"))) == one(Aid.AFE, "1800.00")


@STEPS
@pytest.mark.parametrize(
    ("scheme", "asked", "ceiling"),
    [("standard", "2500.00", "2000.00"), ("riots-2023", "6500.00", "6000.00")],
    ids=["standard", "riots-2023"],
)
def test_afe_within_ceiling(step: str, scheme: str, asked: str, ceiling: str) -> None:
    filing = file_dossier(aids=asking(Aid.AFE, asked, scheme))
    above = one(Aid.AFE, str(euros(ceiling) + euros("0.01")))
    refused = at(step, above, filing=filing).then_refused("afe_within_ceiling")
    assert f"more than the AFE ceiling of {ceiling} €" in refused.reason
    at_ceiling = file_dossier(aids=asking(Aid.AFE, ceiling, scheme))
    granted = at(step, one(Aid.AFE, ceiling), filing=at_ceiling, outcome=FULL)
    assert recorded(granted) == one(Aid.AFE, ceiling)


@STEPS
def test_afe_not_above_contributions_paid(step: str) -> None:
    paid = replace(ASSESSMENT, contributions_paid=euros("1400.00"))
    refused = at(step, one(Aid.AFE, "1400.01"), assessment=paid)
    reason = refused.then_refused("afe_not_above_contributions_paid").reason
    assert "more than the 1400.00 € of contributions paid" in reason
    asking_as_much = file_dossier(aids=asking(Aid.AFE, "1400.00"))
    at_paid = at(
        step, one(Aid.AFE, "1400.00"), filing=asking_as_much, assessment=paid, outcome=FULL
    )
    assert recorded(at_paid) == one(Aid.AFE, "1400.00")


@STEPS
def test_fci_within_ceiling(step: str) -> None:
    filing = fci_filing(aids=asking(Aid.FCI, "2500.00"))
    above = at(step, one(Aid.FCI, "2000.01"), filing=filing, review=fci_review())
    assert (
        "more than the FCI ceiling of 2000.00 €" in above.then_refused("fci_within_ceiling").reason
    )
    at_ceiling = fci_filing(aids=asking(Aid.FCI, "2000.00"))
    granted = at(
        step, one(Aid.FCI, "2000.00"), filing=at_ceiling, review=fci_review(), outcome=FULL
    )
    assert recorded(granted) == one(Aid.FCI, "2000.00")


@STEPS
def test_adr_within_ceiling(step: str) -> None:
    filing = adr_filing(aids=asking(Aid.ADR, "12000.00"))
    review, paid = adr_review(), ADR_ASSESSMENT
    above = at(step, one(Aid.ADR, "10000.01"), filing=filing, review=review, assessment=paid)
    assert (
        "more than the ADR ceiling of 10000.00 €" in above.then_refused("adr_within_ceiling").reason
    )
    at_ceiling = adr_filing(aids=asking(Aid.ADR, "10000.00"))
    ceiling = at(
        step,
        one(Aid.ADR, "10000.00"),
        filing=at_ceiling,
        review=review,
        assessment=paid,
        outcome=FULL,
    )
    assert recorded(ceiling) == one(Aid.ADR, "10000.00")


@STEPS
def test_adr_below_contributions_paid(step: str) -> None:
    as_much = replace(ADR_ASSESSMENT, contributions_paid=euros("8000.00"))
    filing, review = adr_filing(aids=asking(Aid.ADR, "9000.00")), adr_review()
    same = at(step, one(Aid.ADR, "8000.00"), filing=filing, review=review, assessment=as_much)
    reason = same.then_refused("adr_below_contributions_paid").reason
    assert "more than the 7999.99 € allowed below the 8000.00 € of contributions paid" in reason
    a_cent_more = replace(ADR_ASSESSMENT, contributions_paid=euros("8000.01"))
    below = at(
        step,
        one(Aid.ADR, "8000.00"),
        filing=adr_filing(),
        review=review,
        assessment=a_cent_more,
        outcome=FULL,
    )
    assert recorded(below) == one(Aid.ADR, "8000.00")


Q3_2023 = ContributionPeriod(date(2023, 7, 1), date(2023, 9, 30), euros("1290.00"))


@STEPS
def test_aced_covers_only_the_periods_asked(step: str) -> None:
    at(step, one(Aid.ACED, "1000.00", Q3_2023)).then_refused("aced_covers_only_the_periods_asked")
    part = one(Aid.ACED, "1000.00", Q4_2023)
    assert recorded(at(step, part)) == part


@STEPS
def test_the_ceilings_are_those_of_the_rulebook_given_with_the_command(step: str) -> None:
    lower = Rulebook(version="2025.1", fci_ceiling=euros("1000.00"))
    at(step, one(Aid.FCI, "1500.00"), filing=fci_filing(), rulebook=lower).then_refused(
        "fci_within_ceiling"
    )


@STEPS
def test_aced_covers_at_most_the_periods_it_names(step: str) -> None:
    filing = file_dossier(aids=(AidRequest(aid=Aid.ACED, periods=(Q3_2023, Q4_2023)),))
    above = at(step, one(Aid.ACED, "1320.51", Q4_2023), filing=filing)
    assert "1320.50 €" in above.then_refused("aced_covers_at_most_the_periods_it_names").reason
    q4 = one(Aid.ACED, "1320.50", Q4_2023)
    assert recorded(at(step, q4, filing=filing)) == q4


@STEPS
def test_only_an_aced_covers_at_most_the_periods_it_names(step: str) -> None:
    """The limit is the ACED's: periods named with another aid do not cap its amount."""
    afe = AidRequest(aid=Aid.AFE, amount=euros("1800.00"), periods=(Q4_2023,))
    more_than_q4 = one(Aid.AFE, "1500.00", Q4_2023)  # Q4 2023 is 1 320,50 €
    assert recorded(at(step, more_than_q4, filing=file_dossier(aids=(afe,)))) == more_than_q4


# In full or in part

PRESENTED = run(file_dossier(), review_dossier(), anonymise_dossier(), present_to_cass())


@pytest.mark.parametrize(
    "granted",
    [
        PROPOSAL,
        EVERYTHING_ASKED[:1],
        (replace(EVERYTHING_ASKED[0], periods=()), EVERYTHING_ASKED[1]),
    ],
    ids=["less-afe-than-asked", "no-afe", "aced-without-its-periods"],
)
def test_a_full_grant_grants_everything_asked(granted: tuple[AidAmount, ...]) -> None:
    full = decide_dossier(outcome=Outcome.GRANTED_IN_FULL, granted=granted)
    given(*PRESENTED).when(full).then_refused("a_full_grant_grants_everything_asked")


def test_a_full_grant_names_the_aids_in_any_order() -> None:
    full = decide_dossier(granted=EVERYTHING_ASKED[::-1])
    [event] = decide(full, given(*PRESENTED).state())
    assert isinstance(event, DossierDecided)
    assert event.granted == EVERYTHING_ASKED[::-1]


def test_a_partial_grant_grants_less_than_asked() -> None:
    everything = decide_dossier(outcome=PART, granted=EVERYTHING_ASKED)
    given(*PRESENTED).when(everything).then_refused("a_partial_grant_grants_less_than_asked")


def test_a_partial_grant_states_what_is_granted() -> None:
    [event] = decide(decide_dossier(outcome=PART, granted=PROPOSAL), given(*PRESENTED).state())
    assert isinstance(event, DossierDecided)
    assert (event.outcome, event.granted) == (PART, PROPOSAL)


# The order an ACED covers contribution periods in

Q1_2023 = ContributionPeriod(date(2023, 1, 1), date(2023, 3, 31), euros("1250.00"))
Q2_2024 = ContributionPeriod(date(2024, 4, 1), date(2024, 6, 30), euros("1340.00"))


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ((Q4_2023, Q2_2024, Q1_2023, Q3_2023), (Q2_2024, Q1_2023, Q3_2023, Q4_2023)),
        ((Q4_2023, Q1_2023, Q3_2023), (Q1_2023, Q3_2023, Q4_2023)),
    ],
    ids=["with-the-current-quarter", "past-quarters-only"],
)
def test_aced_decision_names_the_current_period_first_then_oldest_to_newest(
    asked: tuple[ContributionPeriod, ...], expected: tuple[ContributionPeriod, ...]
) -> None:
    total = str(sum((p.amount for p in asked), Decimal("0.00")))
    filing = file_dossier(aids=(AidRequest(aid=Aid.ACED, periods=asked),))
    full = one(Aid.ACED, total, *asked)
    when = at("decision", full, filing=filing, outcome=Outcome.GRANTED_IN_FULL)
    [granted] = recorded(when)  # decided on 2 April 2024, in the second quarter
    assert granted.periods == expected
