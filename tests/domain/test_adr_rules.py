"""The ADR: for artisans and commerçants retiring, its rules, as the review records them.

The example: a joiner born on 10 February 1960, retired on 1 March 2024, files on 4 March 2024.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from examples import (
    anonymise_dossier,
    decide_dossier,
    dossier_after,
    finding,
    notify_decision,
    present_to_cass,
    run,
)
from fci_and_adr import (
    ADR_ACTIVITY,
    ADR_ASSESSMENT,
    ADR_GRANT,
    ADR_SITUATION,
    adr_filing,
    adr_review,
)
from spec import given

from domain.dossier import FileDossier, Status
from domain.eligibility import Finding, Result
from domain.rulebook import Rulebook
from domain.values import ActivityKind, Aid, AidRequest, Situation

PASSED, FAILED, UNKNOWN = Result.PASSED, Result.FAILED, Result.NOT_DETERMINABLE


def situation(**changes: Any) -> Situation:
    return replace(ADR_SITUATION, **changes)


def adr_finding(rule: str, *, filing: FileDossier | None = None, **review: Any) -> Finding:
    return finding(Aid.ADR, rule, filing or adr_filing(), adr_review(**review))


@pytest.mark.parametrize(
    ("kind", "result"),
    [
        (ActivityKind.ARTISAN, PASSED),
        (ActivityKind.COMMERCANT, PASSED),
        (ActivityKind.PROFESSION_LIBERALE, FAILED),
        (ActivityKind.MICRO_ENTREPRENEUR, FAILED),
    ],
    ids=str,
)
def test_adr_requires_artisan_or_commercant(kind: ActivityKind, result: Result) -> None:
    filing = adr_filing(activity=replace(ADR_ACTIVITY, kind=kind))
    found = adr_finding("adr_requires_artisan_or_commercant", filing=filing)
    assert found.result is result, found
    assert kind.value in found.reason


@pytest.mark.parametrize(
    ("retired", "unfit", "result", "figure"),
    [
        (date(2024, 3, 1), False, PASSED, "64 years old"),
        (date(2024, 2, 9), False, FAILED, "63 years old"),  # the day before turning 64
        (None, False, UNKNOWN, "retirement date"),
        (date(2020, 3, 1), True, PASSED, "unfit"),
    ],
    ids=["at-64", "at-63", "retirement-unknown", "unfit-at-60"],
)
def test_adr_requires_legal_retirement_age(
    retired: date | None, unfit: bool, result: Result, figure: str
) -> None:
    facts = situation(retirement_date=retired, unfit_for_work=unfit)
    found = adr_finding("adr_requires_legal_retirement_age", situation=facts)
    assert found.result is result, found
    assert figure in found.reason


def test_the_legal_retirement_age_is_reference_data_of_the_rulebook() -> None:
    facts = situation(retirement_date=date(2022, 3, 1))
    rulebook = Rulebook(adr_legal_retirement_age=62)
    found = adr_finding("adr_requires_legal_retirement_age", situation=facts, rulebook=rulebook)
    assert found.result is PASSED, found
    assert "legal age 62" in found.reason


YEARS_AND_QUARTERS = "adr_requires_more_than_15_years_and_60_quarters"


@pytest.mark.parametrize(
    ("affiliated_since", "quarters", "result", "figure"),
    [
        (date(1988, 9, 1), 142, PASSED, "35 years and 142 quarters"),
        (date(1988, 9, 1), 60, FAILED, "60 quarters"),
        (date(2009, 3, 1), 61, FAILED, "15 years"),  # fifteen years to the day of retiring
        (date(1988, 9, 1), None, UNKNOWN, "quarters"),
    ],
    ids=["35-years-142-quarters", "60-quarters", "15-years-to-the-day", "quarters-unknown"],
)
def test_adr_requires_more_than_15_years_and_60_quarters(
    affiliated_since: date, quarters: int | None, result: Result, figure: str
) -> None:
    filing = adr_filing(activity=replace(ADR_ACTIVITY, affiliated_since=affiliated_since))
    facts = situation(quarters_as_self_employed=quarters)
    found = adr_finding(YEARS_AND_QUARTERS, filing=filing, situation=facts)
    assert found.result is result, found
    assert figure in found.reason


def test_adr_fifteen_years_and_a_few_days_are_more_than_15_years() -> None:
    filing = adr_filing(activity=replace(ADR_ACTIVITY, affiliated_since=date(2009, 2, 28)))
    facts = situation(quarters_as_self_employed=61)
    found = adr_finding(YEARS_AND_QUARTERS, filing=filing, situation=facts)
    assert found.result is PASSED, found


@pytest.mark.parametrize(
    ("taxable", "result", "words"),
    [(False, PASSED, "not taxable"), (True, FAILED, "taxable"), (None, UNKNOWN, "not checked")],
    ids=["not-taxable", "taxable", "not-checked"],
)
def test_adr_requires_no_taxable_income_in_the_two_years_before(
    taxable: bool | None, result: Result, words: str
) -> None:
    facts = situation(taxable_in_the_two_years_before_retirement=taxable)
    found = adr_finding("adr_requires_no_taxable_income_in_the_two_years_before", situation=facts)
    assert found.result is result, found
    assert words in found.reason


FILING_WINDOW = "adr_requires_a_request_within_the_filing_window"


@pytest.mark.parametrize(
    ("retired", "up_to_date", "result", "figure"),
    [
        (date(2024, 3, 1), True, PASSED, "2024-03-04"),
        (date(2023, 3, 4), True, PASSED, "12 months"),  # filed on the last day
        (date(2023, 3, 3), True, FAILED, "2024-03-03"),
        (date(2024, 9, 4), False, PASSED, "2024-03-04"),  # 6 months before, not up to date
        (date(2024, 9, 5), False, FAILED, "months before"),
        (date(2024, 9, 4), True, FAILED, "not up to date"),
        (date(2024, 9, 4), None, UNKNOWN, "up to date is unknown"),
        (None, True, UNKNOWN, "retirement date"),
    ],
    ids=[
        "three-days-after",
        "twelve-months-after",
        "twelve-months-and-a-day-after",
        "six-months-before-not-up-to-date",
        "six-months-and-a-day-before",
        "before-but-up-to-date",
        "before-up-to-date-unknown",
        "retirement-unknown",
    ],
)
def test_adr_requires_a_request_within_the_filing_window(
    retired: date | None, up_to_date: bool | None, result: Result, figure: str
) -> None:
    facts = situation(retirement_date=retired, contributions_up_to_date=up_to_date)
    found = adr_finding(FILING_WINDOW, situation=facts)
    assert found.result is result, found
    assert figure in found.reason


def test_the_filing_window_is_reference_data_of_the_rulebook() -> None:
    rulebook = Rulebook(adr_months_after_retirement=6)
    on_time = situation(retirement_date=date(2023, 9, 4))
    late = situation(retirement_date=date(2023, 9, 3))
    assert adr_finding(FILING_WINDOW, situation=on_time, rulebook=rulebook).result is PASSED
    assert adr_finding(FILING_WINDOW, situation=late, rulebook=rulebook).result is FAILED


def test_adr_filed_long_before_retiring_fails_whatever_the_contributions() -> None:
    facts = situation(retirement_date=date(2024, 12, 4), contributions_up_to_date=None)
    found = adr_finding(FILING_WINDOW, situation=facts)
    assert found.result is FAILED, found
    assert "more than 6 months before retiring" in found.reason


@pytest.mark.parametrize(
    ("already", "result", "words"),
    [(False, PASSED, "no ADR"), (True, FAILED, "once per person"), (None, UNKNOWN, "checked")],
    ids=["never-granted", "granted-before", "not-checked"],
)
def test_adr_is_granted_once_per_person_at_review(
    already: bool | None, result: Result, words: str
) -> None:
    found = adr_finding("adr_is_granted_once_per_person", adr_already_granted=already)
    assert found.result is result, found
    assert words in found.reason


@pytest.mark.parametrize(
    ("asked", "result"), [("10000.00", PASSED), ("10000.01", FAILED)], ids=["at-10000", "above"]
)
def test_adr_within_ceiling(asked: str, result: Result) -> None:
    filing = adr_filing(aids=(AidRequest(aid=Aid.ADR, amount=Decimal(asked)),))
    found = adr_finding("adr_within_ceiling", filing=filing, proposal=())
    assert found.result is result, found
    assert "10000.00 €" in found.reason


def test_the_adr_ceiling_is_reference_data_of_the_rulebook() -> None:
    rulebook = Rulebook(adr_ceiling=Decimal("7500.00"))
    found = adr_finding("adr_within_ceiling", rulebook=rulebook, proposal=())
    assert found.result is FAILED, found
    assert "7500.00 €" in found.reason


@pytest.mark.parametrize(
    ("paid", "result"), [("8000.01", PASSED), ("8000.00", FAILED)], ids=["a-cent-more", "as-much"]
)
def test_adr_below_contributions_paid(paid: str, result: Result) -> None:
    assessment = replace(ADR_ASSESSMENT, contributions_paid=Decimal(paid))
    found = adr_finding("adr_below_contributions_paid", assessment=assessment, proposal=())
    assert found.result is result, found
    assert f"{paid} €" in found.reason


def test_an_adr_request_needs_the_nir() -> None:
    no_nir = adr_filing(applicant=replace(adr_filing().applicant, nir=None))
    given().when(no_nir).then_invalid("applicant.nir")


def test_an_adr_goes_through_the_commission_to_its_notification() -> None:
    events = run(
        adr_filing(),
        adr_review(),
        anonymise_dossier(),
        present_to_cass(),
        decide_dossier(granted=ADR_GRANT),
        notify_decision(),
    )
    dossier = dossier_after(*events)
    assert dossier.status is Status.NOTIFIED
    assert dossier.decision is not None
    assert dossier.decision.granted == ADR_GRANT
