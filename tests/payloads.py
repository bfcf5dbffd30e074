"""Valid request bodies for each command, so API tests only spell out what they vary."""

import copy
import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.services.identifiers import with_luhn_digit, with_nir_key

APPLICANT: dict[str, Any] = {
    "last_name": "Lefebvre",
    "first_name": "Sandrine",
    "birth_date": "1975-06-21",
    "siret": "732 829 320 00074",
    "email": "sandrine.lefebvre@example.fr",
    "phone": "06 12 34 56 78",
    "address": {"line1": "4 place du Marché", "postal_code": "44000", "city": "Nantes"},
}


def today() -> date:
    """Today in France, the day the service dates its commands with."""
    return datetime.now(ZoneInfo("Europe/Paris")).date()


ACED_PERIOD = {"start": "2026-04-01", "end": "2026-06-30", "amount": "1320.50"}


def file_body(**overrides: Any) -> dict[str, Any]:
    applicant = copy.deepcopy(APPLICANT)
    applicant["nir"] = with_nir_key("2750675123456")
    body: dict[str, Any] = {
        "applicant": applicant,
        "activity": {"kind": "commercant", "affiliated_since": "2012-03-01"},
        "region": "pays-de-la-loire",
        "aids": [
            {
                "aid": "ACED",
                "periods": [{"start": "2026-04-01", "end": "2026-06-30", "amount": "1320.50"}],
            },
            {"aid": "AFE", "amount": "1800.00"},
        ],
        "difficulty_factors": ["drop_in_activity_health_problem"],
        "own_account": "Hospitalisée trois mois, la boutique est restée fermée.",
        "channel": "urssaf_messaging",
        "documents": ["application_form", "tax_notice"],
    }
    body.update(overrides)
    return body


def document_request_body() -> dict[str, Any]:
    due = today() + timedelta(days=30)
    return {"documents": ["bank_details"], "due_date": due.isoformat(), "reason": "RIB manquant"}


def review_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "findings": "Fermeture de trois mois attestée; cotisations payées jusqu'en 2025.",
        "assessment": {
            "annual_income": "18400.00",
            "monthly_charges": "1120.00",
            "contributions_due": "1320.50",
            "contributions_paid": "15200.00",
            "household_size": 1,
            "has_payment_plan": False,
        },
        "proposal": [{"aid": "ACED", "amount": "1320.50"}, {"aid": "AFE", "amount": "1500.00"}],
        "opinion": "favourable",
        "situation": {
            "self_employment_is_main_activity": True,
            "difficulty_is_one_off": True,
            "has_covid_debt": False,
        },
    }
    body.update(overrides)
    return body


COMMISSION_TEXT = (
    "Baisse d'activité (problème de santé) : fermeture de trois mois ; cotisations payées "
    "jusqu'en 2025, difficulté ponctuelle."
)


def anonymisation_body(text: str = COMMISSION_TEXT) -> dict[str, Any]:
    """What the reviewer writes for the commission: no name, place nor diagnosis."""
    return {"commission_summary": text}


def presentation_day() -> str:
    return today().isoformat()


def session_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reference": "CASS-PDL-2026-12",
        "region": "pays-de-la-loire",
        "session_date": presentation_day(),
        "members": [f"cass-pdl-m{n}" for n in range(1, 7)],
    }
    body.update(overrides)
    return body


def decision_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "outcome": "granted_in_part",
        "granted": [{"aid": "ACED", "amount": "1320.50", "periods": [ACED_PERIOD]}],
        "reason": "Difficulté ponctuelle liée à la santé; l'ACED suffit.",
    }
    body.update(overrides)
    return body


def notification_body(on: date | None = None) -> dict[str, Any]:
    notified_on = (on or today()).isoformat()
    return {"channel": "letter", "notified_on": notified_on, "reference": "LR-42"}


def catastrophe_body(**overrides: Any) -> dict[str, Any]:
    start = today() - timedelta(days=10)
    body: dict[str, Any] = {
        "name": "Crue de la Loire",
        "regions": ["pays-de-la-loire", "centre-val-de-loire"],
        "start": start.isoformat(),
        "end": (start + timedelta(days=5)).isoformat(),
        "envelope": "600000.00",
    }
    body.update(overrides)
    return body


def fresh_siret() -> str:
    """A valid SIRET of a worker no other test uses (the FCI ceiling is per worker and event)."""
    body = f"{random.randrange(10**12):012d}"
    return with_luhn_digit(with_luhn_digit(body[:8]) + body[8:12])


def fci_body(catastrophe_id: str, amount: str = "1500.00", **overrides: Any) -> dict[str, Any]:
    damage = today() - timedelta(days=8)
    applicant = file_body()["applicant"] | {"siret": fresh_siret()}
    fci = {
        "applicant": applicant,
        "aids": [{"aid": "FCI", "amount": amount}],
        "difficulty_factors": ["fire_or_catastrophe"],
        "own_account": "L'atelier a été inondé, les machines sont hors d'usage.",
        "documents": ["application_form", "damage_photos", "insurance_claim"],
        "catastrophe": {"catastrophe_id": catastrophe_id, "damage_date": damage.isoformat()},
    }
    return file_body(**(fci | overrides))


def fci_review_body(amount: str = "1500.00") -> dict[str, Any]:
    return review_body(
        findings="Inondation constatée par photos; activité principale, pas de cumul.",
        proposal=[{"aid": "FCI", "amount": amount}],
        situation={
            "active": True,
            "self_employment_is_main_activity": True,
            "in_cumul_emploi_retraite": False,
        },
    )


def fresh_nir() -> str:
    """A valid NIR no other test uses: the ADR is once per person, and the store is shared."""
    first_13 = f"1600675{random.randrange(10**6):06d}"
    return with_nir_key(first_13)


def adr_body(amount: str = "8000.00", **overrides: Any) -> dict[str, Any]:
    applicant = file_body()["applicant"] | {"birth_date": "1960-06-21", "nir": fresh_nir()}
    adr = {
        "applicant": applicant,
        "activity": {"kind": "commercant", "affiliated_since": "1995-01-01"},
        "aids": [{"aid": "ADR", "amount": amount}],
        "difficulty_factors": ["cessation_of_activity"],
        "own_account": "Je pars à la retraite après trente ans de commerce, avec peu de revenus.",
        "documents": ["application_form", "retirement_certificate", "tax_notice"],
    }
    return file_body(**(adr | overrides))


def adr_review_body(amount: str = "8000.00") -> dict[str, Any]:
    retired = today() - timedelta(days=60)
    return review_body(
        findings="Retraite liquidée; non imposable en 2024 et 2025; 120 trimestres.",
        assessment={
            "annual_income": "9800.00",
            "monthly_charges": "700.00",
            "contributions_due": "0.00",
            "contributions_paid": "64000.00",
            "household_size": 1,
            "has_payment_plan": False,
        },
        proposal=[{"aid": "ADR", "amount": amount}],
        situation={
            "retirement_date": retired.isoformat(),
            "quarters_as_self_employed": 120,
            "taxable_in_the_two_years_before_retirement": False,
            "contributions_up_to_date": True,
        },
    )
