"""A dossier before the CASS: presented to a session of its region, decided in that session, open.

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
)
from spec import given

from domain.dossier import Status
from domain.dossier_events import Event

IN_JUNE = datetime(2024, 6, 4, 16, 0, tzinfo=UTC)
ADJOURNED = HISTORY[Status.ADJOURNED]
PRESENTED = HISTORY[Status.PRESENTED]


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


def test_an_adjourned_dossier_goes_to_a_later_session_without_a_new_review() -> None:
    given(*ADJOURNED).when(present_to_cass(session=JUNE)).then(
        presented(
            session_id=JUNE.session_id,
            session_reference="CASS-BRE-2024-06",
            session_date=date(2024, 6, 4),
        )
    )
    events = run(
        present_to_cass(session=JUNE),
        decide_dossier(at=IN_JUNE, session=JUNE_OPEN),
        history=ADJOURNED,
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
