"""What readers ask of the read tables: the work queue, the dashboards, the commission's view.

Each function reads the active generation of a projection; none reads the event store.
"""

import base64
import itertools
import json
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Select,
    and_,
    func,
    literal,
    select,
    tuple_,
)

from domain.values import Aid
from projections.base import Row
from projections.tables import tables

AMOUNTS = ("requested", "proposed", "granted")
SORTS = ("filed_at", "reference", "requested_cents", "decided_at", "position")


class BadCursor(ValueError):
    """The cursor was not given by this list, or not for this sort."""


@dataclass(frozen=True)
class DossierFilter:
    status: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    aid: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    filed_from: date | None = None
    filed_to: date | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    next_cursor: str | None


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _conditions(
    generation: str, f: DossierFilter, *, aids_joined: bool = False
) -> list[ColumnElement[bool]]:
    """The filter as SQL. With the aids' table joined (the activity dashboard), the aid filter
    keeps the rows of the aids asked; otherwise it keeps the dossiers asking for one of them."""
    summary, aids = tables("dossiers", generation)
    conditions: list[ColumnElement[bool]] = []
    for column, values in (("status", f.status), ("region", f.region), ("outcome", f.outcome)):
        if values:
            conditions.append(summary.c[column].in_(values))
    if f.aid and aids_joined:
        conditions.append(aids.c.aid.in_(f.aid))
    elif f.aid:
        conditions.append(summary.c.aids.in_(aid_lists(f.aid)))
    for column, start, end in (
        ("filed_at", f.filed_from, f.filed_to),
        ("decided_at", f.decided_from, f.decided_to),
    ):
        if start:
            conditions.append(summary.c[column] >= _day_start(start))
        if end and end < date.max:
            conditions.append(summary.c[column] < _day_start(end + timedelta(days=1)))
    if f.reference:
        conditions.append(func.upper(summary.c.reference).contains(f.reference.upper()))
    return conditions


def aid_lists(asked: Sequence[str]) -> list[str]:
    """Every value the summary's `aids` column can hold (the aids of the filing, in its order,
    each once) that names one of these: the aid filter is then a condition on the row itself,
    which its index and the planner's statistics read, instead of a join to every aid row."""
    names = [aid.value for aid in Aid]
    return [
        " ".join(order)
        for size in range(1, len(names) + 1)
        for order in itertools.permutations(names, size)
        if set(order) & set(asked)
    ]


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


MAX_CURSOR_INTEGER = 2**62


