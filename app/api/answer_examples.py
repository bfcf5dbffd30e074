"""The documented example of each answer about a record: the baker's dossier, the Breton
session and the catastrophe event of request_examples.py, as the API answers them on those
dates (times in UTC; the ids are those the request examples name).

tests/test_examples.py checks each against the schema of the answer it illustrates.
"""

from typing import Any

from app.api import request_examples as asked

CASEWORKER = "agent-bre-014"
CHAIR = "cass-bre-01"
MEMBERS = [f"cass-bre-0{n}" for n in range(1, 7)]
PRESENT = MEMBERS[:4]
ACED_CODE = "ANO-5C1E9B07A4"
ACED_REFERENCE = "AS-2026-82598DD2"
SESSION_REFERENCE = "CASS-BRE-2026-12"

# The identifiers as the registers write them: the API keeps them without spaces.
BAKER = asked.BAKER | {
    "siret": "84213657400014",
    "nir": "281092901914212",
    "phone": "0645218733",
    "address": asked.BAKER["address"] | {"line2": None, "country": "FR"},
}
AIDS_ASKED = [
    {"aid": "ACED", "amount": None, "periods": asked.ACED_PERIODS, "scheme": "standard"},
    {"aid": "AFE", "amount": "1500.00", "periods": [], "scheme": "standard"},
]
PROPOSED = [
    {"aid": "ACED", "amount": "2505.50", "periods": asked.ACED_PERIODS},
    {"aid": "AFE", "amount": "1500.00", "periods": []},
]
GRANTED = [
    {"aid": "ACED", "amount": "2505.50", "periods": asked.ACED_PERIODS},
    {"aid": "AFE", "amount": "1000.00", "periods": []},
]
REVIEW = asked.REVIEWED_ACED_AND_AFE
SITUATION = {
    "covid_debt_has_payment_plan": None,
    "active": None,
    "in_cumul_emploi_retraite": None,
    "retirement_date": None,
    "unfit_for_work": False,
    "quarters_as_self_employed": None,
    "taxable_in_the_two_years_before_retirement": None,
    "contributions_up_to_date": None,
} | REVIEW["situation"]
CONDITIONS = [
    (
        "requires_more_than_one_year_of_affiliation",
        "affiliated since 2014-03-01, more than 1 year(s) before the request",
    ),
    ("requires_contributions_already_paid", "28400.00 € of contributions already paid"),
    ("requires_self_employment_as_main_activity", "self-employment is the main activity"),
    ("requires_a_one_off_difficulty", "the difficulty is one-off"),
    ("covid_debt_requires_a_payment_plan", "no Covid-related debt"),
]
AFE_LIMITS = [
    ("afe_within_ceiling", "1500.00 € asked, within the standard ceiling of 2000.00 €"),
    (
        "afe_not_above_contributions_paid",
        "1500.00 € asked, not above the 28400.00 € of contributions paid",
    ),
]
ELIGIBILITY = [
    {"aid": aid, "rule": rule, "result": "passed", "reason": reason}
    for aid, rules in (("ACED", CONDITIONS), ("AFE", CONDITIONS + AFE_LIMITS))
    for rule, reason in rules
]
SUMMARY: dict[str, Any] = {
    "anonymous_code": ACED_CODE,
    "region": "bretagne",
    "activity_kind": "artisan",
    "seniority_years": 12,
    "age_bracket": "40-49",
    "aids_requested": AIDS_ASKED,
    "difficulty_factors": asked.FILED_ACED_AND_AFE["difficulty_factors"],
    "situation": asked.ACED_AND_AFE_FOR_THE_COMMISSION,
    "assessment": REVIEW["assessment"],
    "proposal": PROPOSED,
    "opinion": "favourable",
    "written_for_the_commission": True,
}
EVENT = {"dossier_id": asked.ACED_DOSSIER_ID, "actor": CASEWORKER}
SESSION = {"session_id": asked.SESSION_ID, "session_reference": SESSION_REFERENCE}

