"""Given events, when a command, then events, a refusal or invalid fields: specs for any decider."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import pytest

from domain import adr_grant, cass_session, catastrophe, dossier, dossier_events
from domain.errors import InvalidFields, RuleViolation

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")


@dataclass(frozen=True)
class Decider(Generic[C, S, E]):
    """The three parts of a decider module, so one spec helper serves them all."""

    decide: Callable[[C, S], list[E]]
    evolve: Callable[[S, E], S]
    initial_state: S

    def given(self, *events: E) -> "Given[C, S, E]":
        return Given(self, events)


@dataclass(frozen=True)
class Given(Generic[C, S, E]):
    decider: Decider[C, S, E]
    history: tuple[E, ...]

    def state(self) -> S:
        state = self.decider.initial_state
        for event in self.history:
            state = self.decider.evolve(state, event)
        return state

    def when(self, command: C) -> "When[C, S, E]":
        return When(self, command)


@dataclass(frozen=True)
class When(Generic[C, S, E]):
    given: Given[C, S, E]
    command: C

    def then(self, *expected: E) -> None:
        assert self.given.decider.decide(self.command, self.given.state()) == list(expected)

    def then_refused(self, rule: str) -> RuleViolation:
        with pytest.raises(RuleViolation) as refused:
            self.given.decider.decide(self.command, self.given.state())
        assert refused.value.rule == rule, refused.value
        return refused.value

    def then_invalid(self, *fields: str) -> InvalidFields:
        with pytest.raises(InvalidFields) as invalid:
            self.given.decider.decide(self.command, self.given.state())
        assert {p.field for p in invalid.value.problems} == set(fields), invalid.value
        return invalid.value


DOSSIER: Decider[dossier.Command, dossier.State, dossier_events.Event] = Decider(
    dossier.decide, dossier.evolve, dossier.initial_state
)
SESSION: Decider[cass_session.Command, cass_session.State, cass_session.Event] = Decider(
    cass_session.decide, cass_session.evolve, None
)
CATASTROPHE: Decider[catastrophe.Command, catastrophe.State, catastrophe.Event] = Decider(
    catastrophe.decide, catastrophe.evolve, None
)
ADR_GRANT: Decider[adr_grant.Command, adr_grant.State, adr_grant.Event] = Decider(
    adr_grant.decide, adr_grant.evolve, None
)
given = DOSSIER.given
