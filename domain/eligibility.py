"""The rules of the four aids, as named policies a caseworker would recognise.

At review each aid requested is put through its policies; each gives a finding, passed, failed
or not determinable, with its reason in plain words. The findings inform the proposal and the
commission: they do not decide.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.anonymisation import whole_years_between
from domain.errors import RuleViolation
from domain.rulebook import Rulebook, add_months
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Assessment,
    CatastropheClaim,
    ContributionPeriod,
    Situation,
)


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_DETERMINABLE = "not_determinable"


@dataclass(frozen=True)
class Finding:
    aid: Aid
    rule: str
    result: Result
    reason: str


@dataclass(frozen=True)
class CatastropheFacts:
    """What the rules need to know of a catastrophe event, read when the command is given."""

    catastrophe_id: UUID
    regions: tuple[str, ...]
    start: date
    end: date
    is_open: bool
    remaining: Decimal


@dataclass(frozen=True)
class Case:
    """Everything the policies look at for one aid requested."""

    request: AidRequest
    activity: Activity
    birth_date: date
    region: str
    filed_on: date
    assessment: Assessment
    situation: Situation
    rulebook: Rulebook
    catastrophe_claim: CatastropheClaim | None = None
    catastrophe: CatastropheFacts | None = None
    adr_already_granted: bool | None = None


Verdict = tuple[Result, str]
Policy = Callable[[Case], Verdict]

UNKNOWN = Result.NOT_DETERMINABLE


def _fact(value: bool | None, yes: str, no: str, unknown: str) -> Verdict:
    if value is None:
        return UNKNOWN, unknown
    return (Result.PASSED, yes) if value else (Result.FAILED, no)


# ACED and AFE: the conditions of the leaflet.


def requires_more_than_one_year_of_affiliation(case: Case) -> Verdict:
    years = case.rulebook.minimum_affiliation_years
    since = case.activity.affiliated_since
    more = add_months(since, 12 * years) < case.filed_on
    return _fact(
        more,
        f"affiliated since {since}, more than {years} year(s) before the request",
        f"affiliated since {since}: not more than {years} year(s) before the request",
        "",
    )


def requires_contributions_already_paid(case: Case) -> Verdict:
    paid = case.assessment.contributions_paid
    return _fact(
        paid > 0,
        f"{paid} € of contributions already paid",
        "no contribution has been paid yet",
        "",
    )


def requires_self_employment_as_main_activity(case: Case) -> Verdict:
    return _fact(
        case.situation.self_employment_is_main_activity,
        "self-employment is the main activity",
        "self-employment is not the main activity",
        "whether self-employment is the main activity was not established",
    )


def requires_a_one_off_difficulty(case: Case) -> Verdict:
    return _fact(
        case.situation.difficulty_is_one_off,
        "the difficulty is one-off",
        "the difficulty is structural, not one-off",
        "whether the difficulty is one-off was not established",
    )


def covid_debt_requires_a_payment_plan(case: Case) -> Verdict:
    situation = case.situation
    if situation.has_covid_debt is None:
        return UNKNOWN, "whether there is a Covid-related debt was not established"
    if not situation.has_covid_debt:
        return Result.PASSED, "no Covid-related debt"
    return _fact(
        situation.covid_debt_has_payment_plan,
        "the Covid-related debt has a payment plan (plan d'apurement)",
        "the Covid-related debt has no payment plan (plan d'apurement) yet",
        "whether the Covid-related debt has a payment plan was not established",
    )


def afe_within_ceiling(case: Case) -> Verdict:
    ceiling = case.rulebook.afe_ceiling(case.request.scheme)
    if ceiling is None:
        return Result.FAILED, f"no AFE scheme is called {case.request.scheme!r}"
    asked = case.request.total()
    return _fact(
        asked <= ceiling,
        f"{asked} € asked, within the {case.request.scheme} ceiling of {ceiling} €",
        f"{asked} € asked, above the {case.request.scheme} ceiling of {ceiling} €",
        "",
    )


def afe_not_above_contributions_paid(case: Case) -> Verdict:
    asked, paid = case.request.total(), case.assessment.contributions_paid
    return _fact(
        asked <= paid,
        f"{asked} € asked, not above the {paid} € of contributions paid",
        f"{asked} € asked, above the {paid} € of contributions paid",
        "",
    )


# FCI: emergency aid after a catastrophe.


def fci_requires_an_active_worker(case: Case) -> Verdict:
    return _fact(
        case.situation.active,
        "the worker is active",
        "the worker is not active",
        "whether the worker is active was not established",
    )


def fci_excludes_cumul_emploi_retraite(case: Case) -> Verdict:
    in_cumul = case.situation.in_cumul_emploi_retraite
    return _fact(
        None if in_cumul is None else not in_cumul,
        "the worker is not in cumul emploi-retraite",
        "a worker in cumul emploi-retraite is helped by the Carsat",
        "whether the worker is in cumul emploi-retraite was not established",
    )


def fci_requires_an_open_catastrophe_covering_region_and_date(case: Case) -> Verdict:
    claim, event = case.catastrophe_claim, case.catastrophe
    if claim is None:
        return Result.FAILED, "the request names no catastrophe event"
    if event is None or event.catastrophe_id != claim.catastrophe_id:
        return Result.FAILED, f"there is no catastrophe event {claim.catastrophe_id}"
    if not event.is_open:
        return Result.FAILED, "the catastrophe event is closed"
    if case.region not in event.regions:
        return Result.FAILED, f"the catastrophe event does not cover {case.region}"
    if not event.start <= claim.damage_date <= event.end:
        return Result.FAILED, f"damage on {claim.damage_date}, outside {event.start}–{event.end}"
    return Result.PASSED, f"damage on {claim.damage_date} in {case.region}, during the event"


def fci_within_ceiling(case: Case) -> Verdict:
    asked, ceiling = case.request.total(), case.rulebook.fci_ceiling
    return _fact(
        asked <= ceiling,
        f"{asked} € asked, within the {ceiling} € ceiling",
        f"{asked} € asked, above the {ceiling} € ceiling",
        "",
    )


def fci_within_remaining_envelope(case: Case) -> Verdict:
    if case.catastrophe is None:
        return Result.FAILED, "no catastrophe event, so no envelope"
    asked, remaining = case.request.total(), case.catastrophe.remaining
    return _fact(
        asked <= remaining,
        f"{asked} € asked, {remaining} € remain in the envelope",
        f"{asked} € asked, only {remaining} € remain in the envelope",
        "",
    )


# ADR: artisans and shopkeepers retiring.


def adr_requires_artisan_or_commercant(case: Case) -> Verdict:
    kind = case.activity.kind
    return _fact(
        kind in (ActivityKind.ARTISAN, ActivityKind.COMMERCANT),
        f"the worker is {kind.value}",
        f"the ADR is for artisans and commerçants, not {kind.value}",
        "",
    )


def adr_requires_legal_retirement_age(case: Case) -> Verdict:
    retired_on = case.situation.retirement_date
    if case.situation.unfit_for_work:
        return Result.PASSED, "recognised unfit for work"
    if retired_on is None:
        return UNKNOWN, "the retirement date was not established"
    age, legal = (
        whole_years_between(case.birth_date, retired_on),
        case.rulebook.adr_legal_retirement_age,
    )
    return _fact(
        age >= legal,
        f"{age} years old at retirement, legal age {legal}",
        f"{age} years old at retirement, under the legal age of {legal}",
        "",
    )


def adr_requires_more_than_15_years_and_60_quarters(case: Case) -> Verdict:
    rulebook, quarters = case.rulebook, case.situation.quarters_as_self_employed
    if quarters is None:
        return UNKNOWN, "the quarters as self-employed were not established"
    end = case.situation.retirement_date or case.filed_on
    years = whole_years_between(case.activity.affiliated_since, end)
    minimum_reached = add_months(case.activity.affiliated_since, 12 * rulebook.adr_minimum_years)
    enough = minimum_reached < end and quarters > rulebook.adr_minimum_quarters
    return _fact(
        enough,
        f"{years} years and {quarters} quarters as self-employed",
        f"{years} years and {quarters} quarters: more than {rulebook.adr_minimum_years} years "
        f"and {rulebook.adr_minimum_quarters} quarters are needed",
        "",
    )


def adr_requires_no_taxable_income_in_the_two_years_before(case: Case) -> Verdict:
    taxable = case.situation.taxable_in_the_two_years_before_retirement
    years = case.rulebook.adr_untaxed_years_before_retirement
    return _fact(
        None if taxable is None else not taxable,
        f"not taxable in the {years} calendar years before retirement",
        f"taxable in the {years} calendar years before retirement",
        f"the tax notices of the {years} years before retirement were not checked",
    )


def adr_requires_a_request_within_the_filing_window(case: Case) -> Verdict:
    rulebook, retired_on = case.rulebook, case.situation.retirement_date
    if retired_on is None:
        return UNKNOWN, "the retirement date was not established"
    filed = case.filed_on
    if filed >= retired_on:
        limit = add_months(retired_on, rulebook.adr_months_after_retirement)
        return _fact(
            filed <= limit,
            f"filed on {filed}, within {rulebook.adr_months_after_retirement} months of retiring",
            f"filed on {filed}, after {limit}",
            "",
        )
    months_before = rulebook.adr_months_before_retirement_if_not_up_to_date
    earliest = add_months(retired_on, -months_before)
    if filed < earliest:
        return Result.FAILED, f"filed on {filed}, more than {months_before} months before retiring"
    up_to_date = case.situation.contributions_up_to_date
    if up_to_date is None:
        return UNKNOWN, "filed before retiring, and whether contributions are up to date is unknown"
    return _fact(
        not up_to_date,
        f"filed on {filed}, in the {months_before} months before retiring, not up to date",
        "before retiring, a request is only taken when contributions are not up to date",
        "",
    )


def adr_is_granted_once_per_person(case: Case) -> Verdict:
    return _fact(
        None if case.adr_already_granted is None else not case.adr_already_granted,
        "no ADR was ever granted to this person",
        "an ADR was already granted to this person: it is granted once per person",
        "whether an ADR was granted before could not be checked",
    )


def adr_within_ceiling(case: Case) -> Verdict:
    asked, ceiling = case.request.total(), case.rulebook.adr_ceiling
    return _fact(
        asked <= ceiling,
        f"{asked} € asked, within the {ceiling} € ceiling",
        f"{asked} € asked, above the {ceiling} € ceiling",
        "",
    )


def adr_below_contributions_paid(case: Case) -> Verdict:
    asked, paid = case.request.total(), case.assessment.contributions_paid
    return _fact(
        asked < paid,
        f"{asked} € asked, below the {paid} € of contributions paid",
        f"{asked} € asked, not below the {paid} € of contributions paid",
        "",
    )


# Policies about the amount asked: a grant may still be decided within them, in part.
AMOUNT_LIMITS = frozenset(
    {
        "afe_within_ceiling",
        "afe_not_above_contributions_paid",
        "fci_within_ceiling",
        "fci_within_remaining_envelope",
        "adr_within_ceiling",
        "adr_below_contributions_paid",
    }
)

ACED_AND_AFE: tuple[Policy, ...] = (
    requires_more_than_one_year_of_affiliation,
    requires_contributions_already_paid,
    requires_self_employment_as_main_activity,
    requires_a_one_off_difficulty,
    covid_debt_requires_a_payment_plan,
)
POLICIES: dict[Aid, tuple[Policy, ...]] = {
    Aid.ACED: ACED_AND_AFE,
    Aid.AFE: (*ACED_AND_AFE, afe_within_ceiling, afe_not_above_contributions_paid),
    Aid.FCI: (
        fci_requires_an_active_worker,
        requires_self_employment_as_main_activity,
        fci_excludes_cumul_emploi_retraite,
        fci_requires_an_open_catastrophe_covering_region_and_date,
        fci_within_ceiling,
        fci_within_remaining_envelope,
    ),
    Aid.ADR: (
        adr_requires_artisan_or_commercant,
        adr_requires_legal_retirement_age,
        adr_requires_more_than_15_years_and_60_quarters,
        adr_requires_no_taxable_income_in_the_two_years_before,
        adr_requires_a_request_within_the_filing_window,
        adr_is_granted_once_per_person,
        adr_within_ceiling,
        adr_below_contributions_paid,
    ),
}


def evaluate(case: Case) -> tuple[Finding, ...]:
    """The findings of every policy of the aid requested, in the rulebook's order."""
    aid = case.request.aid
    return tuple(Finding(aid, policy.__name__, *policy(case)) for policy in POLICIES[aid])


