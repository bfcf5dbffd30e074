"""What a decision may grant: within the ceilings, everything or less as it says, never an aid
whose rules failed at review, and an FCI only on an open catastrophe event covering the worker."""

from datetime import date

from domain.dossier_events import DossierFiled, DossierReviewed
from domain.eligibility import (
    AMOUNT_LIMITS,
    Case,
    CatastropheFacts,
    Result,
    check_within_limits,
    fci_requires_an_open_catastrophe_covering_region_and_date,
    is_everything_asked,
)
from domain.errors import RuleViolation
from domain.rulebook import Rulebook
from domain.values import Aid, AidAmount, Outcome


def check_grant(
    outcome: Outcome,
    granted: tuple[AidAmount, ...],
    filing: DossierFiled,
    review: DossierReviewed,
    rulebook: Rulebook,
    catastrophe: CatastropheFacts | None,
    on: date,
) -> None:
    """Refuse, naming the rule, a decision that grants what the rules do not allow."""
    check_within_limits(granted, filing.aids, review.assessment, rulebook)
    everything = is_everything_asked(granted, filing.aids)
    if outcome is Outcome.GRANTED_IN_FULL and not everything:
        raise RuleViolation(
            "a_full_grant_grants_everything_asked",
            "granted in full means every aid asked, at the amount and periods asked",
        )
    if outcome is Outcome.GRANTED_IN_PART and everything:
        raise RuleViolation(
            "a_partial_grant_grants_less_than_asked", "everything asked is granted: in full"
        )
    for item in granted:
        if item.amount <= 0:
            raise RuleViolation("a_grant_grants_an_amount", f"{item.aid} is granted 0.00 €")
        if item.aid is Aid.ACED and not item.periods:
            raise RuleViolation(
                "aced_names_the_periods_covered",
                "an ACED decision names the contribution periods it takes over",
            )
        for finding in review.eligibility:
            condition = finding.rule not in AMOUNT_LIMITS  # limits bound the grant, checked above
            if condition and finding.aid is item.aid and finding.result is Result.FAILED:
                raise RuleViolation(
                    finding.rule,
                    f"{item.aid} cannot be granted: {finding.reason} (found at review)",
                )
        if item.aid is Aid.FCI:
            _check_catastrophe_now(filing, review, rulebook, catastrophe, on)


def _check_catastrophe_now(
    filing: DossierFiled,
    review: DossierReviewed,
    rulebook: Rulebook,
    catastrophe: CatastropheFacts | None,
    on: date,
) -> None:
    """The catastrophe event as it is when the FCI is granted: still open, still covering."""
    request = next(r for r in filing.aids if r.aid is Aid.FCI)
    case = Case(
        request=request,
        activity=filing.activity,
        birth_date=filing.applicant.birth_date,
        region=filing.region,
        filed_on=on,
        assessment=review.assessment,
        situation=review.situation,
        rulebook=rulebook,
        catastrophe_claim=filing.catastrophe,
        catastrophe=catastrophe,
    )
    result, reason = fci_requires_an_open_catastrophe_covering_region_and_date(case)
    if result is not Result.PASSED:
        raise RuleViolation(
            "fci_requires_an_open_catastrophe_covering_region_and_date",
            f"FCI cannot be granted: {reason}",
        )
