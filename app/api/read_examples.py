"""The documented example of each read-side answer: lists, dashboards, the CSV export, the
commission's view, the change feed, the audit chain and the access log, as they read once the
stories of request_examples.py have gone their way (store position 35).

tests/test_examples.py checks each against the schema of the answer it illustrates.
"""

import csv
import io
from typing import Any

from app.api import answer_examples as answered
from app.api import request_examples as asked
from app.api.csv_export import COLUMNS

POSITION = 35
AUDITOR = "audit-urssaf-02"

FCI_ROW: dict[str, Any] = {
    "id": asked.FCI_DOSSIER_ID,
    "reference": "AS-2026-27C507A8",
    "region": "bretagne",
    "aids": ["FCI"],
    "activity_kind": "artisan",
    "status": "decided",
    "requested": "1800.00",
    "proposed": "1800.00",
    "granted": "1800.00",
    "filed_at": "2026-10-22T12:30:00Z",
    "reviewed_at": "2026-10-26T08:15:00Z",
    "decided_at": "2026-10-27T10:00:00Z",
    "notified_at": None,
    "reviewer": answered.CASEWORKER,
    "opinion": "favourable",
    "session_reference": None,
    "outcome": "granted_in_full",
    "delegated": True,
    "implicit_rejection_date": None,
    "version": 3,
}
ACED_ROW: dict[str, Any] = {
    "id": asked.ACED_DOSSIER_ID,
    "reference": answered.ACED_REFERENCE,
    "region": "bretagne",
    "aids": ["ACED", "AFE"],
    "activity_kind": "artisan",
    "status": "re_examination",
    "requested": "4005.50",
    "proposed": "4005.50",
    "granted": "3505.50",
    "filed_at": "2026-11-02T08:30:00Z",
    "reviewed_at": "2026-11-24T10:00:00Z",
    "decided_at": "2026-12-15T09:20:00Z",
    "notified_at": "2026-12-17T09:00:00Z",
    "reviewer": answered.CASEWORKER,
    "opinion": "favourable",
    "session_reference": answered.SESSION_REFERENCE,
    "outcome": "granted_in_part",
    "delegated": False,
    "implicit_rejection_date": "2027-03-11",
    "version": 9,
}
DOSSIER_PAGE: dict[str, Any] = {
    "position": POSITION,
    "items": [FCI_ROW, ACED_ROW],
    "next_cursor": None,
}


