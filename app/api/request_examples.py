"""The documented example of every request body: four fictional workers of Brittany and the
Loire, one per aid, on the dates their dossiers take, each body accepted as it stands.

tests/test_examples.py posts each one through the path it belongs to, with the service's clock
on these dates, and wants a 2xx: an example the API would refuse fails the suite. Only the ids a
body names (a catastrophe, a dossier) are the records the test made.
"""

from typing import Any

from fastapi import Body
from fastapi.openapi.models import Example

# The records the examples name, and the answers show (answer_examples.py, read_examples.py).
ACED_DOSSIER_ID = "82598dd2-3975-4cf4-af3f-f2e1b2adc116"
FCI_DOSSIER_ID = "27c507a8-fb5e-4b52-a414-bf51998390a7"
SESSION_ID = "15067425-4370-4a4a-b16e-bda7a126e497"
CATASTROPHE_ID = "87904a44-e1af-45a5-93a8-1ff8f23a488b"

# A baker of Quimper whose street was closed by roadworks for seven months: ACED and AFE, the
# ordinary path through the commission. Identifiers as people type them; the API compacts them.
BAKER: dict[str, Any] = {
    "last_name": "Le Gall",
    "first_name": "Nolwenn",
    "birth_date": "1981-09-23",
    "siret": "842 136 574 00014",
    "nir": "2 81 09 29 019 142 12",
    "email": "nolwenn.legall@example.fr",
    "phone": "06 45 21 87 33",
    "address": {"line1": "14 rue Kéréon", "postal_code": "29000", "city": "Quimper"},
}
ACED_PERIODS = [
    {"start": "2026-04-01", "end": "2026-06-30", "amount": "1185.00"},
    {"start": "2026-07-01", "end": "2026-09-30", "amount": "1320.50"},
]
FILED_ACED_AND_AFE: dict[str, Any] = {
    "applicant": BAKER,
    "activity": {
        "kind": "artisan",
        "affiliated_since": "2014-03-01",
        "description": "Boulangerie-pâtisserie",
    },
    "region": "bretagne",
    "aids": [{"aid": "ACED", "periods": ACED_PERIODS}, {"aid": "AFE", "amount": "1500.00"}],
    "difficulty_factors": ["roadworks", "loss_of_customers"],
    "own_account": "Le chantier de réfection de la rue a fermé l'accès au magasin d'avril à "
    "octobre : la clientèle est partie ailleurs et je n'ai pas pu payer mes cotisations.",
    "channel": "urssaf_messaging",
    "documents": ["application_form", "proof_of_difficulty"],
}

# A hairdresser of Angers who lost half her customers: her documents never came.
HAIRDRESSER: dict[str, Any] = {
    "last_name": "Moreau",
    "first_name": "Karine",
    "birth_date": "1988-02-07",
    "siret": "912 473 683 00015",
    "nir": "2 88 02 49 007 218 77",
    "email": "karine.moreau@example.fr",
    "phone": "07 81 54 29 60",
    "address": {"line1": "27 boulevard Foch", "postal_code": "49100", "city": "Angers"},
}
FILED_AFE: dict[str, Any] = {
    "applicant": HAIRDRESSER,
    "activity": {
        "kind": "micro_entrepreneur",
        "affiliated_since": "2019-06-01",
        "description": "Coiffure à domicile",
    },
    "region": "pays-de-la-loire",
    "aids": [{"aid": "AFE", "amount": "1200.00"}],
    "difficulty_factors": ["loss_of_customers"],
    "own_account": "Deux salons ont ouvert dans le quartier au printemps : j'ai perdu la moitié "
    "de ma clientèle et mes revenus ne couvrent plus mes charges.",
    "channel": "autoentrepreneur_portal",
    "documents": ["application_form"],
}

# A cabinetmaker of Landerneau whose workshop was flooded: FCI, decided by delegation.
CABINETMAKER: dict[str, Any] = {
    "last_name": "Guivarc'h",
    "first_name": "Erwan",
    "birth_date": "1974-11-30",
    "siret": "815 369 426 00011",
    "nir": "1 74 11 29 103 057 39",
    "email": "erwan.guivarch@example.fr",
    "phone": "06 72 18 45 90",
    "address": {"line1": "5 quai de Cornouaille", "postal_code": "29800", "city": "Landerneau"},
}
FILED_FCI: dict[str, Any] = {
    "applicant": CABINETMAKER,
    "activity": {
        "kind": "artisan",
        "affiliated_since": "2008-04-01",
        "description": "Menuiserie-ébénisterie",
    },
    "region": "bretagne",
    "aids": [{"aid": "FCI", "amount": "1800.00"}],
    "difficulty_factors": ["fire_or_catastrophe"],
    "own_account": "L'Élorn est sortie de son lit dans la nuit du 17 octobre : l'atelier a pris "
    "un mètre d'eau, les machines et le stock de bois sont perdus.",
    "channel": "urssaf_messaging",
    "documents": ["application_form", "damage_photos", "insurance_claim"],
    "catastrophe": {"catastrophe_id": CATASTROPHE_ID, "damage_date": "2026-10-17"},
}

