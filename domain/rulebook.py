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

    def __post_init__(self) -> None:
        """A rulebook that makes no sense is refused when loaded, not met mid-decision."""
        numbers = {
            "minimum_affiliation_years": self.minimum_affiliation_years,
            "adr_legal_retirement_age": self.adr_legal_retirement_age,
            "adr_minimum_years": self.adr_minimum_years,
            "adr_minimum_quarters": self.adr_minimum_quarters,
            "adr_untaxed_years_before_retirement": self.adr_untaxed_years_before_retirement,
            "adr_months_after_retirement": self.adr_months_after_retirement,
            "adr_months_before_retirement_if_not_up_to_date": (
                self.adr_months_before_retirement_if_not_up_to_date
            ),
            "implicit_rejection_months": self.implicit_rejection_months,
            "re_examination_months": self.re_examination_months,
        }
        amounts = {"fci_ceiling": self.fci_ceiling, "adr_ceiling": self.adr_ceiling}
        amounts |= {f"afe_ceilings.{k}": v for k, v in self.afe_ceilings.items()}
        wrong = [name for name, value in numbers.items() if value < 0]
        wrong += [name for name, value in amounts.items() if value < 0]
        if self.cass_quorum < 1:
            wrong.append("cass_quorum")
        if wrong:
            raise ValueError(f"rulebook {self.version}: {', '.join(wrong)} out of range")

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
