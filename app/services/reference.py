"""Reference data a deployment can change without touching code: the rulebook of the aids."""

import json
from pathlib import Path

from pydantic import TypeAdapter

from domain.rulebook import Rulebook


def load_rulebook(path: Path | None) -> Rulebook:
    """The rulebook from a JSON file (any field omitted keeps its default), or the default one."""
    if path is None:
        return Rulebook()
    return TypeAdapter(Rulebook).validate_python(json.loads(path.read_text()))