# The baker's dossier once the commission decided, before the letter went out.
DOSSIER: dict[str, Any] = {
    "id": asked.ACED_DOSSIER_ID,
    "reference": ACED_REFERENCE,
    "version": 7,
    "status": "decided",
    "region": "bretagne",
    "filed_at": "2026-11-02T08:30:00Z",
    "last_changed_at": "2026-12-15T09:20:00Z",
    "applicant": BAKER,
    "activity": asked.FILED_ACED_AND_AFE["activity"],
    "aids": AIDS_ASKED,
    "difficulty_factors": asked.FILED_ACED_AND_AFE["difficulty_factors"],
    "own_account": asked.FILED_ACED_AND_AFE["own_account"],
    "channel": "urssaf_messaging",
    "documents_received": ["application_form", "proof_of_difficulty", "tax_notice", "bank_details"],
    "outstanding_documents": [],
    "documents_due": None,
    "implicit_rejection_date": None,
    "catastrophe": None,
    "review": EVENT
    | REVIEW
    | {
        "occurred_at": "2026-11-24T10:00:00Z",
        "proposal": PROPOSED,
        "situation": SITUATION,
        "eligibility": ELIGIBILITY,
        "rulebook_version": "2026.1",
    },
    "anonymised_summary": SUMMARY,
    "presentation": EVENT
    | SESSION
    | {"occurred_at": "2026-11-26T09:00:00Z", "session_date": "2026-12-15"},
    "decision": EVENT
    | SESSION
    | asked.DECIDED_IN_SESSION
    | {
        "occurred_at": "2026-12-15T09:20:00Z",
        "actor": CHAIR,
        "granted": GRANTED,
        "delegated": False,
        "rulebook_version": "2026.1",
    },
    "notification": None,
    "withdrawal": None,
    "closure": None,
    "re_examination": None,
}

# Its first three events: filed, documents asked, documents received.
HISTORY: dict[str, Any] = {
    "dossier_id": asked.ACED_DOSSIER_ID,
    "version": 3,
    "events": [
        {
            "version": 1,
            "type": "DossierFiled",
            "occurred_at": "2026-11-02T08:30:00Z",
            "actor": CASEWORKER,
            "data": asked.FILED_ACED_AND_AFE
            | {
                "reference": ACED_REFERENCE,
                "applicant": BAKER,
                "aids": AIDS_ASKED,
                "catastrophe": None,
            },
        },
        {
            "version": 2,
            "type": "DocumentsRequested",
            "occurred_at": "2026-11-04T09:05:00Z",
            "actor": CASEWORKER,
            "data": asked.DOCUMENTS_REQUESTED,
        },
        {
            "version": 3,
            "type": "DocumentsReceived",
            "occurred_at": "2026-11-20T14:00:00Z",
            "actor": CASEWORKER,
            "data": {"documents": ["tax_notice", "bank_details"]},
        },
    ],
}

# The session closed: four members signed in; the shopkeeper's dossier was taken off before.
SESSION_ANSWER: dict[str, Any] = {
    "id": asked.SESSION_ID,
    "version": 11,
    "reference": SESSION_REFERENCE,
    "region": "bretagne",
    "session_date": "2026-12-15",
    "status": "closed",
    "members": MEMBERS,
    "members_present": PRESENT,
    "agenda": [
        {
            "anonymous_code": ACED_CODE,
            "summary": SUMMARY,
            "decision": {
                "outcome": "granted_in_part",
                "granted": GRANTED,
                "members_present": PRESENT,
            },
        }
    ],
}
MINUTES: dict[str, Any] = {
    "session_id": asked.SESSION_ID,
    "reference": SESSION_REFERENCE,
    "region": "bretagne",
    "session_date": "2026-12-15",
    "members_present": PRESENT,
    "attendance": "attested",
    "decisions": [
        {
            "anonymous_code": ACED_CODE,
            "outcome": "granted_in_part",
            "granted": GRANTED,
            "members_present": PRESENT,
        }
    ],
}

# The floods' envelope once the cabinetmaker's FCI was granted.
CATASTROPHE: dict[str, Any] = {"id": asked.CATASTROPHE_ID, "version": 2} | (
    asked.CATASTROPHE_OPENED
    | {
        "used": "1800.00",
        "remaining": "348200.00",
        "grants": 1,
        "is_open": True,
        "closing_reason": None,
    }
)
