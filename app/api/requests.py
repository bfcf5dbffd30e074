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
from pydantic import TypeAdapter

from app.api.auth import RoleCheck
from app.api.guard import guard
from app.api.problems import ProblemError
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
MAX_DEPTH = 32  # no body of this API nests a quarter as deep
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


# No text has a use for a control character but tab and line breaks in free text; PostgreSQL
# refuses NUL in text, so one stored would stop every projection that copies the text.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(value: Any, field: str, problems: list[InvalidField], depth: int = 0) -> Any:
    """The body with amounts made exact; problems collected with their field. A body nested
    deeper than any of ours is refused where it gets too deep, never walked further."""
    if isinstance(value, dict | list) and depth >= MAX_DEPTH:
        problems.append(InvalidField(field, f"nested more than {MAX_DEPTH} levels deep"))
        return value
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            path = f"{field}.{key}" if field else key
            cleaned[key] = (
                money(item, path, problems)
                if key in MONEY_FIELDS and item is not None
                else clean(item, path, problems, depth + 1)
            )
        return cleaned
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            problems.append(InvalidField(field, f"at most {MAX_ITEMS} items"))
        return [clean(item, f"{field}[{i}]", problems, depth + 1) for i, item in enumerate(value)]
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            problems.append(InvalidField(field, f"at most {MAX_TEXT} characters"))
        elif any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            problems.append(InvalidField(field, "contains a character that is not valid text"))
        elif CONTROL_IN_TEXT.search(value):
            problems.append(InvalidField(field, "contains a control character"))
    return value


DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
MOMENT_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?([Zz]|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII,
)
TEXT_FORMATS = {
    "date": (DAY_TEXT, "a date written as text, YYYY-MM-DD"),
    "date-time": (MOMENT_TEXT, "a date-time written as RFC 3339 text with its offset"),
}


def dates_as_text(
    value: Any,
    schema: dict[str, Any],
    defs: dict[str, Any],
    field: str,
    problems: list[InvalidField],
) -> None:
    """Days and moments are text in the body's schema: a JSON number (or any other text) is not
    one, though the model would read 0 as 1970-01-01."""
    if "$ref" in schema:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    form = TEXT_FORMATS.get(schema.get("format", ""))
    if form and value is not None and not (isinstance(value, str) and form[0].fullmatch(value)):
        problems.append(InvalidField(field, form[1]))
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for alternative in schema.get(key, ()):
            dates_as_text(value, alternative, defs, field, problems)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name, item in value.items():
            inner = properties.get(name, schema.get("additionalProperties"))
            if isinstance(inner, dict):
                dates_as_text(item, inner, defs, f"{field}.{name}" if field else name, problems)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            dates_as_text(item, schema["items"], defs, f"{field}[{i}]", problems)


SCALAR_WORDS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
}


def _resolved(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        found: dict[str, Any] = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return found
    return schema


def _alternatives(schema: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolved(schema, defs)
    options = schema.get("anyOf") or schema.get("oneOf")
    if not options:
        return [schema]
    return [alternative for option in options for alternative in _alternatives(option, defs)]


def _scalar_fits(value: Any, types: set[str]) -> bool:
    if isinstance(value, bool):
        return "boolean" in types
    if isinstance(value, int):
        return bool(types & {"integer", "number"})
    if isinstance(value, Decimal | float):
        return "number" in types or "string" in types  # an amount, made exact already
    if isinstance(value, str):
        return "string" in types
    return True


def json_types(
    value: Any,
    schema: dict[str, Any],
    defs: dict[str, Any],
    field: str,
    problems: list[InvalidField],
) -> None:
    """Each value of the JSON type its schema says: `true` is no household size, `"3"` no
    number of quarters, `1` no yes-or-no (the models would coerce them)."""
    options = _alternatives(schema, defs)
    if isinstance(value, dict):
        objects = [o for o in options if "properties" in o or "additionalProperties" in o]
        if objects:
            properties = objects[0].get("properties", {})
            for name, item in value.items():
                inner = properties.get(name, objects[0].get("additionalProperties"))
                if isinstance(inner, dict):
                    json_types(item, inner, defs, f"{field}.{name}" if field else name, problems)
        return
    if isinstance(value, list):
        arrays = [o for o in options if isinstance(o.get("items"), dict)]
        if arrays:
            for i, item in enumerate(value):
                json_types(item, arrays[0]["items"], defs, f"{field}[{i}]", problems)
        return
    if value is None or any("type" not in o for o in options):
        return  # no type said: the model decides
    types = {t for o in options for t in ([o["type"]] if isinstance(o["type"], str) else o["type"])}
    if not _scalar_fits(value, types):
        wanted = " or ".join(SCALAR_WORDS.get(t, t) for t in sorted(types - {"null"}))
        problems.append(InvalidField(field, f"expected {wanted}"))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_json(body: bytes, schema: dict[str, Any] | None = None) -> Any:
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
    if schema is not None:
        dates_as_text(cleaned, schema, schema.get("$defs", {}), "", problems)
        json_types(cleaned, schema, schema.get("$defs", {}), "", problems)
        problems = list({(p.field, p.reason): p for p in problems}.values())
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
        field = self.body_field
        annotation = field.field_info.annotation if field else None
        schema = TypeAdapter(annotation).json_schema() if annotation is not None else None

        checks = [d.dependency for d in self.dependencies if isinstance(d.dependency, RoleCheck)]

        async def strict(request: Request) -> Response:
            caller = await guard(request)
            for check in checks:  # a role that may not call is told so before its body is read
                check.check(caller)
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
                    request._json = read_json(body, schema)
            return await handle(request)

        return strict
