"""Two more dossiers of the examples: an FCI after a storm, and an ADR for a retiring artisan.

They reuse the example dossier's id, times and applicant, and change what their aid needs.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from examples import applicant, decide_dossier, file_dossier, review_dossier

from domain.dossier import DecideDossier, FileDossier, ReviewDossier
from domain.eligibility import CatastropheFacts
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Assessment,
    CatastropheClaim,
    DifficultyFactor,
    Outcome,
    Situation,
)

# FCI: the storm of late February 2024 on the Atlantic coast, filed on 4 March 2024.

CATASTROPHE_ID = UUID("c47a5e1d-9b2f-4d3e-8c1a-7f6e5d4c3b2a")
STORM = CatastropheFacts(
    catastrophe_id=CATASTROPHE_ID,
    regions=("bretagne", "pays-de-la-loire"),
    start=date(2024, 2, 25),
    end=date(2024, 3, 2),
    is_open=True,
    remaining=Decimal("412000.00"),
)
CLAIM = CatastropheClaim(catastrophe_id=CATASTROPHE_ID, damage_date=date(2024, 2, 27))
FCI_AIDS = (AidRequest(aid=Aid.FCI, amount=Decimal("1500.00")),)
FCI_SITUATION = Situation(
    self_employment_is_main_activity=True, active=True, in_cumul_emploi_retraite=False
)
FCI_GRANT = (AidAmount(aid=Aid.FCI, amount=Decimal("1500.00")),)


def fci_filing(**changes: Any) -> FileDossier:
    command = file_dossier(
        aids=FCI_AIDS,
        catastrophe=CLAIM,
        difficulty_factors=(DifficultyFactor.FIRE_OR_CATASTROPHE,),
        own_account="The storm flooded the crêperie: the stock and the griddles are lost.",
    )
    return replace(command, **changes)


def fci_review(**changes: Any) -> ReviewDossier:
    command = review_dossier(
        findings="Damage confirmed by the insurer's expert; the shop stays closed a month.",
        proposal=FCI_GRANT,
        situation=FCI_SITUATION,
        catastrophe=STORM,
    )
    return replace(command, **changes)


def fci_decision(**changes: Any) -> DecideDossier:
    """The FCI's fast path: decided by delegation, outside any session, the storm still open."""
    command = decide_dossier(
        outcome=Outcome.GRANTED_IN_FULL,
        granted=FCI_GRANT,
        reason="damage by the storm confirmed, within the ceiling",
        session=None,
        catastrophe=STORM,
    )
    return replace(command, **changes)


# ADR: a joiner retiring on 1 March 2024, at 64, who files three days later.

ADR_NIR = "1600229019045" + "09"  # a man born in February 1960 in Finistère
ADR_APPLICANT = applicant(
    last_name="Le Goff", first_name="Yannick", birth_date=date(1960, 2, 10), nir=ADR_NIR
)
ADR_ACTIVITY = Activity(
    kind=ActivityKind.ARTISAN, affiliated_since=date(1988, 9, 1), description="menuiserie"
)
RETIRED_ON = date(2024, 3, 1)
ADR_AIDS = (AidRequest(aid=Aid.ADR, amount=Decimal("8000.00")),)
ADR_ASSESSMENT = Assessment(
    annual_income=Decimal("9800.00"),
    monthly_charges=Decimal("700.00"),
    contributions_due=Decimal("1200.00"),
    contributions_paid=Decimal("96400.00"),
)
ADR_SITUATION = Situation(
    retirement_date=RETIRED_ON,
    quarters_as_self_employed=142,
    taxable_in_the_two_years_before_retirement=False,
    contributions_up_to_date=True,
)
ADR_GRANT = (AidAmount(aid=Aid.ADR, amount=Decimal("8000.00")),)


def adr_filing(**changes: Any) -> FileDossier:
    command = file_dossier(
        applicant=ADR_APPLICANT,
        activity=ADR_ACTIVITY,
        aids=ADR_AIDS,
        difficulty_factors=(DifficultyFactor.CESSATION_OF_ACTIVITY,),
        own_account="I retire after 35 years of joinery with a very small pension.",
    )
    return replace(command, **changes)


def adr_review(**changes: Any) -> ReviewDossier:
    command = review_dossier(
        findings="Retirement certificate received; not taxable in 2022 and 2023.",
        assessment=ADR_ASSESSMENT,
        proposal=ADR_GRANT,
        situation=ADR_SITUATION,
        adr_already_granted=False,
    )
    return replace(command, **changes)
