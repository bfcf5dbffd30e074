"""The rulebook: the figures of the aids' rules, as reference data a deployment can change.

The defaults are those of domain.md; a deployment loads its own (a JSON file) and every review
records the version of the rulebook it applied.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Rulebook:
    version: str = "2026.1"
    # ACED and AFE
    minimum_affiliation_years: int = 1
    afe_ceilings: dict[str, Decimal] = field(
        default_factory=lambda: {"standard": Decimal("2000.00"), "riots-2023": Decimal("6000.00")}
    )
    # FCI
    fci_ceiling: Decimal = Decimal("2000.00")
    # ADR
    adr_legal_retirement_age: int = 64  # inferred: the generation's legal age, set per deployment
    adr_minimum_years: int = 15
    adr_minimum_quarters: int = 60
    adr_untaxed_years_before_retirement: int = 2
    adr_months_after_retirement: int = 12
    adr_months_before_retirement_if_not_up_to_date: int = 6
    adr_ceiling: Decimal = Decimal("10000.00")
    # The path
    implicit_rejection_months: int = 2
    re_examination_months: int = 2
    re_examination_allowed: bool = True
    cass_quorum: int = 4  # inferred: a majority of the 6 members of the 2018 model statutes

    def afe_ceiling(self, scheme: str) -> Decimal | None:
        return self.afe_ceilings.get(scheme)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept within the month: 31 Jan + 1 → 28/29 Feb."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
