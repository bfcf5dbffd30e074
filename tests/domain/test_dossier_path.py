"""The path a dossier may take: each allowed step, from each status it is allowed in."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from examples import (
    HISTORY,
    SESSION,
    adjourned,
    anonymise_dossier,
    anonymised,
    decide_dossier,
    decided,
    documents_received,
    documents_requested,
    dossier_after,
    file_dossier,
    filed,
    notified,
    notify_decision,
    present_to_cass,
    presented,
    receive_documents,
    request_documents,
    review_dossier,
    reviewed,
    withdraw_dossier,
    withdrawn,
)
from spec import given

from domain.dossier import Command, Status, decide, fold
from domain.values import Aid, AidAmount, DocumentKind, Outcome

MAY_SESSION_ID = UUID("5e55a0b1-2c3d-4e5f-8a9b-0c1d2e3f4a05")
TAX_NOTICE, BANK_DETAILS = DocumentKind.TAX_NOTICE, DocumentKind.BANK_DETAILS
PROOF = DocumentKind.PROOF_OF_DIFFICULTY


def test_each_history_of_the_examples_leaves_the_dossier_in_its_status() -> None:
    assert {status: dossier_after(*events).status for status, events in HISTORY.items()} == {
        status: status for status in Status
    }


def test_a_request_is_filed_as_a_new_dossier() -> None:
    given().when(file_dossier()).then(filed())


def test_a_filed_dossier_is_filed_with_its_documents_received_and_nothing_else() -> None:
    dossier = dossier_after(filed())
    assert dossier.status is Status.FILED
    assert dossier.documents_received == (DocumentKind.APPLICATION_FORM,)
    assert dossier.outstanding_documents == ()
    assert dossier.review is None
    assert dossier.decision is None


# Documents


def test_documents_are_requested_for_a_filed_dossier_which_then_waits_for_them() -> None:
    given(filed()).when(request_documents()).then(documents_requested())
    dossier = dossier_after(filed(), documents_requested())
    assert dossier.status is Status.AWAITING_DOCUMENTS
    assert dossier.outstanding_documents == (TAX_NOTICE, BANK_DETAILS)
    assert dossier.documents_due == date(2024, 3, 29)


def test_documents_are_requested_for_an_adjourned_dossier() -> None:
    given(*HISTORY[Status.ADJOURNED]).when(request_documents()).then(documents_requested())


def test_documents_are_requested_after_the_review_and_the_dossier_returns_to_reviewed() -> None:
    given(filed(), reviewed()).when(request_documents()).then(documents_requested())
    dossier = dossier_after(filed(), reviewed(), documents_requested(), documents_received())
    assert dossier.status is Status.REVIEWED


def test_more_documents_are_requested_while_the_dossier_already_waits() -> None:
    more = request_documents(documents=(PROOF, TAX_NOTICE), due_date=date(2024, 4, 12))
    given(filed(), documents_requested()).when(more).then(
        documents_requested(documents=(PROOF, TAX_NOTICE), due_date=date(2024, 4, 12))
    )
    dossier = dossier_after(
        filed(),
        documents_requested(),
        documents_requested(documents=(PROOF, TAX_NOTICE), due_date=date(2024, 4, 12)),
    )
    assert dossier.status is Status.AWAITING_DOCUMENTS
    assert dossier.outstanding_documents == (TAX_NOTICE, BANK_DETAILS, PROOF)
    assert dossier.documents_due == date(2024, 4, 12)


def test_documents_awaited_are_received() -> None:
    given(filed(), documents_requested()).when(receive_documents()).then(documents_received())


def test_a_partial_receipt_keeps_the_dossier_waiting_for_the_rest() -> None:
    given(filed(), documents_requested()).when(receive_documents(documents=(TAX_NOTICE,))).then(
        documents_received(documents=(TAX_NOTICE,))
    )
    dossier = dossier_after(
        filed(), documents_requested(), documents_received(documents=(TAX_NOTICE,))
    )
    assert dossier.status is Status.AWAITING_DOCUMENTS
    assert dossier.outstanding_documents == (BANK_DETAILS,)
    assert dossier.documents_received == (DocumentKind.APPLICATION_FORM, TAX_NOTICE)
    assert dossier.documents_due == date(2024, 3, 29)


def test_the_last_document_awaited_returns_a_filed_dossier_to_filed() -> None:
    dossier = dossier_after(
        filed(),
        documents_requested(),
        documents_received(documents=(TAX_NOTICE,)),
        documents_received(documents=(BANK_DETAILS,)),
    )
    assert dossier.status is Status.FILED
    assert dossier.outstanding_documents == ()
    assert dossier.documents_due is None
    assert dossier.status_before_documents is None
    assert dossier.documents_received == (DocumentKind.APPLICATION_FORM, TAX_NOTICE, BANK_DETAILS)


def test_the_last_document_awaited_returns_an_adjourned_dossier_to_adjourned() -> None:
    dossier = dossier_after(*HISTORY[Status.ADJOURNED], documents_requested(), documents_received())
    assert dossier.status is Status.ADJOURNED


def test_a_second_request_while_waiting_still_returns_to_the_status_before_the_first() -> None:
    waiting = (
        *HISTORY[Status.ADJOURNED],
        documents_requested(),
        documents_requested(documents=(PROOF,)),
    )
    first_batch = dossier_after(*waiting, documents_received())
    assert first_batch.status is Status.AWAITING_DOCUMENTS
    assert first_batch.outstanding_documents == (PROOF,)
    everything = dossier_after(
        *waiting, documents_received(), documents_received(documents=(PROOF,))
    )
    assert everything.status is Status.ADJOURNED


def test_once_all_documents_are_received_the_dossier_can_be_reviewed() -> None:
    given(filed(), documents_requested(), documents_received()).when(review_dossier()).then(
        reviewed()
    )


# Review


def test_a_filed_dossier_is_reviewed_with_a_proposal() -> None:
    given(filed()).when(review_dossier()).then(reviewed())
    dossier = dossier_after(filed(), reviewed())
    assert dossier.status is Status.REVIEWED
    assert dossier.review == reviewed()


def test_an_adjourned_dossier_is_reviewed_again() -> None:
    later = datetime(2024, 4, 10, 9, 0, tzinfo=UTC)
    given(*HISTORY[Status.ADJOURNED]).when(review_dossier(at=later)).then(
        reviewed(occurred_at=later)
    )


def test_a_reviewed_dossier_may_be_reviewed_again_before_anonymisation() -> None:
    lower = (AidAmount(aid=Aid.AFE, amount=Decimal("900.00")),)
    later = datetime(2024, 3, 16, 9, 0, tzinfo=UTC)
    given(filed(), reviewed()).when(review_dossier(at=later, proposal=lower)).then(
        reviewed(occurred_at=later, proposal=lower)
    )
    dossier = dossier_after(filed(), reviewed(), reviewed(occurred_at=later, proposal=lower))
    assert dossier.review is not None
    assert dossier.review.proposal == lower


# Anonymisation, presentation, decision, notification


def test_a_reviewed_dossier_is_anonymised_with_a_summary_for_the_commission() -> None:
    given(filed(), reviewed()).when(anonymise_dossier()).then(anonymised())
    assert dossier_after(filed(), reviewed(), anonymised()).status is Status.ANONYMISED


def test_an_anonymised_dossier_is_presented_to_a_session_of_the_cass() -> None:
    given(filed(), reviewed(), anonymised()).when(present_to_cass()).then(presented())
    assert dossier_after(*HISTORY[Status.PRESENTED]).presentation == presented()


def test_the_cass_grants_the_aids_in_full() -> None:
    given(*HISTORY[Status.PRESENTED]).when(decide_dossier()).then(decided())
    assert dossier_after(*HISTORY[Status.PRESENTED], decided()).status is Status.DECIDED


def test_the_cass_grants_the_aids_in_part() -> None:
    part = (AidAmount(aid=Aid.AFE, amount=Decimal("1000.00")),)
    command = decide_dossier(outcome=Outcome.GRANTED_IN_PART, granted=part)
    event = decided(outcome=Outcome.GRANTED_IN_PART, granted=part)
    given(*HISTORY[Status.PRESENTED]).when(command).then(event)
    assert dossier_after(*HISTORY[Status.PRESENTED], event).status is Status.DECIDED


def test_the_cass_rejects_the_request() -> None:
    command = decide_dossier(outcome=Outcome.REJECTED, granted=(), reason="structural debt")
    event = decided(outcome=Outcome.REJECTED, granted=(), reason="structural debt")
    given(*HISTORY[Status.PRESENTED]).when(command).then(event)
    assert dossier_after(*HISTORY[Status.PRESENTED], event).status is Status.DECIDED


def test_the_cass_adjourns_the_dossier_which_goes_back_to_review() -> None:
    command = decide_dossier(
        outcome=Outcome.ADJOURNED, granted=(), reason="the commission wants the 2023 accounts"
    )
    given(*HISTORY[Status.PRESENTED]).when(command).then(adjourned())
    dossier = dossier_after(*HISTORY[Status.PRESENTED], adjourned())
    assert dossier.status is Status.ADJOURNED
    assert dossier.decision == adjourned()


def test_an_adjourned_dossier_goes_round_again_to_a_decision_and_its_notification() -> None:
    may = replace(
        SESSION,
        session_id=MAY_SESSION_ID,
        reference="CASS-BRE-2024-05",
        session_date=date(2024, 5, 7),
    )
    second_round: list[Command] = [
        review_dossier(at=datetime(2024, 4, 10, 9, 0, tzinfo=UTC)),
        anonymise_dossier(at=datetime(2024, 4, 11, 9, 0, tzinfo=UTC)),
        present_to_cass(at=datetime(2024, 4, 12, 9, 0, tzinfo=UTC), session=may),
        decide_dossier(at=datetime(2024, 5, 7, 16, 0, tzinfo=UTC), session=may),
        notify_decision(at=datetime(2024, 5, 10, 9, 0, tzinfo=UTC), notified_on=date(2024, 5, 10)),
    ]
    events = list(HISTORY[Status.ADJOURNED])
    for command in second_round:
        events += decide(command, fold(events))
    dossier = dossier_after(*events)
    assert dossier.status is Status.NOTIFIED
    assert dossier.decision is not None
    assert dossier.decision.outcome is Outcome.GRANTED_IN_FULL
    assert dossier.decision.session_reference == "CASS-BRE-2024-05"
    assert len(events) == len(HISTORY[Status.ADJOURNED]) + 5


def test_a_decision_is_notified_to_the_applicant_which_closes_the_dossier() -> None:
    given(*HISTORY[Status.DECIDED]).when(notify_decision()).then(notified())
    assert dossier_after(*HISTORY[Status.NOTIFIED]).status is Status.NOTIFIED


def test_a_decision_is_notified_on_the_day_it_is_taken() -> None:
    same_day = notify_decision(notified_on=date(2024, 4, 2))
    given(*HISTORY[Status.DECIDED]).when(same_day).then(notified(notified_on=date(2024, 4, 2)))


# Withdrawal

WITHDRAWABLE = [
    Status.FILED,
    Status.AWAITING_DOCUMENTS,
    Status.REVIEWED,
    Status.ANONYMISED,
    Status.ADJOURNED,
]


@pytest.mark.parametrize("status", WITHDRAWABLE, ids=str)
def test_the_applicant_withdraws_a_dossier_not_yet_decided(status: Status) -> None:
    given(*HISTORY[status]).when(withdraw_dossier()).then(withdrawn())
    dossier = dossier_after(*HISTORY[status], withdrawn())
    assert dossier.status is Status.WITHDRAWN
    assert dossier.withdrawal == withdrawn()


def test_every_event_moves_the_time_of_the_last_change() -> None:
    assert dossier_after(filed()).last_changed_at == filed().occurred_at
    assert dossier_after(*HISTORY[Status.PRESENTED]).last_changed_at == presented().occurred_at
    after_receipt = dossier_after(filed(), documents_requested(), documents_received())
    assert after_receipt.last_changed_at == documents_received().occurred_at
