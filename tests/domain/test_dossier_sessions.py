"""A dossier before the CASS: presented to a session of its region, decided in that session, open,
or taken off the agenda before the session opens.

The example is presented to the April session of Bretagne (CASS-BRE-2024-04) while it is
scheduled, and decided once it is open.
"""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from examples import (
    HISTORY,
    JUNE,
    JUNE_OPEN,
    SCHEDULED_SESSION,
    SESSION,
    adjourned,
    anonymise_dossier,
    anonymised,
    decide_dossier,
    decided,
    documents_requested,
    dossier_after,
    filed,
    present_to_cass,
    presented,
    review_dossier,
    reviewed,
    run,
    take_off_agenda,
    taken_off_agenda,
    withdraw_dossier,
    withdrawn,
)
from spec import given

from domain.dossier import Status
from domain.dossier_events import Event

IN_JUNE = datetime(2024, 6, 4, 16, 0, tzinfo=UTC)
ADJOURNED = HISTORY[Status.ADJOURNED]
PRESENTED = HISTORY[Status.PRESENTED]
TAKEN_OFF = (*PRESENTED, taken_off_agenda())


def test_presented_to_the_commission_of_its_region() -> None:
    normandie = replace(SCHEDULED_SESSION, region="normandie", reference="CASS-NOR-2024-04")
    refused = given(*HISTORY[Status.ANONYMISED]).when(present_to_cass(session=normandie))
    reason = refused.then_refused("presented_to_the_commission_of_its_region").reason
    assert "bretagne" in reason
    assert "normandie" in reason


def test_presented_to_a_session_after_anonymisation() -> None:
    before = replace(SCHEDULED_SESSION, session_date=date(2024, 3, 17))
    refused = given(*HISTORY[Status.ANONYMISED]).when(present_to_cass(session=before))
    assert "2024-03-17" in refused.then_refused("presented_to_a_session_after_anonymisation").reason


def test_a_dossier_is_presented_to_a_session_held_the_day_it_was_anonymised() -> None:
    same_day = replace(SCHEDULED_SESSION, session_date=date(2024, 3, 18))
    given(*HISTORY[Status.ANONYMISED]).when(present_to_cass(session=same_day)).then(
        presented(session_date=date(2024, 3, 18))
    )


def test_decided_in_the_session_it_was_presented_to() -> None:
    refused = given(*PRESENTED).when(decide_dossier(session=JUNE_OPEN))
    reason = refused.then_refused("decided_in_the_session_it_was_presented_to").reason
    assert "CASS-BRE-2024-04" in reason


def test_decided_in_an_open_session() -> None:
    not_open = decide_dossier(session=SCHEDULED_SESSION)
    given(*PRESENTED).when(not_open).then_refused("decided_in_an_open_session")


def test_the_decision_records_the_session_that_took_it() -> None:
    given(*PRESENTED).when(decide_dossier()).then(decided())
    assert (decided().session_id, decided().session_reference, decided().delegated) == (
        SESSION.session_id,
        "CASS-BRE-2024-04",
        False,
    )


@pytest.mark.parametrize(
    "history",
    [(filed(),), (filed(), documents_requested()), (filed(), reviewed())],
    ids=["filed", "awaiting-documents", "reviewed"],
)
def test_no_presentation_before_anonymisation(history: tuple[Event, ...]) -> None:
    given(*history).when(present_to_cass()).then_refused("no_presentation_before_anonymisation")


def test_no_decision_before_presentation() -> None:
    given(filed(), reviewed(), anonymised()).when(decide_dossier()).then_refused(
        "no_decision_before_presentation"
    )


