"""The dossier summary: the back office's work queue, one row per dossier and one per aid.

It keeps no personal data: reference, region, aids, status, amounts, dates, reviewer, session,
decision, and the day silence turns into an implicit rejection.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from domain import dossier_events as e
from domain.dossier import SILENT, Status
from domain.rulebook import Rulebook, add_months
from domain.values import AidAmount, Outcome
from projections.base import Change, Row, cents, load_all, load_rows, replace_rows, utc
from projections.tables import tables


def _total(amounts: Sequence[AidAmount]) -> int:
    return sum(cents(a.amount) for a in amounts)


@dataclass(frozen=True)
class DossierSummaries:
    rulebook: Rulebook
    name: str = "dossiers"

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        mine = [c for c in changes if isinstance(c.event, e.EVENT_TYPES)]
        if not mine:
            return
        summary, aids = tables(self.name, generation)
        ids = {c.stream_id for c in mine}
        rows = load_rows(connection, summary, "id", ids)
        aid_rows: dict[Any, dict[str, Row]] = {}
        for aid in load_all(connection, aids, "dossier_id", ids):
            aid_rows.setdefault(aid["dossier_id"], {})[aid["aid"]] = aid
        for change in mine:
            row = self.evolve(rows.get(change.stream_id), change)
            rows[change.stream_id] = row
            aid_rows[change.stream_id] = evolve_aids(aid_rows.get(change.stream_id, {}), change)
        replace_rows(connection, summary, "id", ids, list(rows.values()))
        all_aids = [a for by_aid in aid_rows.values() for a in by_aid.values()]
        replace_rows(connection, aids, "dossier_id", ids, all_aids)

    def evolve(self, row: Row | None, change: Change) -> Row:
        event = change.event
        if isinstance(event, e.DossierFiled):
            row = {
                "id": event.dossier_id,
                "reference": event.reference,
                "region": event.region,
                "aids": " ".join(r.aid.value for r in event.aids),
                "activity_kind": event.activity.kind.value,
                "status": Status.FILED.value,
                "status_before_documents": None,
                "status_before_presentation": None,
                "outstanding_documents": "",
                "requested_cents": sum(cents(r.total()) for r in event.aids),
                "proposed_cents": None,
                "granted_cents": None,
                "filed_at": utc(event.occurred_at),
                "filed_month": event.occurred_at.strftime("%Y-%m"),
                "reviewed_at": None,
                "decided_at": None,
                "notified_at": None,
                "reviewer": None,
                "opinion": None,
                "session_reference": None,
                "outcome": None,
                "delegated": False,
                "complete_since": event.occurred_at.date(),
                "anonymous_code": None,
            }
        else:
            assert row is not None, "a dossier's first event is DossierFiled"
            row = dict(row) | _changes(row, event)
        row["version"], row["position"] = change.version, change.position
        silent = row["status"] in {s.value for s in SILENT}
        months = self.rulebook.implicit_rejection_months
        row["implicit_rejection_date"] = (
            None if silent else add_months(row["complete_since"], months)
        )
        return row


def _changes(row: Row, event: Any) -> Row:
    """What an event changes in a summary row."""
    match event:
        case e.DocumentsRequested():
            outstanding = list(
                dict.fromkeys(
                    row["outstanding_documents"].split() + [d.value for d in event.documents]
                )
            )
            return {
                "status": Status.AWAITING_DOCUMENTS.value,
                "status_before_documents": row["status_before_documents"] or row["status"],
                "outstanding_documents": " ".join(outstanding),
            }
        case e.DocumentsReceived():
            received = {d.value for d in event.documents}
            outstanding = [d for d in row["outstanding_documents"].split() if d not in received]
            if outstanding:
                return {"outstanding_documents": " ".join(outstanding)}
            return {
                "status": row["status_before_documents"] or Status.FILED.value,
                "status_before_documents": None,
                "status_before_presentation": None,
                "outstanding_documents": "",
                "complete_since": event.occurred_at.date(),
            }
        case e.DossierReviewed():
            return {
                "status": Status.REVIEWED.value,
                "reviewed_at": utc(event.occurred_at),
                "reviewer": event.actor,
                "proposed_cents": _total(event.proposal),
                "opinion": event.opinion.value,
            }
        case e.DossierAnonymised():
            code = event.summary.anonymous_code
            return {"status": Status.ANONYMISED.value, "anonymous_code": code}
        case e.DossierPresentedToCass():
            return {
                "status": Status.PRESENTED.value,
                "status_before_presentation": row["status"],
                "session_reference": event.session_reference,
            }
        case e.DossierTakenOffAgenda():
            return {
                "status": row["status_before_presentation"] or Status.ANONYMISED.value,
                "status_before_presentation": None,
                "session_reference": None,
            }
        case e.DossierDecided():
            if event.outcome is Outcome.ADJOURNED:
                return {"status": Status.ADJOURNED.value, "outcome": event.outcome.value}
            return {
                "status": Status.DECIDED.value,
                "outcome": event.outcome.value,
                "granted_cents": _total(event.granted),
                "decided_at": utc(event.occurred_at),
                "delegated": event.delegated,
                "session_reference": event.session_reference or row["session_reference"],
            }
        case e.DecisionNotified():
            return {"status": Status.NOTIFIED.value, "notified_at": utc(event.occurred_at)}
        case e.DossierWithdrawn():
            return {"status": Status.WITHDRAWN.value}
        case e.DossierClosedWithoutFollowUp():
            return {"status": Status.CLOSED_WITHOUT_FOLLOW_UP.value}
        case e.PersonalDataErased():
            return {}  # the summary never held any
        case e.ReExaminationRequested():
            return {"status": Status.RE_EXAMINATION.value, "complete_since": event.received_on}
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover


def evolve_aids(by_aid: dict[str, Row], change: Change) -> dict[str, Row]:
    """One row per aid requested: requested, proposed and granted amounts."""
    event = change.event
    match event:
        case e.DossierFiled():
            return {
                r.aid.value: {
                    "dossier_id": event.dossier_id,
                    "aid": r.aid.value,
                    "requested_cents": cents(r.total()),
                    "proposed_cents": None,
                    "granted_cents": None,
                }
                for r in event.aids
            }
        case e.DossierReviewed():
            proposed = {a.aid.value: cents(a.amount) for a in event.proposal}
            return {k: v | {"proposed_cents": proposed.get(k, 0)} for k, v in by_aid.items()}
        case e.DossierDecided() if event.outcome is not Outcome.ADJOURNED:
            granted = {a.aid.value: cents(a.amount) for a in event.granted}
            return {k: v | {"granted_cents": granted.get(k, 0)} for k, v in by_aid.items()}
    return by_aid
