"""What every answer shares: each moment in it is in UTC, written RFC 3339 with `Z`."""

import copy
import dataclasses
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def in_utc(value: Any) -> Any:
    """The value with every moment in it moved to UTC (a moment without offset already is:
    the read tables and the access log keep UTC)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, dict):
        return {key: in_utc(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(in_utc(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        moved = copy.copy(value)  # not replace(): a domain value is not checked again
        for field in dataclasses.fields(value):
            object.__setattr__(moved, field.name, in_utc(getattr(value, field.name)))
        return moved
    return value


class Out(BaseModel):
    """An answer of the API."""

    @model_validator(mode="before")
    @classmethod
    def moments_in_utc(cls, data: Any) -> Any:
        return in_utc(data)


def with_example(example: dict[str, Any]) -> ConfigDict:
    """An answer's configuration: its documented example (read_examples, answer_examples)."""
    return ConfigDict(json_schema_extra={"examples": [example]})
