"""Why the domain refuses a command: a broken rule of the path, or an invalid field."""

from dataclasses import dataclass


@dataclass
class RuleViolation(Exception):
    """A command breaks a rule of the dossier's path (answered as a conflict)."""

    rule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.reason}"


@dataclass
class InvalidField(Exception):
    """A value given with a command is not acceptable (answered as invalid input)."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass
class InvalidFields(Exception):
    """Several invalid values, reported together so the caller can fix them at once."""

    problems: tuple[InvalidField, ...]

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)
