"""Reading request bodies strictly, before any model sees them.

JSON numbers are read as Decimal, never float, and amounts of money must be euros with at most
cents; text must be valid Unicode of a sane length; lists are bounded. Each problem names its
field, so a client can fix every one at once. Nothing that fails here reaches the store.
"""

import json
import re
from collections.abc import Callable, Coroutine
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.api.guard import guard
from app.problems import ProblemError
from domain.errors import InvalidField, InvalidFields

MONEY_FIELDS = frozenset(
    {
        "amount",
        "annual_income",
        "monthly_charges",
        "contributions_due",
        "contributions_paid",
        "envelope",
    }
)
MAX_AMOUNT = Decimal("999999999.99")
MONEY_TEXT = re.compile(r"(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?", re.ASCII)
MONEY_SCHEMA = {
    "type": "string",
    "pattern": f"^{MONEY_TEXT.pattern}$",
    "description": "Euros with at most cents, as a string (a JSON number is also read exactly)",
    "examples": ["1320.50"],
}
MAX_TEXT = 10_000
MAX_ITEMS = 200
CENT = Decimal("0.01")


def money(value: Any, field: str, problems: list[InvalidField]) -> Any:
    """The amount as Decimal with two decimals, or a problem naming the field."""
    amount: Decimal | None = None
    if (isinstance(value, str) and MONEY_TEXT.fullmatch(value)) or (
        isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    ):
        amount = Decimal(value)
    if amount is None or not amount.is_finite():
        problems.append(InvalidField(field, 'an amount of euros such as "1320.50"'))
        return value
    if amount < 0:
        problems.append(InvalidField(field, "an amount cannot be negative"))
    elif amount > MAX_AMOUNT:
        problems.append(InvalidField(field, f"an amount is at most {MAX_AMOUNT} euros"))
    elif amount != amount.quantize(CENT):
        problems.append(InvalidField(field, "an amount has at most two decimals (cents)"))
    else:
        return amount.quantize(CENT)
    return value


def clean(value: Any, field: str, problems: list[InvalidField]) -> Any:
    """The body with amounts made exact; problems collected with their field."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            path = f"{field}.{key}" if field else key
            cleaned[key] = (
                money(item, path, problems)
                if key in MONEY_FIELDS and item is not None
                else clean(item, path, problems)
            )
        return cleaned
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            problems.append(InvalidField(field, f"at most {MAX_ITEMS} items"))
        return [clean(item, f"{field}[{i}]", problems) for i, item in enumerate(value)]
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            problems.append(InvalidField(field, f"at most {MAX_TEXT} characters"))
        elif any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            problems.append(InvalidField(field, "contains a character that is not valid text"))
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_json(body: bytes) -> Any:
    try:
        data = json.loads(body, parse_float=Decimal, parse_constant=_no_constants)
    except (ValueError, RecursionError, InvalidOperation) as error:
        raise ProblemError(
            422,
            "invalid-input",
            "Invalid input",
            f"The body is not valid JSON: {error}",
            errors=[{"field": "body", "reason": f"not valid JSON: {error}"}],
        ) from None
    problems: list[InvalidField] = []
    cleaned = clean(data, "", problems)
    if problems:
        raise InvalidFields(tuple(problems))
    return cleaned


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def too_large(limit: int) -> ProblemError:
    return ProblemError(
        413,
        "content-too-large",
        "Content too large",
        f"The body is larger than {limit} bytes.",
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 once it is known to be over the limit: by its declared
    Content-Length before a byte is read, else while it arrives, never holding more."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # FastAPI reads it from here, not from the spent stream
    return body


class StrictJSONRoute(APIRoute):
    """A guarded route: the caller is authenticated and counted (`guard`) before anything of
    the body is read; the body, bounded in size, is read by `read_json` before FastAPI
    validates it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strict(request: Request) -> Response:
            await guard(request)
            if request.method in ("POST", "PUT", "PATCH"):
                body = await read_body(request, request.app.state.settings.max_body_bytes)
                if body:
                    if not is_json(request.headers.get("content-type", "application/json")):
                        raise ProblemError(
                            415,
                            "unsupported-media-type",
                            "Unsupported media type",
                            "Send the body as application/json.",
                        )
                    request._json = read_json(body)
            return await handle(request)

        return strict
