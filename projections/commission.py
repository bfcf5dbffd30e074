"""The commission's view: each session's agenda as the CASS sees it, anonymised, across sessions.

It stores the summary as the commission may read it: structured facts and the text written for
the commission; never the findings nor the applicant's account (a summary of old, whose text was
the findings, is stored with its text withheld)."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, select, update

from domain import cass_session as s
from domain.anonymisation import ERASED, AnonymisedSummary, for_the_commission
from domain.dossier_events import PersonalDataErased
from projections.base import Change, Row, cents, load_all, load_rows, replace_rows
from projections.tables import tables

SUMMARY = TypeAdapter(AnonymisedSummary)


@dataclass(frozen=True)
class CommissionView:
    name: str = "commission"

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        for change in changes:
            if isinstance(change.event, PersonalDataErased):
                forget(connection, generation, change.stream_id)
        mine = [change for change in changes if isinstance(change.event, s.EVENT_TYPES)]
        if not mine:
            return
        view, sessions = tables(self.name, generation)
        ids = {change.stream_id for change in mine}
        session_rows = load_rows(connection, sessions, "session_id", ids)
        items: dict[tuple[Any, str], Row] = {
            (row["session_id"], row["anonymous_code"]): row
            for row in load_all(connection, view, "session_id", ids)
        }
        for change in mine:
            apply_change(session_rows, items, change.event)
        for (session_id, _), item in items.items():
            item["session_status"] = session_rows[session_id]["status"]
        replace_rows(connection, sessions, "session_id", ids, list(session_rows.values()))
        replace_rows(connection, view, "session_id", ids, list(items.values()))


def apply_change(sessions: dict[Any, Row], items: dict[tuple[Any, str], Row], event: Any) -> None:
    match event:
        case s.SessionScheduled():
            sessions[event.session_id] = {
                "session_id": event.session_id,
                "reference": event.reference,
                "region": event.region,
                "session_date": event.session_date,
                "status": s.SessionStatus.SCHEDULED.value,
            }
        case s.SessionOpened():
            sessions[event.session_id]["status"] = s.SessionStatus.OPEN.value
        case s.SessionClosed():
            sessions[event.session_id]["status"] = s.SessionStatus.CLOSED.value
        case s.DossierPutOnAgenda():
            session = sessions[event.session_id]
            summary = (
                SUMMARY.dump_json(for_the_commission(event.summary)).decode()
                if event.summary
                else None
            )
            items[(event.session_id, event.anonymous_code)] = {
                "session_id": event.session_id,
                "anonymous_code": event.anonymous_code,
                "dossier_id": event.dossier_id,
                "session_reference": session["reference"],
                "region": session["region"],
                "session_date": session["session_date"],
                "session_status": session["status"],
                "summary": summary,
                "outcome": None,
                "granted_cents": None,
            }
        case s.DossierRemovedFromAgenda():
            del items[(event.session_id, event.anonymous_code)]
        case s.SessionDecisionRecorded():
            item = items[(event.session_id, event.anonymous_code)]
            item["outcome"] = event.outcome.value
            item["granted_cents"] = sum(cents(g.amount) for g in event.granted)


def forget(connection: Connection, generation: str, dossier_id: Any) -> None:
    """An erased dossier's situation leaves the commission's view too."""
    view, _ = tables("commission", generation)
    rows = connection.execute(select(view).where(view.c.dossier_id == dossier_id)).mappings()
    for row in list(rows):
        summary = summary_of(dict(row))
        if summary is not None:
            summary["situation"] = ERASED
            connection.execute(
                update(view)
                .where(
                    view.c.session_id == row["session_id"],
                    view.c.anonymous_code == row["anonymous_code"],
                )
                .values(summary=json.dumps(summary))
            )


def summary_of(row: Row) -> dict[str, Any] | None:
    text = row["summary"]
    return json.loads(text) if text else None
