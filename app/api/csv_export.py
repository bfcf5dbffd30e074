"""The dossiers as a CSV an analyst opens in a spreadsheet: safe to open, one column per fact.

Every cell is quoted; a text cell that a spreadsheet would evaluate as a formula (it starts with
= + - @, a tab or a carriage return: OWASP's CSV injection rule) is prefixed with a single
quote, so it reads as the text it is. Amounts are euros with cents, booleans `true`/`false`,
dates ISO 8601, date-times ISO 8601 in UTC with `Z`; an empty cell is no value.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from app.services.identifiers import FORMULA_STARTS
from domain.values import Aid

AMOUNTS = ("requested", "proposed", "granted")
AID_COLUMNS = [f"{aid.value.lower()}_{amount}" for aid in Aid for amount in AMOUNTS]
COLUMNS = [
    "id",
    "reference",
    "region",
    "aids",
    "activity_kind",
    "status",
    "requested",
    "proposed",
    "granted",
    *AID_COLUMNS,
    "filed_at",
    "reviewed_at",
    "decided_at",
    "notified_at",
    "reviewer",
    "opinion",
    "session_reference",
    "outcome",
    "delegated",
    "implicit_rejection_date",
]
CHUNK = 65536


def neutralised(text: str) -> str:
    """The text as a spreadsheet shows it and never runs it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    match value:
        case None:
            return ""
        case bool():
            return "true" if value else "false"
        case datetime():
            moment = value if value.tzinfo else value.replace(tzinfo=UTC)  # stored in UTC
            return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
        case date():
            return value.isoformat()
        case int():  # whole cents
            return str((Decimal(value) / 100).quantize(Decimal("0.01")))
        case _:
            return neutralised(str(value))


def csv_row(row: dict[str, Any]) -> list[str]:
    """A row of the dossier summary (with its per-aid cents) as the export's cells."""
    values = {name: row.get(name) for name in COLUMNS}
    for name in ("requested", "proposed", "granted", *AID_COLUMNS):
        values[name] = row.get(f"{name}_cents")
    return [cell(values[name]) for name in COLUMNS]


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The header, then the rows, in chunks of about 64 KiB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(csv_row(row))
        if buffer.tell() > CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
