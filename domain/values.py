"""The vocabulary of a dossier: the aids, the applicant, the activity, money and periods."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID


class Aid(StrEnum):
    """The four social action aids of the CPSTI."""

    ACED = "ACED"  # Aide aux Cotisants En Difficulté: contributions taken over
    AFE = "AFE"  # Aide Financière Exceptionnelle: cash for a serious treasury problem
    FCI = "FCI"  # Fonds Catastrophe et Intempéries: emergency aid after a catastrophe
    ADR = "ADR"  # Accompagnement au Départ à la Retraite: artisans and shopkeepers retiring


class ActivityKind(StrEnum):
    ARTISAN = "artisan"
    COMMERCANT = "commercant"
    PROFESSION_LIBERALE = "profession_liberale"
    MICRO_ENTREPRENEUR = "micro_entrepreneur"


class DifficultyFactor(StrEnum):
    """The factors of difficulty named by the founding leaflet."""

    DROP_IN_ACTIVITY_HEALTH_CRISIS = "drop_in_activity_health_crisis"
    DROP_IN_ACTIVITY_HEALTH_PROBLEM = "drop_in_activity_health_problem"
    LOSS_OF_CUSTOMERS = "loss_of_customers"
    ROADWORKS = "roadworks"
    FIRE_OR_CATASTROPHE = "fire_or_catastrophe"
    CESSATION_OF_ACTIVITY = "cessation_of_activity"
    OTHER = "other"


class IntakeChannel(StrEnum):
    URSSAF_MESSAGING = "urssaf_messaging"
    AUTOENTREPRENEUR_PORTAL = "autoentrepreneur_portal"
    MAIL = "mail"
    HELP = "help"


class DocumentKind(StrEnum):
    APPLICATION_FORM = "application_form"
    TAX_NOTICE = "tax_notice"  # avis d'imposition ou de non-imposition
    BANK_DETAILS = "bank_details"  # RIB
    PROOF_OF_DIFFICULTY = "proof_of_difficulty"
    POLICE_COMPLAINT = "police_complaint"
    INSURANCE_CLAIM = "insurance_claim"
    SWORN_STATEMENT = "sworn_statement"
    RETIREMENT_CERTIFICATE = "retirement_certificate"
    DAMAGE_PHOTOS = "damage_photos"
    OTHER = "other"


class Opinion(StrEnum):
    """The reviewer's opinion on the proposal put to the commission."""

    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"
    RESERVED = "reserved"


class Outcome(StrEnum):
    GRANTED_IN_FULL = "granted_in_full"
    GRANTED_IN_PART = "granted_in_part"
    REJECTED = "rejected"
    ADJOURNED = "adjourned"


class NotificationChannel(StrEnum):
    LETTER = "letter"
    URSSAF_MESSAGING = "urssaf_messaging"
    EMAIL = "email"


@dataclass(frozen=True)
class PostalAddress:
    line1: str
    postal_code: str
    city: str
    line2: str | None = None
    country: str = "FR"


@dataclass(frozen=True)
class Applicant:
    """The self-employed worker who asks for help: every field here is personal data."""

    last_name: str
    first_name: str
    birth_date: date
    siret: str
    email: str
    phone: str
    address: PostalAddress
    nir: str | None = None


@dataclass(frozen=True)
class Activity:
    kind: ActivityKind
    affiliated_since: date
    description: str = ""


@dataclass(frozen=True)
class ContributionPeriod:
    """A period of personal contributions, with the amount due for it."""

    start: date
    end: date
    amount: Decimal


@dataclass(frozen=True)
class AidRequest:
    """One aid asked for: an amount, contribution periods to take over, or both.

    `scheme` names the AFE scheme whose ceiling applies ("standard", or a special one).
    """

    aid: Aid
    amount: Decimal | None = None
    periods: tuple[ContributionPeriod, ...] = ()
    scheme: str = "standard"

    def total(self) -> Decimal:
        """What the request asks for in euros: its amount, else the sum of its periods."""
        if self.amount is not None:
            return self.amount
        return sum((p.amount for p in self.periods), Decimal("0.00"))


@dataclass(frozen=True)
class CatastropheClaim:
    """For an FCI: the catastrophe event the worker was hit by, and when."""

    catastrophe_id: UUID
    damage_date: date


@dataclass(frozen=True)
class Assessment:
    """What the reviewer found of the worker's finances."""

    annual_income: Decimal
    monthly_charges: Decimal
    contributions_due: Decimal
    contributions_paid: Decimal
    household_size: int = 1
    has_payment_plan: bool = False


@dataclass(frozen=True)
class Situation:
    """What the reviewer established of the worker, for the aids' rules.

    A fact left unknown (None) makes the rules that need it "not determinable".
    """

    self_employment_is_main_activity: bool | None = None
    difficulty_is_one_off: bool | None = None
    has_covid_debt: bool | None = None
    covid_debt_has_payment_plan: bool | None = None
    active: bool | None = None
    in_cumul_emploi_retraite: bool | None = None
    retirement_date: date | None = None
    unfit_for_work: bool = False
    quarters_as_self_employed: int | None = None
    taxable_in_the_two_years_before_retirement: bool | None = None
    contributions_up_to_date: bool | None = None


@dataclass(frozen=True)
class AidAmount:
    """An aid with the amount and contribution periods proposed or granted."""

    aid: Aid
    amount: Decimal
    periods: tuple[ContributionPeriod, ...] = field(default=())
