"""A catastrophe event: opened for regions and dates with a fund envelope, drawn on by FCI
decisions, never overspent nor above the FCI ceiling for one worker, closed."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from examples import DOSSIER_ID, RULEBOOK, SIRET, finding
from fci_and_adr import CATASTROPHE_ID, fci_filing, fci_review
from spec import CATASTROPHE

from domain.catastrophe import (
    Catastrophe,
    CatastropheClosed,
    CatastropheOpened,
    CloseCatastrophe,
    Command,
    DrawOnEnvelope,
    EnvelopeDrawn,
    OpenCatastrophe,
)
from domain.eligibility import CatastropheFacts, Result
from domain.values import Aid

NATIONAL = "cpsti.national"
OPENED_AT = datetime(2024, 2, 28, 9, 0, tzinfo=UTC)
DRAWN_AT = datetime(2024, 3, 6, 11, 0, tzinfo=UTC)
CLOSED_AT = datetime(2024, 6, 30, 18, 0, tzinfo=UTC)
OTHER_DOSSIER = UUID("7a2d3e4f-6b5c-4d9e-8f10-2b3c4d5e6f70")
THIRD_DOSSIER = UUID("8b3e4f50-7c6d-4eaf-9021-3c4d5e6f7081")
OTHER_WORKER = "55210055400013"
SECOND_ESTABLISHMENT = "73282932000082"  # the example worker's SIREN, another establishment


def open_catastrophe(**changes: Any) -> OpenCatastrophe:
    command = OpenCatastrophe(
        catastrophe_id=CATASTROPHE_ID,
        at=OPENED_AT,
        actor=NATIONAL,
        name="Tempête de fin février 2024",
        regions=("bretagne", "pays-de-la-loire"),
        start=date(2024, 2, 25),
        end=date(2024, 3, 2),
        envelope=Decimal("600000.00"),
    )
    return replace(command, **changes)


def opened(**changes: Any) -> CatastropheOpened:
    c = open_catastrophe(**changes)
    return CatastropheOpened(
        c.catastrophe_id, c.at, c.actor, c.name, c.regions, c.start, c.end, c.envelope
    )


def draw(
    amount: str = "1500.00", dossier_id: UUID = DOSSIER_ID, worker: str = SIRET[:9]
) -> DrawOnEnvelope:
    """An FCI grant of the worker `worker`, within the rulebook's FCI ceiling (2 000 €)."""
    return DrawOnEnvelope(
        CATASTROPHE_ID,
        DRAWN_AT,
        "agent.urssaf.bretagne",
        dossier_id,
        Decimal(amount),
        worker,
        RULEBOOK.fci_ceiling,
    )


def drawn(
    amount: str = "1500.00", dossier_id: UUID = DOSSIER_ID, worker: str = SIRET[:9]
) -> EnvelopeDrawn:
    return EnvelopeDrawn(
        CATASTROPHE_ID, DRAWN_AT, "agent.urssaf.bretagne", dossier_id, Decimal(amount), worker
    )


def close(reason: str = "every request of the storm is decided") -> CloseCatastrophe:
    return CloseCatastrophe(CATASTROPHE_ID, CLOSED_AT, NATIONAL, reason)


def closed() -> CatastropheClosed:
    return CatastropheClosed(CATASTROPHE_ID, CLOSED_AT, NATIONAL, close().reason)


def catastrophe_after(*events: Any) -> Catastrophe:
    state = CATASTROPHE.given(*events).state()
    assert state is not None
    return state


SMALL = opened(envelope=Decimal("2500.00"))
AFTER_OPENING: dict[str, Command] = {"draw": draw(), "close": close()}


# Opening


def test_a_catastrophe_event_is_opened_for_regions_and_dates_with_an_envelope() -> None:
    CATASTROPHE.given().when(open_catastrophe()).then(opened())


def test_a_catastrophe_event_is_opened_once() -> None:
    CATASTROPHE.given(opened()).when(open_catastrophe()).then_refused("catastrophe_is_opened_once")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"regions": ()}, "regions"),
        ({"regions": ("bretagne", "pays-de-la-loire", "bretagne")}, "regions"),
        ({"end": date(2024, 2, 24)}, "end"),
        ({"envelope": Decimal("0.00")}, "envelope"),
        ({"envelope": Decimal("-1.00")}, "envelope"),
        ({"envelope": Decimal("1000.001")}, "envelope"),
    ],
    ids=[
        "no-name",
        "no-region",
        "a-region-twice",
        "ends-before-it-starts",
        "empty",
        "negative",
        "three-decimals",
    ],
)
def test_a_catastrophe_event_is_opened_with_sound_values(
    changes: dict[str, Any], field: str
) -> None:
    CATASTROPHE.given().when(open_catastrophe(**changes)).then_invalid(field)


def test_a_catastrophe_event_may_last_a_single_day() -> None:
    one_day = {"start": date(2024, 3, 1), "end": date(2024, 3, 1)}
    CATASTROPHE.given().when(open_catastrophe(**one_day)).then(opened(**one_day))


@pytest.mark.parametrize("command", AFTER_OPENING)
def test_nothing_happens_to_a_catastrophe_event_not_opened(command: str) -> None:
    CATASTROPHE.given().when(AFTER_OPENING[command]).then_refused(
        "catastrophe_must_be_opened_first"
    )


