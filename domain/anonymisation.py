"""The anonymous file shown to the CASS: only what the decision needs, no direct identifier.

The commission reads structured facts and a short text the reviewer writes for it
(`situation`), checked for identifiers before it is accepted (domain.commission_text); never
the applicant's own account nor the reviewer's findings. Its code is keyed by the service
(app layer): nobody holding a dossier's id can compute it.
"""

from dataclasses import dataclass, replace
from datetime import date

from domain.values import (
    ActivityKind,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    DifficultyFactor,
    Opinion,
)

ERASED = "[effacé]"  # what personal data reads as once its retention period is over
# What the commission reads instead of a text nobody checked for it: the summaries of old held
# the reviewer's findings, blacked out by a filter that missed what it did not know.
WITHHELD = "[non communiqué]"


@dataclass(frozen=True)
class AnonymisedSummary:
    anonymous_code: str
    region: str
    activity_kind: ActivityKind
    seniority_years: int
    age_bracket: str
    aids_requested: tuple[AidRequest, ...]
    difficulty_factors: tuple[DifficultyFactor, ...]
    situation: str
    assessment: Assessment
    proposal: tuple[AidAmount, ...]
    opinion: Opinion
    # True when `situation` is the text written for the commission and checked; false in the
    # summaries of old, whose `situation` was the reviewer's findings (never shown any more).
    written_for_the_commission: bool = False


def for_the_commission(summary: AnonymisedSummary) -> AnonymisedSummary:
    """The summary as the commission may read it: an unchecked text is withheld."""
    if summary.written_for_the_commission:
        return summary
    return replace(summary, situation=WITHHELD)


def whole_years_between(start: date, end: date) -> int:
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def age_bracket(birth_date: date, on: date) -> str:
    """A ten-year bracket ("40-49"), never the birth date."""
    low = whole_years_between(birth_date, on) // 10 * 10
    return f"{low}-{low + 9}"


def anonymise(
    *,
    anonymous_code: str,
    applicant: Applicant,
    region: str,
    activity_kind: ActivityKind,
    affiliated_since: date,
    aids_requested: tuple[AidRequest, ...],
    difficulty_factors: tuple[DifficultyFactor, ...],
    commission_summary: str,
    assessment: Assessment,
    proposal: tuple[AidAmount, ...],
    opinion: Opinion,
    on: date,
) -> AnonymisedSummary:
    """The summary the commission sees, computed from the dossier on a given day: the text is
    the one written for the commission (checked before), never the applicant's own account nor
    the reviewer's findings, which speak of people and health in their own words."""
    return AnonymisedSummary(
        anonymous_code=anonymous_code,
        region=region,
        activity_kind=activity_kind,
        seniority_years=whole_years_between(affiliated_since, on),
        age_bracket=age_bracket(applicant.birth_date, on),
        aids_requested=aids_requested,
        difficulty_factors=difficulty_factors,
        situation=commission_summary.strip(),
        assessment=assessment,
        proposal=proposal,
        opinion=opinion,
        written_for_the_commission=True,
    )
