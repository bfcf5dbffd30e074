"""The steps a dossier refuses, each named by the rule of the path it would break."""

from collections.abc import Callable

import pytest
from examples import (
    HISTORY,
    anonymise_dossier,
    anonymised,
    close_without_follow_up,
    decide_dossier,
    documents_received,
    documents_requested,
    file_dossier,
    filed,
    notify_decision,
    present_to_cass,
    receive_documents,
    request_documents,
    request_re_examination,
    review_dossier,
    reviewed,
    run,
    take_off_agenda,
    withdraw_dossier,
    withdrawn,
)
from spec import given

from domain.dossier import Command, Status, decide, fold
from domain.dossier_events import (
    DecisionNotified,
    DocumentsReceived,
    DocumentsRequested,
    DossierAnonymised,
    DossierClosedWithoutFollowUp,
    DossierDecided,
    DossierPresentedToCass,
    DossierReviewed,
    DossierTakenOffAgenda,
    DossierWithdrawn,
    Event,
    ReExaminationRequested,
)
from domain.values import DocumentKind

COMMANDS: dict[str, Callable[[], Command]] = {
    "file": file_dossier,
    "request_documents": request_documents,
    "receive_documents": receive_documents,
    "review": review_dossier,
    "anonymise": anonymise_dossier,
    "present": present_to_cass,
    "take_off_agenda": take_off_agenda,
    "decide": decide_dossier,
    "notify": notify_decision,
    "withdraw": withdraw_dossier,
    "close_without_follow_up": close_without_follow_up,
    "request_re_examination": request_re_examination,
}
AFTER_FILING = [name for name in COMMANDS if name != "file"]
# Only a re-examination reopens a closed dossier, and only a notified one: it says so.
CLOSED_RULE_WHEN: dict[str, str] = {
    "request_re_examination": "re_examination_of_a_notified_decision"
}


def test_a_dossier_is_filed_once() -> None:
    given(filed()).when(file_dossier()).then_refused("dossier_is_filed_once")


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_a_dossier_is_filed_once_whatever_became_of_it(status: Status) -> None:
    given(*HISTORY[status]).when(file_dossier()).then_refused("dossier_is_filed_once")


@pytest.mark.parametrize("command", AFTER_FILING)
def test_nothing_happens_to_a_dossier_before_it_is_filed(command: str) -> None:
    given().when(COMMANDS[command]()).then_refused("dossier_must_be_filed_first")


@pytest.mark.parametrize("command", AFTER_FILING)
def test_nothing_happens_to_a_withdrawn_dossier(command: str) -> None:
    rule = CLOSED_RULE_WHEN.get(command, "nothing_after_withdrawal")
    given(*HISTORY[Status.WITHDRAWN]).when(COMMANDS[command]()).then_refused(rule)


@pytest.mark.parametrize("command", AFTER_FILING)
def test_nothing_happens_to_a_dossier_closed_without_follow_up(command: str) -> None:
    rule = CLOSED_RULE_WHEN.get(command, "nothing_after_closing_without_follow_up")
    given(*HISTORY[Status.CLOSED_WITHOUT_FOLLOW_UP]).when(COMMANDS[command]()).then_refused(rule)


@pytest.mark.parametrize("command", [c for c in AFTER_FILING if c != "request_re_examination"])
def test_nothing_but_a_re_examination_happens_once_a_decision_is_notified(command: str) -> None:
    given(*HISTORY[Status.NOTIFIED]).when(COMMANDS[command]()).then_refused(
        "nothing_after_notification"
    )


def test_a_dossier_waiting_for_documents_is_not_reviewed() -> None:
    given(filed(), documents_requested()).when(review_dossier()).then_refused(
        "review_waits_for_requested_documents"
    )


def test_a_dossier_still_missing_one_document_is_not_reviewed() -> None:
    partial = documents_received(documents=(DocumentKind.TAX_NOTICE,))
    given(filed(), documents_requested(), partial).when(review_dossier()).then_refused(
        "review_waits_for_requested_documents"
    )


