"""The checks a command's values must pass before the dossier accepts it.

Each check collects every problem it finds and raises them together, naming the field, so the
person filling the form can fix them in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain import identifiers
from domain.anonymisation import whole_years_between
from domain.errors import InvalidField, InvalidFields
from domain.values import Aid, AidAmount, AidRequest, Applicant, ContributionPeriod, Outcome

if TYPE_CHECKING:
    from domain.dossier import (
        DecideDossier,
        FileDossier,
        NotifyDecision,
        ReceiveDocuments,
        RequestDocuments,
        RequestReExamination,
        ReviewDossier,
    )

MINIMUM_AGE_TO_BE_SELF_EMPLOYED = 16
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _raise_if_any(problems: Iterable[InvalidField]) -> None:
    found = tuple(problems)
    if found:
        raise InvalidFields(found)


def money_problem(amount: Decimal) -> str | None:
    """Why this is not an amount of euros, or None: non-negative, with at most cents."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return "an amount is a decimal number of euros"
    if amount < 0:
        return "an amount cannot be negative"
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return "an amount has at most two decimals (cents)"
    return None


def _money(field: str, amount: Decimal) -> Iterator[InvalidField]:
    problem = money_problem(amount)
    if problem:
        yield InvalidField(field, problem)


def _text(field: str, value: str) -> Iterator[InvalidField]:
    if not value or not value.strip():
        yield InvalidField(field, "must not be blank")


def _identifier(field: str, problem: str | None) -> Iterator[InvalidField]:
    if problem:
        yield InvalidField(field, problem)


def _periods(field: str, periods: tuple[ContributionPeriod, ...]) -> Iterator[InvalidField]:
    for i, period in enumerate(periods):
        if period.end < period.start:
            yield InvalidField(f"{field}[{i}].end", "a period cannot end before it starts")
        if period in periods[:i]:
            yield InvalidField(f"{field}[{i}]", "this period is listed twice")
        yield from _money(f"{field}[{i}].amount", period.amount)


def _distinct(field: str, items: tuple[object, ...]) -> Iterator[InvalidField]:
    for i, item in enumerate(items):
        if item in items[:i]:
            yield InvalidField(f"{field}[{i}]", f"{item} is listed twice")


def _applicant(applicant: Applicant, today: date) -> Iterator[InvalidField]:
    yield from _text("applicant.last_name", applicant.last_name)
    yield from _text("applicant.first_name", applicant.first_name)
    if applicant.birth_date < EARLIEST_BIRTH_DATE:
        yield InvalidField("applicant.birth_date", f"cannot be before {EARLIEST_BIRTH_DATE}")
    if whole_years_between(applicant.birth_date, today) < MINIMUM_AGE_TO_BE_SELF_EMPLOYED:
        yield InvalidField(
            "applicant.birth_date",
            f"the applicant must be at least {MINIMUM_AGE_TO_BE_SELF_EMPLOYED} years old",
        )
    yield from _identifier("applicant.siret", identifiers.siret_shape_problem(applicant.siret))
    if applicant.nir is not None:
        yield from _identifier("applicant.nir", identifiers.nir_shape_problem(applicant.nir))
    yield from _identifier("applicant.email", identifiers.email_problem(applicant.email))
    yield from _identifier("applicant.phone", identifiers.phone_problem(applicant.phone))
    address = applicant.address
    yield from _text("applicant.address.line1", address.line1)
    yield from _text("applicant.address.city", address.city)
    if not re.fullmatch(r"[A-Z]{2}", address.country):
        yield InvalidField("applicant.address.country", "an ISO 3166 code such as FR")
    elif address.country == "FR" and not re.fullmatch(r"[0-9]{5}", address.postal_code):
        yield InvalidField("applicant.address.postal_code", "a French postal code is 5 digits")


def _aid_requests(aids: tuple[AidRequest, ...]) -> Iterator[InvalidField]:
    if not aids:
        yield InvalidField("aids", "at least one aid must be requested")
    seen = set()
    for i, request in enumerate(aids):
        if request.aid in seen:
            yield InvalidField(f"aids[{i}].aid", f"{request.aid} is requested twice")
        seen.add(request.aid)
        if request.amount is None and not request.periods:
            yield InvalidField(
                f"aids[{i}]", "an aid request needs an amount or contribution periods"
            )
        if request.amount is not None:
            yield from _money(f"aids[{i}].amount", request.amount)
        yield from _periods(f"aids[{i}].periods", request.periods)


def _catastrophe_claim(command: FileDossier) -> Iterator[InvalidField]:
    asks_fci = any(r.aid is Aid.FCI for r in command.aids)
    claim = command.catastrophe
    if asks_fci and claim is None:
        yield InvalidField("catastrophe", "an FCI request names the catastrophe event")
    if claim is not None and not asks_fci:
        yield InvalidField("catastrophe", "a catastrophe event goes with an FCI request")
    if claim is not None and claim.damage_date > command.at.date():
        yield InvalidField("catastrophe.damage_date", "cannot be in the future")