@pytest.mark.parametrize(
    "before", [ADJOURNED, TAKEN_OFF], ids=["adjourned", "taken-off-its-agenda"]
)
def test_a_dossier_goes_to_a_later_session_without_a_new_review(before: tuple[Event, ...]) -> None:
    given(*before).when(present_to_cass(session=JUNE)).then(
        presented(
            session_id=JUNE.session_id,
            session_reference="CASS-BRE-2024-06",
            session_date=date(2024, 6, 4),
        )
    )
    events = run(
        present_to_cass(session=JUNE),
        decide_dossier(at=IN_JUNE, session=JUNE_OPEN),
        history=before,
    )
    decision = dossier_after(*events).decision
    assert decision is not None
    assert (decision.outcome, decision.session_reference) == (decided().outcome, "CASS-BRE-2024-06")


def test_an_adjourned_dossier_sent_to_a_later_session_is_not_decided_in_the_first_one() -> None:
    later = run(present_to_cass(session=JUNE), history=ADJOURNED)
    given(*later).when(decide_dossier()).then_refused("decided_in_the_session_it_was_presented_to")


def test_an_adjourned_dossier_reviewed_again_is_anonymised_again_before_its_next_session() -> None:
    again = (*ADJOURNED, reviewed(occurred_at=datetime(2024, 4, 10, 9, 0, tzinfo=UTC)))
    given(*again).when(present_to_cass(session=JUNE)).then_refused(
        "no_presentation_before_anonymisation"
    )
    assert dossier_after(*again).anonymisation is None  # the old summary is stale
    events = run(
        anonymise_dossier(at=datetime(2024, 4, 11, 9, 0, tzinfo=UTC)),
        present_to_cass(session=JUNE),
        history=again,
    )
    assert dossier_after(*events).status is Status.PRESENTED


def test_an_adjourned_dossier_may_go_back_to_review() -> None:
    events = run(review_dossier(at=datetime(2024, 4, 10, 9, 0, tzinfo=UTC)), history=ADJOURNED)
    assert dossier_after(*events).status is Status.REVIEWED
    assert dossier_after(*ADJOURNED).decision == adjourned()


# Taken off the agenda, before the session opens (then to a later session, as above)


def test_a_dossier_is_taken_off_an_agenda_back_to_anonymised() -> None:
    given(*PRESENTED).when(take_off_agenda()).then(taken_off_agenda())
    dossier = dossier_after(*TAKEN_OFF)
    assert (dossier.status, dossier.presentation) == (Status.ANONYMISED, None)
    assert dossier.anonymisation == anonymised()  # the summary still holds for another session


@pytest.mark.parametrize(
    "status",
    [Status.ANONYMISED, Status.ADJOURNED, Status.DECIDED, Status.RE_EXAMINATION],
    ids=str,
)
def test_only_a_dossier_on_an_agenda_is_taken_off_it(status: Status) -> None:
    given(*HISTORY[status]).when(take_off_agenda()).then_refused("decisions_are_on_agenda_dossiers")


def test_a_dossier_taken_off_an_agenda_is_not_decided_in_that_session() -> None:
    given(*TAKEN_OFF).when(decide_dossier()).then_refused("no_decision_before_presentation")


def test_a_dossier_taken_off_an_agenda_may_be_withdrawn() -> None:
    given(*TAKEN_OFF).when(withdraw_dossier()).then(withdrawn())


def test_taking_a_dossier_off_an_agenda_gives_its_reason() -> None:
    given(*PRESENTED).when(take_off_agenda(reason=" ")).then_invalid("reason")


@pytest.mark.parametrize(
    "before", [ADJOURNED, HISTORY[Status.RE_EXAMINATION]], ids=["adjourned", "re-examined"]
)
def test_a_dossier_taken_off_an_agenda_may_go_back_to_review_as_before_it(
    before: tuple[Event, ...],
) -> None:
    taken_off = run(
        present_to_cass(at=datetime(2024, 5, 20, 9, 0, tzinfo=UTC), session=JUNE),
        take_off_agenda(at=datetime(2024, 5, 21, 9, 0, tzinfo=UTC)),
        history=before,
    )
    again = review_dossier(at=datetime(2024, 5, 22, 9, 0, tzinfo=UTC))
    given(*taken_off).when(again).then(reviewed(occurred_at=again.at))