def takeover_order(
    periods: tuple[ContributionPeriod, ...], on: date
) -> tuple[ContributionPeriod, ...]:
    """The order ACED covers periods in: the current one first, then oldest to newest."""
    current = tuple(p for p in periods if p.start <= on <= p.end)
    rest = sorted((p for p in periods if p not in current), key=lambda p: (p.start, p.end))
    return current + tuple(rest)


@dataclass(frozen=True)
class Limit:
    rule: str
    amount: Decimal
    reason: str


def _limits(request: AidRequest, assessment: Assessment, rulebook: Rulebook) -> list[Limit]:
    asked = request.total()
    limits = [Limit("no_grant_above_the_request", asked, f"the {asked} € asked")]
    paid = assessment.contributions_paid
    match request.aid:
        case Aid.AFE:
            ceiling = rulebook.afe_ceiling(request.scheme) or Decimal("0.00")
            limits.append(Limit("afe_within_ceiling", ceiling, f"the AFE ceiling of {ceiling} €"))
            limits.append(
                Limit(
                    "afe_not_above_contributions_paid", paid, f"the {paid} € of contributions paid"
                )
            )
        case Aid.FCI:
            ceiling = rulebook.fci_ceiling
            limits.append(Limit("fci_within_ceiling", ceiling, f"the FCI ceiling of {ceiling} €"))
        case Aid.ADR:
            ceiling = rulebook.adr_ceiling
            limits.append(Limit("adr_within_ceiling", ceiling, f"the ADR ceiling of {ceiling} €"))
            below = paid - Decimal("0.01")
            limits.append(
                Limit(
                    "adr_below_contributions_paid",
                    below,
                    f"the {below} € allowed below the {paid} € of contributions paid",
                )
            )
    return limits


