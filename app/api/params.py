"""Parameters as the API reads them: plain text without control characters, days and moments
written out as RFC 3339 text. Checked in one place, before any route or query sees them."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Request
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from app.api.problems import ProblemError
from app.api.requests import DAY_TEXT, MOMENT_TEXT

# The headers the API reads; the others it never looks at.
READ_HEADERS = ("Authorization", "If-Match", "Idempotency-Key", "X-Access-Reason", "Content-Type")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_REASON = "contains a control character"


async def plain_parameters(request: Request) -> None:
    """Refuse a control character in any parameter (path, query, the headers read): none has
    a use for one, and the databases choke on some (PostgreSQL refuses NUL in text)."""
    given = [(f"path.{k}", str(v)) for k, v in request.path_params.items()]
    given += [(f"query.{k}", k + v) for k, v in request.query_params.multi_items()]
    given += [(f"header.{h}", request.headers.get(h, "")) for h in READ_HEADERS]
    fields = list(dict.fromkeys(field for field, value in given if CONTROL.search(value)))
    if fields:
        raise ProblemError(
            422,
            "invalid-input",
            "Invalid input",
            f"{', '.join(fields)}: {CONTROL_REASON}",
            errors=[{"field": field, "reason": CONTROL_REASON} for field in fields],
        )


def _day_text(value: Any) -> Any:
    if isinstance(value, date):  # set in Python, not read from a request
        return value
    if not (isinstance(value, str) and DAY_TEXT.fullmatch(value)):
        raise ValueError("a date written as text, YYYY-MM-DD")
    return value


def _moment_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not (isinstance(value, str) and MOMENT_TEXT.fullmatch(value)):
        raise ValueError(
            "a date-time written as RFC 3339 text with its offset, such as 2026-05-01T08:00:00Z"
        )
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of the calendar once in UTC") from None


Day = Annotated[date, BeforeValidator(_day_text)]
"""A calendar day: only text such as 2026-05-01 (a number is not a day)."""
Moment = Annotated[AwareDatetime, BeforeValidator(_moment_text), AfterValidator(_in_utc)]
"""A moment with its offset, as RFC 3339 text, read in UTC."""