def test_an_anonymised_dossier_is_not_reviewed_again() -> None:
    given(filed(), reviewed(), anonymised()).when(review_dossier()).then_refused(
        "review_comes_before_anonymisation"
    )


def test_a_dossier_is_not_anonymised_before_its_review() -> None:
    given(filed()).when(anonymise_dossier()).then_refused("no_anonymisation_before_review")


def test_a_dossier_is_not_presented_before_its_anonymisation() -> None:
    given(filed(), reviewed()).when(present_to_cass()).then_refused(
        "no_presentation_before_anonymisation"
    )


def test_the_cass_does_not_decide_on_a_dossier_not_presented_to_it() -> None:
    given(filed(), reviewed(), anonymised()).when(decide_dossier()).then_refused(
        "no_decision_before_presentation"
    )


def test_no_decision_is_notified_before_it_is_taken() -> None:
    given(*HISTORY[Status.PRESENTED]).when(notify_decision()).then_refused(
        "no_notification_before_decision"
    )


def test_an_adjournment_is_not_notified_as_a_decision() -> None:
    given(*HISTORY[Status.ADJOURNED]).when(notify_decision()).then_refused(
        "an_adjournment_is_not_notified"
    )


def test_a_dossier_is_anonymised_once_per_review() -> None:
    given(*HISTORY[Status.ANONYMISED]).when(anonymise_dossier()).then_refused(
        "dossier_already_anonymised"
    )


def test_a_dossier_is_presented_once_per_review() -> None:
    given(*HISTORY[Status.PRESENTED]).when(present_to_cass()).then_refused(
        "dossier_already_presented"
    )


def test_a_decided_dossier_is_not_decided_again() -> None:
    given(*HISTORY[Status.DECIDED]).when(decide_dossier()).then_refused("dossier_already_decided")


def test_a_decided_dossier_is_not_withdrawn() -> None:
    given(*HISTORY[Status.DECIDED]).when(withdraw_dossier()).then_refused(
        "no_withdrawal_after_decision"
    )


def test_documents_are_not_received_when_none_are_awaited() -> None:
    given(filed()).when(receive_documents()).then_refused("documents_are_received_when_requested")


def test_documents_are_not_requested_once_the_dossier_is_anonymised() -> None:
    given(*HISTORY[Status.ANONYMISED]).when(request_documents()).then_refused(
        "documents_are_requested_during_review"
    )


# The whole table: every open status, every command it refuses, and the rule it names.

