"""Valid request bodies for each command, so API tests only spell out what they vary."""

from datetime import date, timedelta
from typing import Any

APPLICANT: dict[str, Any] = {
    "last_name": "Lefebvre",
    "first_name": "Sandrine",
    "birth_date": "1975-06-21",
    "siret": "732 829 320 00074",
    "email": "sandrine.lefebvre@example.fr",
    "phone": "06 12 34 56 78",
    "address": {"line1": "4 place du Marché", "postal_code": "44000", "city": "Nantes"},
}


def file_body(**overrides: Any) -> dict[str, Any]:
    from domain.identifiers import nir_key

    applicant = {**APPLICANT, "nir": "2750675123456" + f"{nir_key('2750675123456'):02d}"}
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
    due = date.today() + timedelta(days=30)
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
    }
    body.update(overrides)
    return body


def presentation_body() -> dict[str, Any]:
    return {"session_reference": "CASS-PDL-2026-12", "session_date": date.today().isoformat()}


def decision_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "outcome": "granted_in_part",
        "granted": [{"aid": "ACED", "amount": "1320.50"}],
        "reason": "Difficulté ponctuelle liée à la santé; l'ACED suffit.",
    }
    body.update(overrides)
    return body


def notification_body() -> dict[str, Any]:
    return {"channel": "letter", "notified_on": date.today().isoformat(), "reference": "LR-42"}