# A hardware shopkeeper of Morlaix retiring on a small pension: ADR, then withdrawn.
SHOPKEEPER: dict[str, Any] = {
    "last_name": "Le Roux",
    "first_name": "Jean-Yves",
    "birth_date": "1961-05-08",
    "siret": "539 724 187 00023",
    "nir": "1 61 05 29 151 083 84",
    "email": "jy.leroux@example.fr",
    "phone": "02 98 62 14 77",
    "address": {"line1": "9 place des Otages", "postal_code": "29600", "city": "Morlaix"},
}
FILED_ADR: dict[str, Any] = {
    "applicant": SHOPKEEPER,
    "activity": {
        "kind": "commercant",
        "affiliated_since": "1990-09-01",
        "description": "Quincaillerie",
    },
    "region": "bretagne",
    "aids": [{"aid": "ADR", "amount": "8500.00"}],
    "difficulty_factors": ["cessation_of_activity"],
    "own_account": "Je ferme la quincaillerie après trente-six ans : ma pension est faible et "
    "je n'ai rien pu mettre de côté ces dernières années.",
    "channel": "mail",
    "documents": ["application_form", "retirement_certificate", "tax_notice"],
}


def example(summary: str, value: Any, description: str | None = None) -> Example:
    shown: Example = {"summary": summary, "value": value}
    if description:
        shown["description"] = description
    return shown


def body(**examples: Example) -> Any:
    """A request body documented with these examples, each named (FastAPI's `Body`)."""
    return Body(openapi_examples=examples)