def _decode(cursor: str, sort: str, descending: bool) -> tuple[Any, UUID]:
    """The cursor's last key and id, each checked for the type its sort needs: a cursor is
    input like any other, and nothing of it reaches the database unchecked."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor))
    except (ValueError, TypeError, RecursionError) as error:
        raise BadCursor("not a cursor of this list") from error
    if not (isinstance(decoded, list) and len(decoded) == 4):
        raise BadCursor("not a cursor of this list")
    cursor_sort, cursor_desc, value, last_id = decoded
    if (cursor_sort, cursor_desc) != (sort, descending) or not isinstance(cursor_desc, bool):
        raise BadCursor("the cursor was given for another sort")
    try:
        if not isinstance(last_id, str):
            raise ValueError("not an id")
        return _key(sort, value), UUID(last_id)
    except (ValueError, TypeError, OverflowError) as error:
        raise BadCursor("not a cursor of this list") from error


def _key(sort: str, value: Any) -> Any:
    """The sort key of a cursor, as the column holds it."""
    if sort in ("filed_at", "decided_at"):
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is None or moment.tzinfo is not None:
            raise ValueError("not a time of this list")
        return moment
    if sort == "reference":
        if not isinstance(value, str) or len(value) > 40 or not value.isprintable():
            raise ValueError("not a reference")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not a number")
    if not -MAX_CURSOR_INTEGER <= value <= MAX_CURSOR_INTEGER:
        raise ValueError("out of range")
    return value


def dossier_query(generation: str, f: DossierFilter) -> Select[Any]:
    summary, _ = tables("dossiers", generation)
    return select(summary).where(and_(*_conditions(generation, f)))


def sort_of(asked: str) -> tuple[str, bool]:
    """The column and direction of a sort as the API names it ("-requested", "updated")."""
    key = asked.lstrip("-")
    return {"requested": "requested_cents", "updated": "position"}.get(key, key), asked[:1] == "-"


def page_query(
    generation: str,
    f: DossierFilter,
    *,
    sort: str = "filed_at",
    descending: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> Select[Any]:
    """The query of a page (one row more than asked, to know if another follows). The cursor
    is a row value, (key, id) > (last key, last id): the index on (key, id) starts the scan
    right after the last row, however deep the page."""
    summary, _ = tables("dossiers", generation)
    key, tie = summary.c[sort], summary.c.id
    query = dossier_query(generation, f)
    if sort == "decided_at":
        query = query.where(key.is_not(None))
    if cursor:
        value, last_id = _decode(cursor, sort, descending)
        row, last = tuple_(key, tie), tuple_(literal(value, key.type), literal(last_id, tie.type))
        query = query.where(row < last if descending else row > last)
    order = (key.desc(), tie.desc()) if descending else (key.asc(), tie.asc())
    return query.order_by(*order).limit(limit + 1)


def list_dossiers(
    connection: Connection,
    generation: str,
    f: DossierFilter,
    *,
    sort: str = "filed_at",
    descending: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """A page of the work queue, in a stable order (sort key, then id): rows filed meanwhile
    never shift what the following pages hold."""
    query = page_query(generation, f, sort=sort, descending=descending, cursor=cursor, limit=limit)
    rows = [dict(r) for r in connection.execute(query).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([sort, descending, last[sort], str(last["id"])])
    return Page(rows, next_cursor)


def export_dossiers(connection: Connection, generation: str, f: DossierFilter) -> Iterator[Row]:
    """Every row of the filter, in filing order, read in chunks, with each aid's requested,
    proposed and granted cents beside the totals (`aced_requested_cents`, ...; None when the
    aid was not requested)."""
    summary, aids = tables("dossiers", generation)
    query = dossier_query(generation, f)
    for aid in Aid:
        name = aid.value.lower()
        one = aids.alias(f"aid_{name}")
        query = query.outerjoin(
            one, and_(one.c.dossier_id == summary.c.id, one.c.aid == aid.value)
        ).add_columns(
            *(one.c[f"{amount}_cents"].label(f"{name}_{amount}_cents") for amount in AMOUNTS)
        )
    query = query.order_by(summary.c.filed_at, summary.c.id)
    for row in connection.execution_options(yield_per=500).execute(query).mappings():
        yield dict(row)


GROUPS = ("region", "aid", "status", "month")


def activity(
    connection: Connection, generation: str, by: Sequence[str], f: DossierFilter
) -> list[Row]:
    """Counts and amounts by the groups asked (region, aid, status, filing month)."""
    summary, aids = tables("dossiers", generation)
    columns = {
        "region": summary.c.region,
        "aid": aids.c.aid,
        "status": summary.c.status,
        "month": summary.c.filed_month,
    }
    keys = [columns[g].label(g) for g in by]
    # by aid, a group holds each dossier once (one aid row per dossier and aid): a plain count,
    # which the database aggregates by hashing instead of sorting every row for a distinct one
    dossiers = func.count() if "aid" in by else func.count(func.distinct(summary.c.id))
    query = (
        select(
            *keys,
            dossiers.label("dossiers"),
            func.coalesce(func.sum(aids.c.requested_cents), 0).label("requested_cents"),
            func.coalesce(func.sum(aids.c.proposed_cents), 0).label("proposed_cents"),
            func.coalesce(func.sum(aids.c.granted_cents), 0).label("granted_cents"),
        )
        .select_from(summary.join(aids, aids.c.dossier_id == summary.c.id))
        .where(and_(*_conditions(generation, f, aids_joined=True)))
        .group_by(*keys)
        .order_by(*keys)
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def _percentiles(days: list[float]) -> dict[str, Any]:
    if not days:
        return {"count": 0, "p50": None, "p90": None}
    if len(days) == 1:
        return {"count": 1, "p50": days[0], "p90": days[0]}
    cuts = statistics.quantiles(days, n=10, method="inclusive")
    return {"count": len(days), "p50": round(cuts[4], 1), "p90": round(cuts[8], 1)}


def delays(connection: Connection, generation: str, f: DossierFilter) -> dict[str, Any]:
    """Days from filing to decision and from decision to notification: p50 and p90."""
    if connection.dialect.name == "postgresql":
        return delays_in_the_database(connection, generation, f)
    return delays_in_python(connection, generation, f)


def delays_in_python(connection: Connection, generation: str, f: DossierFilter) -> dict[str, Any]:
    """The delays computed here from every decided row (SQLite has no percentile)."""
    summary, _ = tables("dossiers", generation)
    query = select(summary.c.filed_at, summary.c.decided_at, summary.c.notified_at).where(
        and_(*_conditions(generation, f)), summary.c.decided_at.is_not(None)
    )
    to_decision, to_notification, overall = [], [], []
    day = 86400.0
    for filed, decided, notified in connection.execute(query):
        to_decision.append((decided - filed).total_seconds() / day)
        if notified is not None:
            to_notification.append((notified - decided).total_seconds() / day)
            overall.append((notified - filed).total_seconds() / day)
    return {
        "filed_to_decided": _percentiles(to_decision),
        "decided_to_notified": _percentiles(to_notification),
        "filed_to_notified": _percentiles(overall),
    }


def delays_in_the_database(
    connection: Connection, generation: str, f: DossierFilter
) -> dict[str, Any]:
    """The same figures computed by PostgreSQL (percentile_cont interpolates as the inclusive
    quantiles do): a national year's decisions are not sent over to be sorted in Python."""
    summary, _ = tables("dossiers", generation)
    filed, decided, notified = summary.c.filed_at, summary.c.decided_at, summary.c.notified_at
    spans = {
        "filed_to_decided": (filed, decided),
        "decided_to_notified": (decided, notified),
        "filed_to_notified": (filed, notified),
    }
    columns = []
    for name, (start, end) in spans.items():
        days = (func.extract("epoch", end - start) / 86400).cast(Float)
        columns += [
            func.count(days).label(f"{name}_count"),
            func.percentile_cont(0.5).within_group(days).label(f"{name}_p50"),
            func.percentile_cont(0.9).within_group(days).label(f"{name}_p90"),
        ]
    query = select(*columns).where(and_(*_conditions(generation, f)), decided.is_not(None))
    row = connection.execute(query).mappings().one()
    figures = {}
    for name in spans:
        count, p50, p90 = (row[f"{name}_{k}"] for k in ("count", "p50", "p90"))
        if count > 1:
            p50, p90 = round(p50, 1), round(p90, 1)
        figures[name] = {"count": count, "p50": p50, "p90": p90}
    return figures


