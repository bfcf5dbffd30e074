"""The rules of the ACED and the AFE, as the review records them: one finding per rule and aid.

The example dossier (filed on 4 March 2024) asks an ACED for Q4 2023 and an AFE of 1 800 €.
A finding informs the proposal and the commission; it never refuses the review.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from examples import (
    ACTIVITY,
    ASSESSMENT,
    ELIGIBILITY,
    SITUATION,
    file_dossier,
    filed,
    finding,
    review_dossier,
    reviewed,
    run,
)
from spec import given

from domain.dossier_events import DossierReviewed
from domain.eligibility import Result
from domain.rulebook import Rulebook
from domain.values import Aid, AidRequest, Assessment, Situation

PASSED, FAILED, UNKNOWN = Result.PASSED, Result.FAILED, Result.NOT_DETERMINABLE
ACED_AND_AFE = pytest.mark.parametrize("aid", [Aid.ACED, Aid.AFE], ids=str)


def situation(**changes: Any) -> Situation:
    return replace(SITUATION, **changes)


def paid(amount: str) -> Assessment:
    return replace(ASSESSMENT, contributions_paid=Decimal(amount))


def afe(amount: str, scheme: str = "standard") -> tuple[AidRequest, ...]:
    return (AidRequest(aid=Aid.AFE, amount=Decimal(amount), scheme=scheme),)


# The conditions the ACED and the AFE share


@ACED_AND_AFE
@pytest.mark.parametrize(
    ("affiliated_since", "result", "figure"),
    [
        (date(2023, 3, 3), PASSED, "2023-03-03"),
        (date(2023, 3, 4), FAILED, "2023-03-04"),  # one year to the day: not more than one
        (date(2023, 9, 1), FAILED, "1 year(s)"),
    ],
    ids=["a-year-and-a-day", "a-year-to-the-day", "six-months"],
)
def test_aced_and_afe_require_more_than_one_year_of_affiliation(
    aid: Aid, affiliated_since: date, result: Result, figure: str
) -> None:
    filing = file_dossier(activity=replace(ACTIVITY, affiliated_since=affiliated_since))
    found = finding(aid, "requires_more_than_one_year_of_affiliation", filing, review_dossier())
    assert found.result is result, found
    assert figure in found.reason


@pytest.mark.parametrize(
    ("affiliated_since", "result"),
    [(date(2022, 3, 3), PASSED), (date(2022, 3, 4), FAILED)],
    ids=["two-years-and-a-day", "two-years-to-the-day"],
)
def test_the_years_of_affiliation_required_are_reference_data_of_the_rulebook(
    affiliated_since: date, result: Result
) -> None:
    filing = file_dossier(activity=replace(ACTIVITY, affiliated_since=affiliated_since))
    review = review_dossier(rulebook=Rulebook(minimum_affiliation_years=2))
    found = finding(Aid.ACED, "requires_more_than_one_year_of_affiliation", filing, review)
    assert found.result is result, found
    assert "2 year(s)" in found.reason


@ACED_AND_AFE
@pytest.mark.parametrize(
    ("contributions_paid", "result", "figure"),
    [("0.01", PASSED, "0.01 €"), ("0.00", FAILED, "no contribution")],
    ids=["one-cent", "nothing"],
)
def test_aced_and_afe_require_contributions_already_paid(
    aid: Aid, contributions_paid: str, result: Result, figure: str
) -> None:
    review = review_dossier(assessment=paid(contributions_paid), proposal=())
    found = finding(aid, "requires_contributions_already_paid", file_dossier(), review)
    assert found.result is result, found
    assert figure in found.reason


FACT_CASES = [(True, PASSED), (False, FAILED), (None, UNKNOWN)]
FACT_IDS = ["established", "not-so", "not-established"]


@ACED_AND_AFE
@pytest.mark.parametrize(("fact", "result"), FACT_CASES, ids=FACT_IDS)
def test_aced_and_afe_require_self_employment_as_main_activity(
    aid: Aid, fact: bool | None, result: Result
) -> None:
    review = review_dossier(situation=situation(self_employment_is_main_activity=fact))
    found = finding(aid, "requires_self_employment_as_main_activity", file_dossier(), review)
    assert found.result is result, found
    assert "main activity" in found.reason


@ACED_AND_AFE
@pytest.mark.parametrize(("fact", "result"), FACT_CASES, ids=FACT_IDS)
def test_aced_and_afe_require_a_one_off_difficulty(
    aid: Aid, fact: bool | None, result: Result
) -> None:
    review = review_dossier(situation=situation(difficulty_is_one_off=fact))
    found = finding(aid, "requires_a_one_off_difficulty", file_dossier(), review)
    assert found.result is result, found
    assert "one-off" in found.reason


@ACED_AND_AFE
@pytest.mark.parametrize(
    ("debt", "plan", "result", "words"),
    [
        (False, None, PASSED, "no Covid-related debt"),
        (True, True, PASSED, "has a payment plan"),
        (True, False, FAILED, "has no payment plan"),
        (True, None, UNKNOWN, "payment plan was not established"),
        (None, None, UNKNOWN, "Covid-related debt was not established"),
    ],
    ids=["no-debt", "debt-with-plan", "debt-without-plan", "plan-unknown", "debt-unknown"],
)
def test_aced_and_afe_covid_debt_requires_a_payment_plan(
    aid: Aid, debt: bool | None, plan: bool | None, result: Result, words: str
) -> None:
    review = review_dossier(
        situation=situation(has_covid_debt=debt, covid_debt_has_payment_plan=plan)
    )
    found = finding(aid, "covid_debt_requires_a_payment_plan", file_dossier(), review)
    assert found.result is result, found
    assert words in found.reason


# The AFE's own rules


@pytest.mark.parametrize(
    ("asked", "scheme", "result", "figure"),
    [
        ("2000.00", "standard", PASSED, "2000.00 €"),
        ("2000.01", "standard", FAILED, "2000.00 €"),
        ("6000.00", "riots-2023", PASSED, "6000.00 €"),
        ("6000.01", "riots-2023", FAILED, "6000.00 €"),
        ("500.00", "floods-2031", FAILED, "floods-2031"),
    ],
    ids=["standard-at-2000", "standard-above", "riots-at-6000", "riots-above", "unknown-scheme"],
)
def test_afe_ceiling_depends_on_the_scheme(
    asked: str, scheme: str, result: Result, figure: str
) -> None:
    filing = file_dossier(aids=afe(asked, scheme))
    found = finding(Aid.AFE, "afe_within_ceiling", filing, review_dossier(proposal=()))
    assert found.result is result, found
    assert figure in found.reason


def test_the_afe_ceilings_are_reference_data_of_the_rulebook() -> None:
    rulebook = Rulebook(afe_ceilings={"standard": Decimal("1500.00")})
    review = review_dossier(rulebook=rulebook, proposal=())
    found = finding(Aid.AFE, "afe_within_ceiling", file_dossier(aids=afe("1800.00")), review)
    assert found.result is FAILED, found
    assert "1500.00 €" in found.reason


@pytest.mark.parametrize(
    ("contributions_paid", "result"),
    [("1800.00", PASSED), ("1799.99", FAILED)],
    ids=["as-much-as-asked", "a-cent-less"],
)
def test_afe_not_above_contributions_paid(contributions_paid: str, result: Result) -> None:
    review = review_dossier(assessment=paid(contributions_paid), proposal=())
    found = finding(Aid.AFE, "afe_not_above_contributions_paid", file_dossier(), review)
    assert found.result is result, found
    assert f"{contributions_paid} €" in found.reason


def test_afe_may_complement_an_aced_on_the_same_dossier() -> None:
    [review] = run(file_dossier(), review_dossier())[1:]
    assert isinstance(review, DossierReviewed)
    assert [(f.aid, f.rule) for f in review.eligibility] == [
        (Aid.ACED, "requires_more_than_one_year_of_affiliation"),
        (Aid.ACED, "requires_contributions_already_paid"),
        (Aid.ACED, "requires_self_employment_as_main_activity"),
        (Aid.ACED, "requires_a_one_off_difficulty"),
        (Aid.ACED, "covid_debt_requires_a_payment_plan"),
        (Aid.AFE, "requires_more_than_one_year_of_affiliation"),
        (Aid.AFE, "requires_contributions_already_paid"),
        (Aid.AFE, "requires_self_employment_as_main_activity"),
        (Aid.AFE, "requires_a_one_off_difficulty"),
        (Aid.AFE, "covid_debt_requires_a_payment_plan"),
        (Aid.AFE, "afe_within_ceiling"),
        (Aid.AFE, "afe_not_above_contributions_paid"),
    ]
    assert {f.result for f in review.eligibility} == {PASSED}


# What the review records


def test_the_review_records_the_findings_with_the_rulebook_version_used() -> None:
    rulebook = Rulebook(version="2024.2-bretagne")
    given(filed()).when(review_dossier(rulebook=rulebook)).then(
        reviewed(rulebook_version="2024.2-bretagne")
    )
    assert reviewed().eligibility == ELIGIBILITY


def test_the_review_records_the_situation_established() -> None:
    unknown = Situation()
    [event] = run(file_dossier(), review_dossier(situation=unknown))[1:]
    assert isinstance(event, DossierReviewed)
    assert event.situation == unknown
    undetermined = {f.rule for f in event.eligibility if f.result is UNKNOWN}
    assert undetermined == {
        "requires_self_employment_as_main_activity",
        "requires_a_one_off_difficulty",
        "covid_debt_requires_a_payment_plan",
    }


def test_a_failed_rule_is_recorded_for_the_commission_not_refused() -> None:
    review = review_dossier(situation=situation(difficulty_is_one_off=False))
    [event] = run(file_dossier(), review)[1:]
    assert isinstance(event, DossierReviewed)
    failed = [(f.aid, f.rule) for f in event.eligibility if f.result is FAILED]
    assert failed == [
        (Aid.ACED, "requires_a_one_off_difficulty"),
        (Aid.AFE, "requires_a_one_off_difficulty"),
    ]