def check_within_limits(
    amounts: tuple[AidAmount, ...],
    requested: tuple[AidRequest, ...],
    assessment: Assessment,
    rulebook: Rulebook,
) -> None:
    """Refuse a proposal or grant above what the aids' ceiling rules allow."""
    by_aid = {request.aid: request for request in requested}
    for item in amounts:
        request = by_aid[item.aid]
        for limit in _limits(request, assessment, rulebook):
            if item.amount > limit.amount:
                raise RuleViolation(
                    limit.rule, f"{item.amount} € of {item.aid}: more than {limit.reason}"
                )
        if item.aid is Aid.ACED and not set(item.periods) <= set(request.periods):
            raise RuleViolation(
                "aced_covers_only_the_periods_asked", "an ACED covers periods that were asked"
            )
        named = sum((p.amount for p in item.periods), Decimal("0.00"))
        if item.aid is Aid.ACED and item.periods and item.amount > named:
            raise RuleViolation(
                "aced_covers_at_most_the_periods_it_names",
                f"{item.amount} € is more than the {named} € due for the periods named",
            )


def is_everything_asked(granted: tuple[AidAmount, ...], requested: tuple[AidRequest, ...]) -> bool:
    by_aid = {item.aid: item for item in granted}
    return all(
        r.aid in by_aid
        and by_aid[r.aid].amount == r.total()
        and set(by_aid[r.aid].periods) == set(r.periods)
        for r in requested
    )