def silence(
    connection: Connection, generation: str, today: date, within_days: int, f: DossierFilter
) -> dict[str, Any]:
    """Dossiers whose silence already counts as a rejection, and those close to it."""
    summary, _ = tables("dossiers", generation)
    deadline = summary.c.implicit_rejection_date
    soon = today + timedelta(days=within_days)
    query = (
        select(summary.c.id, summary.c.reference, summary.c.region, summary.c.status, deadline)
        .where(and_(*_conditions(generation, f)), deadline.is_not(None), deadline <= soon)
        .order_by(deadline, summary.c.reference)
    )
    rows = [dict(r) for r in connection.execute(query).mappings()]
    past = [r for r in rows if r["implicit_rejection_date"] < today]
    close = [r for r in rows if r["implicit_rejection_date"] >= today]
    return {"past": past, "close": close}


def envelopes(connection: Connection, generation: str) -> list[Row]:
    [table] = tables("envelopes", generation)
    query = select(table).order_by(table.c.start, table.c.name)
    return [dict(r) for r in connection.execute(query).mappings()]


def commission_view(
    connection: Connection, generation: str, region: Sequence[str], session_status: Sequence[str]
) -> list[Row]:
    view, _ = tables("commission", generation)
    conditions = []
    if region:
        conditions.append(view.c.region.in_(region))
    if session_status:
        conditions.append(view.c.session_status.in_(session_status))
    query = (
        select(view)
        .where(and_(*conditions))
        .order_by(view.c.session_date.desc(), view.c.session_reference, view.c.anonymous_code)
    )
    return [dict(r) for r in connection.execute(query).mappings()]
