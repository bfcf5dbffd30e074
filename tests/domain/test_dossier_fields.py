"""The values a command must carry: each invalid one is refused, naming its field."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from examples import (
    AIDS,
    ASSESSMENT,
    HISTORY,
    PROPOSAL,
    Q4_2023,
    SITUATION,
    address,
    applicant,
    decide_dossier,
    documents_received,
    file_dossier,
    filed,
    notify_decision,
    receive_documents,
    request_documents,
    review_dossier,
    reviewed,
    withdraw_dossier,
)
from spec import given

from domain.dossier import Command, Status
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Applicant,
    ContributionPeriod,
    DifficultyFactor,
    DocumentKind,
    Outcome,
)

BACKWARDS = ContributionPeriod(
    start=date(2023, 12, 31), end=date(2023, 10, 1), amount=Decimal("1320.50")
)


def afe(amount: str) -> AidRequest:
    return AidRequest(aid=Aid.AFE, amount=Decimal(amount))


# Filing

INVALID_FILINGS = [
    pytest.param(
        file_dossier(applicant=applicant(siret="7328293200007")), "applicant.siret", id="siret-13"
    ),
    pytest.param(
        file_dossier(applicant=applicant(nir="2780629019")), "applicant.nir", id="nir-short"
    ),
    pytest.param(
        file_dossier(applicant=applicant(email="g.kerbrat@example")),
        "applicant.email",
        id="email-without-domain",
    ),
    pytest.param(
        file_dossier(applicant=applicant(email="g kerbrat@example.fr")),
        "applicant.email",
        id="email-with-space",
    ),
    pytest.param(
        file_dossier(applicant=applicant(phone="06123")), "applicant.phone", id="phone-short"
    ),
    pytest.param(
        file_dossier(applicant=applicant(phone="06 12 AB 56 78")),
        "applicant.phone",
        id="phone-letters",
    ),
    pytest.param(
        file_dossier(applicant=applicant(birth_date=date(2008, 3, 5))),
        "applicant.birth_date",
        id="fifteen-years-old-the-day-before-sixteen",
    ),
    pytest.param(
        file_dossier(applicant=applicant(last_name="  ")), "applicant.last_name", id="last-name"
    ),
    pytest.param(
        file_dossier(applicant=applicant(first_name="")), "applicant.first_name", id="first-name"
    ),
    pytest.param(
        file_dossier(applicant=applicant(address=address(line1=" "))),
        "applicant.address.line1",
        id="address-line",
    ),
    pytest.param(
        file_dossier(applicant=applicant(address=address(city=""))),
        "applicant.address.city",
        id="city",
    ),
    pytest.param(
        file_dossier(applicant=applicant(address=address(postal_code="2920"))),
        "applicant.address.postal_code",
        id="postal-code-4-digits",
    ),
    pytest.param(
        file_dossier(applicant=applicant(address=address(postal_code="2A200"))),
        "applicant.address.postal_code",
        id="postal-code-letters",
    ),
    pytest.param(
        file_dossier(activity=Activity(ActivityKind.COMMERCANT, date(2024, 3, 5))),
        "activity.affiliated_since",
        id="affiliated-tomorrow",
    ),
    pytest.param(
        file_dossier(activity=Activity(ActivityKind.COMMERCANT, date(1978, 6, 14))),
        "activity.affiliated_since",
        id="affiliated-before-birth",
    ),
    pytest.param(file_dossier(aids=()), "aids", id="no-aid"),
    pytest.param(file_dossier(aids=(afe("1800"), afe("500"))), "aids[1].aid", id="aid-twice"),
    pytest.param(
        file_dossier(aids=(AIDS[0], AidRequest(aid=Aid.AFE))), "aids[1]", id="no-amount-no-period"
    ),
    pytest.param(file_dossier(aids=(afe("-1.00"),)), "aids[0].amount", id="negative-amount"),
    pytest.param(file_dossier(aids=(afe("1800.005"),)), "aids[0].amount", id="three-decimals"),
    pytest.param(file_dossier(aids=(afe("NaN"),)), "aids[0].amount", id="not-a-number"),
    pytest.param(
        file_dossier(aids=(AidRequest(aid=Aid.ACED, periods=(Q4_2023, BACKWARDS)),)),
        "aids[0].periods[1].end",
        id="period-ends-before-it-starts",
    ),
    pytest.param(
        file_dossier(
            aids=(
                AidRequest(
                    aid=Aid.ACED,
                    periods=(ContributionPeriod(date(2023, 1, 1), date(2023, 3, 31), Decimal(-5)),),
                ),
            )
        ),
        "aids[0].periods[0].amount",
        id="period-negative-amount",
    ),
    pytest.param(file_dossier(difficulty_factors=()), "difficulty_factors", id="no-factor"),
    pytest.param(
        file_dossier(difficulty_factors=(DifficultyFactor.ROADWORKS, DifficultyFactor.ROADWORKS)),
        "difficulty_factors[1]",
        id="factor-twice",
    ),
    pytest.param(
        file_dossier(documents=(DocumentKind.APPLICATION_FORM, DocumentKind.APPLICATION_FORM)),
        "documents[1]",
        id="document-twice",
    ),
    pytest.param(
        file_dossier(aids=(AidRequest(aid=Aid.ACED, periods=(Q4_2023, Q4_2023)),)),
        "aids[0].periods[1]",
        id="period-twice",
    ),
    pytest.param(
        file_dossier(applicant=applicant(address=address(country="fr"))),
        "applicant.address.country",
        id="country-not-iso",
    ),
    pytest.param(
        file_dossier(applicant=applicant(birth_date=date(1899, 12, 31))),
        "applicant.birth_date",
        id="born-before-1900",
    ),
    pytest.param(file_dossier(own_account=" \n "), "own_account", id="blank-own-account"),
    pytest.param(file_dossier(region=""), "region", id="no-region"),
    pytest.param(file_dossier(reference=" "), "reference", id="no-reference"),
]


@pytest.mark.parametrize(("command", "field"), INVALID_FILINGS)
def test_a_filing_with_an_invalid_value_is_refused_naming_the_field(
    command: Command, field: str
) -> None:
    given().when(command).then_invalid(field)


def test_every_invalid_value_of_a_filing_is_reported_at_once() -> None:
    command = file_dossier(
        applicant=applicant(siret="7328293200007", email="nobody"), aids=(), own_account=""
    )
    given().when(command).then_invalid("applicant.siret", "applicant.email", "aids", "own_account")


VALID_FILINGS = [
    pytest.param(applicant(siret="35600000049837"), id="la-poste-siret-digit-sum-45"),
    pytest.param(applicant(nir="185022A012345" + "31"), id="nir-corse-du-sud-2A"),
    pytest.param(applicant(nir="185022B012345" + "58"), id="nir-haute-corse-2B"),
    pytest.param(applicant(nir=None), id="no-nir"),
    pytest.param(applicant(phone="+33612345678"), id="international-phone"),
    pytest.param(applicant(birth_date=date(2008, 3, 4)), id="sixteen-today"),
    pytest.param(
        applicant(address=address(postal_code="1000", city="Bruxelles", country="BE")),
        id="foreign-postal-code",
    ),
]


@pytest.mark.parametrize("valid", VALID_FILINGS)
def test_a_filing_with_these_values_is_accepted(valid: Applicant) -> None:
    command = file_dossier(applicant=valid)
    given().when(command).then(filed(applicant=valid))


def test_an_aid_may_be_asked_with_both_an_amount_and_periods() -> None:
    both = (AidRequest(aid=Aid.ACED, amount=Decimal("1320.50"), periods=(Q4_2023,)),)
    given().when(file_dossier(aids=both)).then(filed(aids=both))


def test_a_worker_affiliated_today_may_file() -> None:
    today = Activity(ActivityKind.ARTISAN, date(2024, 3, 4))
    given().when(file_dossier(activity=today)).then(filed(activity=today))


# Documents

AWAITING = HISTORY[Status.AWAITING_DOCUMENTS]


@pytest.mark.parametrize("due", [date(2024, 3, 5), date(2024, 3, 1)], ids=["today", "past"])
def test_documents_are_requested_for_a_day_after_today(due: date) -> None:
    given(filed()).when(request_documents(due_date=due)).then_invalid("due_date")


def test_a_document_request_names_each_document_once() -> None:
    twice = request_documents(documents=(DocumentKind.TAX_NOTICE, DocumentKind.TAX_NOTICE))
    given(filed()).when(twice).then_invalid("documents[1]")


def test_a_document_request_names_documents_and_a_reason() -> None:
    given(filed()).when(request_documents(documents=(), reason="")).then_invalid(
        "documents", "reason"
    )


def test_a_document_not_requested_is_not_received() -> None:
    command = receive_documents(documents=(DocumentKind.TAX_NOTICE, DocumentKind.DAMAGE_PHOTOS))
    given(*AWAITING).when(command).then_invalid("documents[1]")


def test_a_document_received_already_is_not_received_again() -> None:
    partial = documents_received(documents=(DocumentKind.TAX_NOTICE,))
    command = receive_documents(documents=(DocumentKind.TAX_NOTICE,))
    given(*AWAITING, partial).when(command).then_invalid("documents[0]")


def test_a_receipt_names_at_least_one_document() -> None:
    given(*AWAITING).when(receive_documents(documents=())).then_invalid("documents")


# Review

NOT_REQUESTED = AidAmount(aid=Aid.FCI, amount=Decimal("500.00"))


def test_a_review_does_not_propose_an_aid_that_was_not_requested() -> None:
    command = review_dossier(proposal=(PROPOSAL[0], NOT_REQUESTED))
    given(filed()).when(command).then_invalid("proposal[1].aid")


def test_a_review_proposes_each_aid_once() -> None:
    command = review_dossier(proposal=(PROPOSAL[1], PROPOSAL[1]))
    given(filed()).when(command).then_invalid("proposal[1].aid")


def test_a_review_writes_findings_and_a_sound_assessment() -> None:
    wrong = replace(ASSESSMENT, contributions_paid=Decimal("-1"), household_size=0)
    command = review_dossier(findings=" ", assessment=wrong)
    given(filed()).when(command).then_invalid(
        "findings", "assessment.contributions_paid", "assessment.household_size"
    )


def test_a_review_counts_a_household_and_quarters_a_life_can_hold() -> None:
    crowded = replace(ASSESSMENT, household_size=10**30)
    endless = replace(SITUATION, quarters_as_self_employed=241)
    command = review_dossier(assessment=crowded, situation=endless)
    given(filed()).when(command).then_invalid(
        "assessment.household_size", "situation.quarters_as_self_employed"
    )
    negative = replace(SITUATION, quarters_as_self_employed=-7)
    given(filed()).when(review_dossier(situation=negative)).then_invalid(
        "situation.quarters_as_self_employed"
    )


def test_a_review_proposes_each_period_once() -> None:
    twice = (AidAmount(Aid.ACED, Decimal("1320.50"), (Q4_2023, Q4_2023)),)
    given(filed()).when(review_dossier(proposal=twice)).then_invalid("proposal[0].periods[1]")


def test_a_review_proposes_periods_that_end_after_they_start() -> None:
    command = review_dossier(proposal=(AidAmount(Aid.ACED, Decimal("1320.50"), (BACKWARDS,)),))
    given(filed()).when(command).then_invalid("proposal[0].periods[0].end")


def test_a_review_may_propose_nothing() -> None:
    given(filed()).when(review_dossier(proposal=())).then(reviewed(proposal=()))


# Decision

PRESENTED = HISTORY[Status.PRESENTED]


@pytest.mark.parametrize("outcome", [Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART], ids=str)
def test_a_grant_names_at_least_one_aid(outcome: Outcome) -> None:
    given(*PRESENTED).when(decide_dossier(outcome=outcome, granted=())).then_invalid("granted")


@pytest.mark.parametrize("outcome", [Outcome.REJECTED, Outcome.ADJOURNED], ids=str)
def test_a_rejection_or_an_adjournment_grants_nothing(outcome: Outcome) -> None:
    given(*PRESENTED).when(decide_dossier(outcome=outcome)).then_invalid("granted")


def test_a_decision_always_carries_its_reason() -> None:
    given(*PRESENTED).when(decide_dossier(reason="  ")).then_invalid("reason")


def test_the_cass_grants_only_aids_that_were_requested() -> None:
    given(*PRESENTED).when(decide_dossier(granted=(NOT_REQUESTED,))).then_invalid("granted[0].aid")


def test_a_grant_is_in_euros_and_cents() -> None:
    granted = (AidAmount(aid=Aid.AFE, amount=Decimal("1500.001")),)
    given(*PRESENTED).when(decide_dossier(granted=granted)).then_invalid("granted[0].amount")


# Notification

DECIDED = HISTORY[Status.DECIDED]


def test_a_decision_is_not_notified_before_it_was_taken() -> None:
    command = notify_decision(notified_on=date(2024, 4, 1))
    given(*DECIDED).when(command).then_invalid("notified_on")


def test_a_notification_is_not_dated_in_the_future() -> None:
    command = notify_decision(notified_on=date(2024, 4, 6))
    given(*DECIDED).when(command).then_invalid("notified_on")


def test_a_notification_carries_its_reference() -> None:
    given(*DECIDED).when(notify_decision(reference="")).then_invalid("reference")


# Withdrawal


def test_a_withdrawal_carries_its_reason() -> None:
    given(filed()).when(withdraw_dossier(reason=" ")).then_invalid("reason")
