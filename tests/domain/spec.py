"""Given events, when a command, then events, a refusal or invalid fields: the dossier's specs."""

from dataclasses import dataclass

import pytest

from domain.dossier import Command, Event, decide, fold
from domain.errors import InvalidFields, RuleViolation


@dataclass(frozen=True)
class When:
    history: tuple[Event, ...]
    command: Command

    def then(self, *expected: Event) -> None:
        assert decide(self.command, fold(self.history)) == list(expected)

    def then_refused(self, rule: str) -> RuleViolation:
        with pytest.raises(RuleViolation) as refused:
            decide(self.command, fold(self.history))
        assert refused.value.rule == rule, refused.value
        return refused.value

    def then_invalid(self, *fields: str) -> InvalidFields:
        with pytest.raises(InvalidFields) as invalid:
            decide(self.command, fold(self.history))
        assert {p.field for p in invalid.value.problems} == set(fields), invalid.value
        return invalid.value


class Given(tuple[Event, ...]):
    """The dossier's history: the events already stored."""

    def when(self, command: Command) -> When:
        return When(self, command)


def given(*events: Event) -> Given:
    return Given(events)