FILE_DOSSIER = body(
    aced_afe=example(
        "ACED et AFE : une boulangère après des travaux de voirie", FILED_ACED_AND_AFE
    ),
    afe=example("AFE : une coiffeuse qui a perdu sa clientèle", FILED_AFE),
    fci=example(
        "FCI : un atelier inondé lors d'un événement de catastrophe",
        FILED_FCI,
        "`catastrophe.catastrophe_id` names an open event (`POST /catastrophes`).",
    ),
    adr=example("ADR : un commerçant qui part à la retraite", FILED_ADR),
)
DOCUMENTS_REQUESTED: dict[str, Any] = {
    "documents": ["tax_notice", "bank_details"],
    "due_date": "2026-12-04",
    "reason": "Avis d'imposition 2026 (revenus 2025) et RIB professionnel manquants",
}
REQUEST_DOCUMENTS = body(pieces=example("Avis d'imposition et RIB manquants", DOCUMENTS_REQUESTED))
RECEIVE_DOCUMENTS = body(
    pieces=example("Les pièces demandées", {"documents": ["tax_notice", "bank_details"]})
)
REVIEWED_ACED_AND_AFE: dict[str, Any] = {
    "findings": "Chiffre d'affaires en baisse de 42 % d'avril à octobre 2026, attesté par "
    "l'expert-comptable ; arrêté municipal des travaux fourni. Cotisations réglées sans "
    "incident depuis 2014.",
    "assessment": {
        "annual_income": "16800.00",
        "monthly_charges": "1240.00",
        "contributions_due": "2505.50",
        "contributions_paid": "28400.00",
        "household_size": 3,
        "has_payment_plan": True,
    },
    "proposal": [
        {"aid": "ACED", "amount": "2505.50", "periods": ACED_PERIODS},
        {"aid": "AFE", "amount": "1500.00"},
    ],
    "opinion": "favourable",
    "situation": {
        "self_employment_is_main_activity": True,
        "difficulty_is_one_off": True,
        "has_covid_debt": False,
    },
}
REVIEW_DOSSIER = body(
    aced_afe=example(
        "ACED et AFE : les deux trimestres et une aide financière", REVIEWED_ACED_AND_AFE
    ),
    fci=example(
        "FCI : le sinistre constaté",
        {
            "findings": "Photos et déclaration de sinistre reçues ; atelier inondé le 17 octobre. "
            "Activité principale, pas de cumul emploi-retraite.",
            "assessment": {
                "annual_income": "24500.00",
                "monthly_charges": "1650.00",
                "contributions_due": "1980.00",
                "contributions_paid": "41200.00",
                "household_size": 4,
                "has_payment_plan": False,
            },
            "proposal": [{"aid": "FCI", "amount": "1800.00"}],
            "opinion": "favourable",
            "situation": {
                "active": True,
                "self_employment_is_main_activity": True,
                "in_cumul_emploi_retraite": False,
            },
        },
    ),
    adr=example(
        "ADR : retraite liquidée, non imposable",
        {
            "findings": "Retraite liquidée au 1er juin 2026 (attestation de la Carsat) ; avis de "
            "non-imposition 2024 et 2025 ; 143 trimestres comme commerçant.",
            "assessment": {
                "annual_income": "11200.00",
                "monthly_charges": "640.00",
                "contributions_due": "0.00",
                "contributions_paid": "86300.00",
                "household_size": 2,
                "has_payment_plan": False,
            },
            "proposal": [{"aid": "ADR", "amount": "8500.00"}],
            "opinion": "favourable",
            "situation": {
                "retirement_date": "2026-06-01",
                "quarters_as_self_employed": 143,
                "taxable_in_the_two_years_before_retirement": False,
                "contributions_up_to_date": True,
            },
        },
    ),
)
ACED_AND_AFE_FOR_THE_COMMISSION = (
    "Baisse du chiffre d'affaires de 42 % pendant sept mois de travaux de voirie qui ont coupé "
    "l'accès au commerce ; activité saine avant le chantier, cotisations toujours réglées, "
    "échéancier en cours. Difficulté ponctuelle."
)
ADR_FOR_THE_COMMISSION = (
    "Commerçant retraité depuis juin après trente-six ans d'activité ; petite pension, non "
    "imposable les deux années avant la retraite, cotisations à jour."
)
ANONYMISE_DOSSIER = body(
    aced_afe=example(
        "ACED et AFE : la situation sans nom ni lieu",
        {"commission_summary": ACED_AND_AFE_FOR_THE_COMMISSION},
    ),
    adr=example(
        "ADR : la situation sans nom ni lieu", {"commission_summary": ADR_FOR_THE_COMMISSION}
    ),
)
DECIDE_BY_DELEGATION = body(
    fci=example(
        "FCI accordé en totalité sur l'enveloppe",
        {
            "outcome": "granted_in_full",
            "granted": [{"aid": "FCI", "amount": "1800.00"}],
            "reason": "Sinistre du 17 octobre attesté, atelier hors d'usage : aide d'urgence "
            "accordée en totalité.",
        },
    )
)
DECIDED_IN_SESSION: dict[str, Any] = {
    "outcome": "granted_in_part",
    "granted": [
        {"aid": "ACED", "amount": "2505.50", "periods": ACED_PERIODS},
        {"aid": "AFE", "amount": "1000.00"},
    ],
    "reason": "Difficulté ponctuelle avérée : prise en charge des cotisations des deux "
    "trimestres demandés ; aide financière ramenée à 1 000 € au vu des charges du foyer.",
}
DECIDE_IN_SESSION = body(
    aced_afe=example(
        "Accord partiel : l'ACED des deux trimestres, une AFE réduite",
        DECIDED_IN_SESSION,
    )
)
NOTIFIED: dict[str, Any] = {
    "channel": "letter",
    "notified_on": "2026-12-16",
    "reference": "1A 168 459 2037 5",
}
NOTIFY_DECISION = body(lettre=example("Lettre recommandée", NOTIFIED))
WITHDRAW_DOSSIER = body(
    retrait=example(
        "Le demandeur renonce",
        {"reason": "Le demandeur a repris une activité en cumul emploi-retraite et renonce."},
    )
)
CLOSE_WITHOUT_FOLLOW_UP = body(
    pieces_non_recues=example(
        "Pièces jamais reçues",
        {
            "reason": "Avis d'imposition et RIB demandés le 4 novembre, non reçus à l'échéance du "
            "4 décembre malgré une relance."
        },
    )
)
RE_EXAMINATION_ASKED: dict[str, Any] = {
    "received_on": "2027-01-11",
    "reason": "Recours gracieux : la gérante joint son bilan 2026 et demande l'aide financière à "
    "hauteur des 1 500 € demandés.",
}
RE_EXAMINATION = body(
    recours_gracieux=example("Recours gracieux reçu dans les deux mois", RE_EXAMINATION_ASKED)
)
SCHEDULE_SESSION = body(
    bretagne=example(
        "La séance de décembre de la CASS de Bretagne",
        {
            "reference": "CASS-BRE-2026-12",
            "region": "bretagne",
            "session_date": "2026-12-15",
            "members": [f"cass-bre-0{n}" for n in range(1, 7)],
        },
    )
)
PUT_ON_AGENDA = body(
    dossier=example(
        "Un dossier anonymisé de la région",
        {"dossier_id": ACED_DOSSIER_ID},
        "`If-Match` is the dossier's ETag.",
    )
)
OPEN_SESSION = body(
    sans_corps=example("Rien à envoyer : le quorum compte les membres qui ont émargé", {})
)
REMOVE_FROM_AGENDA = body(
    retrait=example(
        "Avant l'ouverture",
        {"reason": "Le demandeur a annoncé le retrait de sa demande avant la séance."},
    )
)
CATASTROPHE_OPENED: dict[str, Any] = {
    "name": "Crues du Finistère, octobre 2026",
    "regions": ["bretagne"],
    "start": "2026-10-16",
    "end": "2026-10-19",
    "envelope": "350000.00",
}
OPEN_CATASTROPHE = body(
    crues=example("Des crues en Bretagne, avec l'enveloppe du fonds", CATASTROPHE_OPENED)
)
CLOSE_CATASTROPHE = body(
    fin_des_depots=example(
        "La période de dépôt est close",
        {"reason": "Période de dépôt des demandes FCI close le 30 novembre 2026."},
    )
)