def csv_text(*rows: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# The two rows above, as the export writes them.
CSV = csv_text(
    COLUMNS,
    [
        asked.FCI_DOSSIER_ID,
        "AS-2026-27C507A8",
        "bretagne",
        "FCI",
        "artisan",
        "decided",
        *["1800.00"] * 3,
        *[""] * 6,
        *["1800.00"] * 3,
        *[""] * 3,
        "2026-10-22T12:30:00Z",
        "2026-10-26T08:15:00Z",
        "2026-10-27T10:00:00Z",
        "",
        answered.CASEWORKER,
        "favourable",
        "",
        "granted_in_full",
        "true",
        "",
    ],
    [
        asked.ACED_DOSSIER_ID,
        answered.ACED_REFERENCE,
        "bretagne",
        "ACED AFE",
        "artisan",
        "re_examination",
        *["4005.50", "4005.50", "3505.50"],
        *["2505.50", "2505.50", "2505.50", "1500.00", "1500.00", "1000.00"],
        *[""] * 6,
        "2026-11-02T08:30:00Z",
        "2026-11-24T10:00:00Z",
        "2026-12-15T09:20:00Z",
        "2026-12-17T09:00:00Z",
        answered.CASEWORKER,
        "favourable",
        answered.SESSION_REFERENCE,
        "granted_in_part",
        "false",
        "2027-03-11",
    ],
)


def activity(region: str, aid: str, status: str, month: str, *amounts: str) -> dict[str, Any]:
    requested, proposed, granted = amounts
    return {
        "region": region,
        "aid": aid,
        "status": status,
        "month": month,
        "dossiers": 1,
        "requested": requested,
        "proposed": proposed,
        "granted": granted,
    }


ACTIVITY: dict[str, Any] = {
    "position": POSITION,
    "by": ["region", "aid", "status", "month"],
    "rows": [
        activity("bretagne", "ACED", "re_examination", "2026-11", "2505.50", "2505.50", "2505.50"),
        activity("bretagne", "ADR", "withdrawn", "2026-11", "8500.00", "8500.00", "0.00"),
        activity("bretagne", "AFE", "re_examination", "2026-11", "1500.00", "1500.00", "1000.00"),
        activity("bretagne", "FCI", "decided", "2026-10", "1800.00", "1800.00", "1800.00"),
        activity(
            "pays-de-la-loire",
            "AFE",
            "closed_without_follow_up",
            "2026-11",
            "1200.00",
            "0.00",
            "0.00",
        ),
    ],
}
DELAYS: dict[str, Any] = {
    "position": POSITION,
    "filed_to_decided": {"count": 2, "p50": 24.0, "p90": 39.2},
    "decided_to_notified": {"count": 1, "p50": 1.99, "p90": 1.99},
    "filed_to_notified": {"count": 1, "p50": 45.02, "p90": 45.02},
}
SILENCE: dict[str, Any] = {
    "position": POSITION,
    "today": "2027-03-01",
    "within_days": 15,
    "past": [],
    "close": [
        {
            "id": asked.ACED_DOSSIER_ID,
            "reference": answered.ACED_REFERENCE,
            "region": "bretagne",
            "status": "re_examination",
            "implicit_rejection_date": "2027-03-11",
        }
    ],
}
ENVELOPES: dict[str, Any] = {
    "position": POSITION,
    "envelopes": [
        {k: v for k, v in answered.CATASTROPHE.items() if k not in ("version", "closing_reason")}
    ],
}
COMMISSION_VIEW: dict[str, Any] = {
    "position": POSITION,
    "items": [
        {
            "session_id": asked.SESSION_ID,
            "session_reference": answered.SESSION_REFERENCE,
            "region": "bretagne",
            "session_date": "2026-12-15",
            "session_status": "closed",
            "anonymous_code": answered.ACED_CODE,
            "summary": answered.SUMMARY,
            "outcome": "granted_in_part",
            "granted": "3505.50",
        }
    ],
}
CHANGES: dict[str, Any] = {
    "changes": [
        {
            "position": 34,
            "stream_id": asked.ACED_DOSSIER_ID,
            "version": 8,
            "type": "DecisionNotified",
            "occurred_at": "2026-12-17T09:00:00Z",
            "actor": answered.CASEWORKER,
            "data": {"dossier_id": asked.ACED_DOSSIER_ID} | asked.NOTIFIED,
        },
        {
            "position": 35,
            "stream_id": asked.ACED_DOSSIER_ID,
            "version": 9,
            "type": "ReExaminationRequested",
            "occurred_at": "2027-01-12T13:00:00Z",
            "actor": answered.CASEWORKER,
            "data": {"dossier_id": asked.ACED_DOSSIER_ID} | asked.RE_EXAMINATION_ASKED,
        },
    ],
    "next_after": POSITION,
    "head": POSITION,
}
VERIFICATION: dict[str, Any] = {"valid": True, "streams": 6, "events": 35, "breaches": []}
ACCESS_LOG: dict[str, Any] = {
    "entries": [
        {
            "id": 41,
            "at": "2027-01-12T13:00:00.412503Z",
            "actor": answered.CASEWORKER,
            "role": "caseworker",
            "action": "request_re_examination",
            "record_id": asked.ACED_DOSSIER_ID,
            "reason": None,
        },
        {
            "id": 42,
            "at": "2027-01-14T08:47:19.120774Z",
            "actor": AUDITOR,
            "role": "auditor",
            "action": "get_dossier_history",
            "record_id": asked.ACED_DOSSIER_ID,
            "reason": "Contrôle interne du recours gracieux",
        },
    ],
    "next_after": None,
}