def check_filing(command: FileDossier) -> None:
    today = command.at.date()

    def problems() -> Iterator[InvalidField]:
        yield from _text("reference", command.reference)
        yield from _applicant(command.applicant, today)
        since = command.activity.affiliated_since
        if since > today:
            yield InvalidField("activity.affiliated_since", "cannot be in the future")
        elif since < command.applicant.birth_date:
            yield InvalidField("activity.affiliated_since", "cannot be before the birth date")
        yield from _text("region", command.region)
        yield from _aid_requests(command.aids)
        yield from _catastrophe_claim(command)
        if any(r.aid is Aid.ADR for r in command.aids) and not command.applicant.nir:
            yield InvalidField("applicant.nir", "an ADR request needs the NIR: it is once a person")
        if not command.difficulty_factors:
            yield InvalidField("difficulty_factors", "name at least one difficulty factor")
        yield from _distinct("difficulty_factors", command.difficulty_factors)
        yield from _distinct("documents", command.documents)
        yield from _text("own_account", command.own_account)

    _raise_if_any(problems())


def check_document_request(command: RequestDocuments) -> None:
    def problems() -> Iterator[InvalidField]:
        if not command.documents:
            yield InvalidField("documents", "name at least one document")
        yield from _distinct("documents", command.documents)
        if command.due_date <= command.at.date():
            yield InvalidField("due_date", "the due date must be after today")
        yield from _text("reason", command.reason)

    _raise_if_any(problems())


def check_documents_received(command: ReceiveDocuments, outstanding: Iterable[object]) -> None:
    awaited = set(outstanding)

    def problems() -> Iterator[InvalidField]:
        if not command.documents:
            yield InvalidField("documents", "name at least one document")
        for i, document in enumerate(command.documents):
            if document not in awaited:
                yield InvalidField(f"documents[{i}]", f"{document} was not requested")

    _raise_if_any(problems())


def _aid_amounts(
    field: str, amounts: tuple[AidAmount, ...], requested: tuple[AidRequest, ...]
) -> Iterator[InvalidField]:
    asked = {r.aid for r in requested}
    seen = set()
    for i, item in enumerate(amounts):
        if item.aid not in asked:
            yield InvalidField(f"{field}[{i}].aid", f"{item.aid} was not requested")
        if item.aid in seen:
            yield InvalidField(f"{field}[{i}].aid", f"{item.aid} appears twice")
        seen.add(item.aid)
        yield from _money(f"{field}[{i}].amount", item.amount)
        yield from _periods(f"{field}[{i}].periods", item.periods)


MAX_HOUSEHOLD = 30  # people in one tax household: beyond it, a typing error
MAX_QUARTERS = 240  # sixty years of quarters of affiliation


def check_review(command: ReviewDossier, requested: tuple[AidRequest, ...]) -> None:
    def problems() -> Iterator[InvalidField]:
        yield from _text("findings", command.findings)
        a = command.assessment
        for name in ("annual_income", "monthly_charges", "contributions_due", "contributions_paid"):
            yield from _money(f"assessment.{name}", getattr(a, name))
        if not 1 <= a.household_size <= MAX_HOUSEHOLD:
            yield InvalidField(
                "assessment.household_size", f"a household has 1 to {MAX_HOUSEHOLD} people"
            )
        quarters = command.situation.quarters_as_self_employed
        if quarters is not None and not 0 <= quarters <= MAX_QUARTERS:
            yield InvalidField(
                "situation.quarters_as_self_employed",
                f"0 to {MAX_QUARTERS} quarters (a working life)",
            )
        yield from _aid_amounts("proposal", command.proposal, requested)

    _raise_if_any(problems())


def check_decision(command: DecideDossier, requested: tuple[AidRequest, ...]) -> None:
    def problems() -> Iterator[InvalidField]:
        yield from _text("reason", command.reason)
        grants = command.outcome in (Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART)
        if grants and not command.granted:
            yield InvalidField("granted", "a grant names at least one aid with its amount")
        if not grants and command.granted:
            yield InvalidField("granted", f"a decision '{command.outcome}' grants nothing")
        yield from _aid_amounts("granted", command.granted, requested)

    _raise_if_any(problems())


def check_notification(command: NotifyDecision, decided_on: date) -> None:
    def problems() -> Iterator[InvalidField]:
        yield from _text("reference", command.reference)
        if command.notified_on < decided_on:
            yield InvalidField("notified_on", "cannot be before the decision")
        if command.notified_on > command.at.date():
            yield InvalidField("notified_on", "cannot be in the future")

    _raise_if_any(problems())


def check_re_examination(command: RequestReExamination, notified_on: date) -> None:
    def problems() -> Iterator[InvalidField]:
        yield from _text("reason", command.reason)
        if command.received_on < notified_on:
            yield InvalidField("received_on", "cannot be before the decision was notified")
        if command.received_on > command.at.date():
            yield InvalidField("received_on", "cannot be in the future")

    _raise_if_any(problems())


def check_reason(field: str, reason: str) -> None:
    _raise_if_any(_text(field, reason))