CLOSED = (Status.NOTIFIED, Status.WITHDRAWN, Status.CLOSED_WITHOUT_FOLLOW_UP)
OPEN: list[Status] = [s for s in Status if s not in CLOSED]
ALLOWED: dict[str, set[Status]] = {
    "file": set(),
    "request_documents": {
        Status.FILED,
        Status.ADJOURNED,
        Status.AWAITING_DOCUMENTS,
        Status.REVIEWED,
        Status.RE_EXAMINATION,
    },
    "receive_documents": {Status.AWAITING_DOCUMENTS},
    "review": {Status.FILED, Status.ADJOURNED, Status.REVIEWED, Status.RE_EXAMINATION},
    "anonymise": {Status.REVIEWED},
    # An adjourned or re-examined dossier, anonymised already, may go to a later session.
    "present": {Status.ANONYMISED, Status.ADJOURNED, Status.RE_EXAMINATION},
    "take_off_agenda": {Status.PRESENTED},
    "decide": {Status.PRESENTED},
    "notify": {Status.DECIDED},
    "withdraw": set(OPEN) - {Status.DECIDED, Status.RE_EXAMINATION, Status.PRESENTED},
    "close_without_follow_up": {Status.AWAITING_DOCUMENTS},
    "request_re_examination": set(),  # only of a notified decision, which is not open
}
RULE: dict[str, str] = {
    "file": "dossier_is_filed_once",
    "request_documents": "documents_are_requested_during_review",
    "receive_documents": "documents_are_received_when_requested",
    "review": "review_comes_before_anonymisation",
    "anonymise": "no_anonymisation_before_review",
    "present": "no_presentation_before_anonymisation",
    "take_off_agenda": "decisions_are_on_agenda_dossiers",
    "decide": "no_decision_before_presentation",
    "notify": "no_notification_before_decision",
    "withdraw": "no_withdrawal_after_decision",
    "close_without_follow_up": "closed_without_follow_up_only_when_documents_are_awaited",
    "request_re_examination": "re_examination_of_a_notified_decision",
}
# Where a step is already done, the refusal says so rather than naming the step before it.
RULE_WHEN: dict[tuple[str, Status], str] = {
    ("withdraw", Status.PRESENTED): "no_withdrawal_while_on_an_agenda",
    ("review", Status.AWAITING_DOCUMENTS): "review_waits_for_requested_documents",
    ("anonymise", Status.ANONYMISED): "dossier_already_anonymised",
    ("anonymise", Status.PRESENTED): "dossier_already_anonymised",
    ("anonymise", Status.DECIDED): "dossier_already_anonymised",
    ("present", Status.PRESENTED): "dossier_already_presented",
    ("present", Status.DECIDED): "dossier_already_presented",
    ("decide", Status.DECIDED): "dossier_already_decided",
    ("notify", Status.ADJOURNED): "an_adjournment_is_not_notified",
}
REFUSED = [
    pytest.param(command, status, id=f"{command}-when-{status}")
    for command in COMMANDS
    for status in OPEN
    if status not in ALLOWED[command]
]


@pytest.mark.parametrize(("command", "status"), REFUSED)
def test_each_step_out_of_order_is_refused_by_its_rule(command: str, status: Status) -> None:
    rule = RULE_WHEN.get((command, status), RULE[command])
    given(*HISTORY[status]).when(COMMANDS[command]()).then_refused(rule)


EVENT: dict[str, type[Event]] = {
    "request_documents": DocumentsRequested,
    "receive_documents": DocumentsReceived,
    "review": DossierReviewed,
    "anonymise": DossierAnonymised,
    "present": DossierPresentedToCass,
    "take_off_agenda": DossierTakenOffAgenda,
    "decide": DossierDecided,
    "notify": DecisionNotified,
    "withdraw": DossierWithdrawn,
    "close_without_follow_up": DossierClosedWithoutFollowUp,
}
ACCEPTED = [
    pytest.param(command, status, id=f"{command}-when-{status}")
    for command in COMMANDS
    for status in OPEN
    if status in ALLOWED[command]
]


@pytest.mark.parametrize(("command", "status"), ACCEPTED)
def test_each_step_in_order_is_accepted_as_one_event(command: str, status: Status) -> None:
    events = decide(COMMANDS[command](), fold(HISTORY[status]))
    assert [type(event) for event in events] == [EVENT[command]]


def test_a_notified_decision_accepts_a_re_examination_as_one_event() -> None:
    events = decide(request_re_examination(), fold(HISTORY[Status.NOTIFIED]))
    assert [type(event) for event in events] == [ReExaminationRequested]


def test_the_table_covers_every_status_and_every_command() -> None:
    assert set(OPEN) | set(CLOSED) == set(Status)
    assert set(COMMANDS) == set(ALLOWED) == set(RULE)


def test_a_dossier_on_an_agenda_is_adjourned_or_taken_off_it_before_it_is_withdrawn() -> None:
    given(*HISTORY[Status.PRESENTED]).when(withdraw_dossier()).then_refused(
        "no_withdrawal_while_on_an_agenda"
    )
    given(*HISTORY[Status.ADJOURNED]).when(withdraw_dossier()).then(withdrawn())
    taken_off = run(take_off_agenda(), history=HISTORY[Status.PRESENTED])
    given(*taken_off).when(withdraw_dossier()).then(withdrawn())