# The envelope


def test_an_fci_decision_draws_on_the_envelope() -> None:
    CATASTROPHE.given(opened()).when(draw()).then(drawn())
    assert catastrophe_after(opened(), drawn()).remaining == Decimal("598500.00")


def test_fci_within_remaining_envelope() -> None:
    history = (SMALL, drawn("1500.00"))  # 1 000 € remain
    refused = CATASTROPHE.given(*history).when(draw("1000.01", OTHER_DOSSIER, OTHER_WORKER))
    assert "1000.00 €" in refused.then_refused("fci_within_remaining_envelope").reason
    CATASTROPHE.given(*history).when(draw("1000.00", OTHER_DOSSIER, OTHER_WORKER)).then(
        drawn("1000.00", OTHER_DOSSIER, OTHER_WORKER)
    )


def test_two_decisions_cannot_overspend_the_envelope() -> None:
    two = draw("1500.00", OTHER_DOSSIER, OTHER_WORKER)
    CATASTROPHE.given(SMALL, drawn("1500.00")).when(two).then_refused(
        "fci_within_remaining_envelope"
    )


def test_the_fci_ceiling_is_per_worker_and_event() -> None:
    history = (opened(), drawn("1500.00"))  # the worker has 500 € left of the 2 000 € ceiling
    refused = CATASTROPHE.given(*history).when(draw("500.01", OTHER_DOSSIER))
    reason = refused.then_refused("fci_within_ceiling_per_worker_and_event").reason
    assert reason == (
        "this worker was already granted 1500.00 € for this event: 2000.00 € at most in all"
    )
    CATASTROPHE.given(*history).when(draw("500.00", OTHER_DOSSIER)).then(
        drawn("500.00", OTHER_DOSSIER)
    )
    another_worker = draw("2000.00", OTHER_DOSSIER, OTHER_WORKER)
    CATASTROPHE.given(*history).when(another_worker).then(
        drawn("2000.00", OTHER_DOSSIER, OTHER_WORKER)
    )


def test_the_fci_ceiling_adds_up_every_draw_of_the_worker() -> None:
    history = (opened(), drawn("1200.00"), drawn("500.00", OTHER_DOSSIER))  # 1 700 € drawn
    CATASTROPHE.given(*history).when(draw("300.01", THIRD_DOSSIER)).then_refused(
        "fci_within_ceiling_per_worker_and_event"
    )


def test_the_fci_ceiling_counts_every_establishment_of_the_worker() -> None:
    second = draw("1000.00", OTHER_DOSSIER, SECOND_ESTABLISHMENT[:9])  # the worker is the SIREN
    CATASTROPHE.given(opened(), drawn("1500.00")).when(second).then_refused(
        "fci_within_ceiling_per_worker_and_event"
    )


def test_the_draw_records_the_worker_it_was_granted_to() -> None:
    after = catastrophe_after(opened(), drawn(), drawn("400.00", OTHER_DOSSIER, OTHER_WORKER))
    assert [(d.dossier_id, d.worker) for d in after.draws] == [
        (DOSSIER_ID, SIRET[:9]),
        (OTHER_DOSSIER, OTHER_WORKER),
    ]


def test_a_dossier_draws_once() -> None:
    CATASTROPHE.given(opened(), drawn()).when(draw("200.00")).then_refused("a_dossier_draws_once")


@pytest.mark.parametrize("amount", ["-500.00", "0.00", "10.001"], ids=["negative", "zero", "mills"])
def test_a_draw_is_an_amount_of_euros_above_zero(amount: str) -> None:
    CATASTROPHE.given(opened()).when(draw(amount)).then_invalid("amount")


# Closing, and what the rules read of the event


def test_a_catastrophe_event_is_closed_with_a_reason() -> None:
    CATASTROPHE.given(opened(), drawn()).when(close()).then(closed())
    CATASTROPHE.given(opened()).when(close(" ")).then_invalid("reason")


@pytest.mark.parametrize("command", AFTER_OPENING)
def test_nothing_after_closing(command: str) -> None:
    CATASTROPHE.given(opened(), closed()).when(AFTER_OPENING[command]).then_refused(
        "nothing_after_closing"
    )


def test_the_facts_tell_the_rules_what_remains_and_whether_the_event_is_open() -> None:
    open_facts = catastrophe_after(opened(), drawn(), drawn("400.00", OTHER_DOSSIER)).facts()
    assert open_facts == CatastropheFacts(
        catastrophe_id=CATASTROPHE_ID,
        regions=("bretagne", "pays-de-la-loire"),
        start=date(2024, 2, 25),
        end=date(2024, 3, 2),
        is_open=True,
        remaining=Decimal("598100.00"),
    )
    closed_facts = catastrophe_after(opened(), drawn(), closed()).facts()
    assert (closed_facts.is_open, closed_facts.remaining) == (False, Decimal("598500.00"))


def test_an_fci_filed_after_its_event_closed_fails_the_open_catastrophe_rule() -> None:
    facts = catastrophe_after(opened(), closed()).facts()
    rule = "fci_requires_an_open_catastrophe_covering_region_and_date"
    found = finding(Aid.FCI, rule, fci_filing(), fci_review(catastrophe=facts))
    assert found.result is Result.FAILED, found
    assert "closed" in found.reason
