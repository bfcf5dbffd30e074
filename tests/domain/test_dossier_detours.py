"""The detours of a real dossier: closed without follow-up, re-examined on a recours gracieux,
and the date after which the administration's silence counts as an implicit rejection."""

from datetime import UTC, date, datetime

import pytest
from examples import (
    HISTORY,
    JUNE,
    JUNE_OPEN,
    RULEBOOK,
    anonymise_dossier,
    close_without_follow_up,
    closed_without_follow_up,
    decide_dossier,
    decided,
    documents_received,
    documents_requested,
    dossier_after,
    filed,
    notified,
    notify_decision,
    present_to_cass,
    re_examination_requested,
    request_re_examination,
    review_dossier,
    run,
    withdraw_dossier,
)
from spec import given

from domain.dossier import Status, implicit_rejection_date
from domain.dossier_events import Event
from domain.rulebook import Rulebook
from domain.values import DocumentKind, Outcome

AWAITING = HISTORY[Status.AWAITING_DOCUMENTS]  # due on 29 March 2024
NOTIFIED = HISTORY[Status.NOTIFIED]  # notified on 5 April 2024
RE_EXAMINED = HISTORY[Status.RE_EXAMINATION]  # received on 3 May 2024


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


# Closed without follow-up (classé sans suite)


@pytest.mark.parametrize(
    "status", [Status.FILED, Status.REVIEWED, Status.ADJOURNED, Status.DECIDED], ids=str
)
def test_closed_without_follow_up_only_when_documents_are_awaited(status: Status) -> None:
    given(*HISTORY[status]).when(close_without_follow_up()).then_refused(
        "closed_without_follow_up_only_when_documents_are_awaited"
    )


def test_closed_without_follow_up_after_the_due_date() -> None:
    on_the_due_date = close_without_follow_up(at=datetime(2024, 3, 29, 18, 0, tzinfo=UTC))
    refused = given(*AWAITING).when(on_the_due_date)
    assert (
        "2024-03-29" in refused.then_refused("closed_without_follow_up_after_the_due_date").reason
    )
    the_day_after = close_without_follow_up(at=on(date(2024, 3, 30)))
    given(*AWAITING).when(the_day_after).then(
        closed_without_follow_up(occurred_at=on(date(2024, 3, 30)))
    )


def test_the_due_date_is_that_of_the_latest_request() -> None:
    later = documents_requested(due_date=date(2024, 4, 12))
    given(*AWAITING, later).when(close_without_follow_up()).then_refused(
        "closed_without_follow_up_after_the_due_date"
    )


def test_a_dossier_still_missing_a_document_is_closed_without_follow_up() -> None:
    partial = documents_received(documents=(DocumentKind.TAX_NOTICE,))
    given(*AWAITING, partial).when(close_without_follow_up()).then(closed_without_follow_up())


def test_closing_without_follow_up_gives_its_reason() -> None:
    given(*AWAITING).when(close_without_follow_up(reason=" ")).then_invalid("reason")


def test_a_dossier_closed_without_follow_up_keeps_why() -> None:
    dossier = dossier_after(*HISTORY[Status.CLOSED_WITHOUT_FOLLOW_UP])
    assert dossier.status is Status.CLOSED_WITHOUT_FOLLOW_UP
    assert dossier.closure == closed_without_follow_up()


# Re-examination (recours gracieux)


@pytest.mark.parametrize(
    "status",
    [Status.PRESENTED, Status.DECIDED, Status.ADJOURNED, Status.WITHDRAWN, Status.RE_EXAMINATION],
    ids=str,
)
def test_re_examination_of_a_notified_decision(status: Status) -> None:
    given(*HISTORY[status]).when(request_re_examination()).then_refused(
        "re_examination_of_a_notified_decision"
    )


def test_a_notified_decision_is_re_examined_on_a_recours_gracieux() -> None:
    given(*NOTIFIED).when(request_re_examination()).then(re_examination_requested())
    dossier = dossier_after(*RE_EXAMINED)
    assert dossier.status is Status.RE_EXAMINATION
    assert dossier.re_examination == re_examination_requested()
    assert dossier.decision == decided()


@pytest.mark.parametrize(
    ("notified_on", "last_day"),
    [(date(2024, 4, 5), date(2024, 6, 5)), (date(2024, 12, 31), date(2025, 2, 28))],
    ids=["same-day-two-months-later", "last-day-of-a-shorter-month"],
)
def test_re_examination_within_the_period(notified_on: date, last_day: date) -> None:
    history = (*HISTORY[Status.DECIDED], notified(notified_on=notified_on))
    in_time = request_re_examination(at=on(last_day), received_on=last_day)
    given(*history).when(in_time).then(
        re_examination_requested(occurred_at=on(last_day), received_on=last_day)
    )
    next_day = date.fromordinal(last_day.toordinal() + 1)
    late = request_re_examination(at=on(next_day), received_on=next_day)
    refused = given(*history).when(late).then_refused("re_examination_within_the_period")
    assert str(last_day) in refused.reason


def test_the_re_examination_period_is_reference_data_of_the_rulebook() -> None:
    one_month = Rulebook(re_examination_months=1)
    in_time = request_re_examination(received_on=date(2024, 5, 5), rulebook=one_month)
    given(*NOTIFIED).when(in_time).then(re_examination_requested(received_on=date(2024, 5, 5)))
    too_late = request_re_examination(received_on=date(2024, 5, 6), rulebook=one_month)
    given(*NOTIFIED).when(too_late).then_refused("re_examination_within_the_period")


def test_re_examination_is_not_open_when_the_rulebook_has_none() -> None:
    closed = request_re_examination(rulebook=Rulebook(re_examination_allowed=False))
    given(*NOTIFIED).when(closed).then_refused("re_examination_is_not_open")


IN_JUNE = datetime(2024, 6, 4, 16, 0, tzinfo=UTC)
SECOND_ROUND = run(
    present_to_cass(at=on(date(2024, 5, 20)), session=JUNE),
    decide_dossier(at=IN_JUNE, session=JUNE_OPEN, reason="the roadworks lasted longer"),
    notify_decision(at=on(date(2024, 6, 6)), notified_on=date(2024, 6, 6)),
    history=RE_EXAMINED,
)


def test_a_re_examination_goes_back_to_the_commission_and_is_notified_again() -> None:
    dossier = dossier_after(*SECOND_ROUND)
    assert dossier.status is Status.NOTIFIED
    assert dossier.decision is not None
    assert (dossier.decision.session_reference, dossier.decision.occurred_at) == (
        "CASS-BRE-2024-06",
        IN_JUNE,
    )
    assert dossier.notification is not None
    assert dossier.notification.notified_on == date(2024, 6, 6)


def test_a_re_examined_dossier_may_be_reviewed_again_first() -> None:
    events = run(review_dossier(at=on(date(2024, 5, 10))), history=RE_EXAMINED)
    assert dossier_after(*events).status is Status.REVIEWED


ADJOURN_IN_JUNE = decide_dossier(
    at=IN_JUNE,
    session=JUNE_OPEN,
    outcome=Outcome.ADJOURNED,
    granted=(),
    reason="the commission wants the accounts of the first half of 2024",
)


@pytest.mark.parametrize(
    "history",
    [
        RE_EXAMINED,
        run(review_dossier(at=on(date(2024, 5, 10))), history=RE_EXAMINED),
        run(
            review_dossier(at=on(date(2024, 5, 10))),
            anonymise_dossier(at=on(date(2024, 5, 13))),
            history=RE_EXAMINED,
        ),
        run(
            present_to_cass(at=on(date(2024, 5, 20)), session=JUNE),
            ADJOURN_IN_JUNE,
            history=RE_EXAMINED,
        ),
    ],
    ids=["re-examination-requested", "reviewed-again", "anonymised-again", "adjourned-in-june"],
)
def test_no_withdrawal_after_a_re_examination_was_requested(history: tuple[Event, ...]) -> None:
    late = withdraw_dossier(at=on(date(2024, 6, 10)))
    given(*history).when(late).then_refused("no_withdrawal_after_decision")


def test_a_decision_is_re_examined_once() -> None:
    again = request_re_examination(at=on(date(2024, 6, 10)), received_on=date(2024, 6, 10))
    given(*SECOND_ROUND).when(again).then_refused("a_decision_is_re_examined_once")


@pytest.mark.parametrize(
    ("received_on", "field"),
    [(date(2024, 4, 4), "received_on"), (date(2024, 5, 7), "received_on")],
    ids=["before-the-notification", "after-today"],
)
def test_a_recours_is_received_between_the_notification_and_today(
    received_on: date, field: str
) -> None:
    given(*NOTIFIED).when(request_re_examination(received_on=received_on)).then_invalid(field)


def test_a_recours_gives_its_reason() -> None:
    given(*NOTIFIED).when(request_re_examination(reason="")).then_invalid("reason")


# The implicit rejection: two months of silence


def rejection_date(*events: Event, rulebook: Rulebook = RULEBOOK) -> date | None:
    return implicit_rejection_date(dossier_after(*events), rulebook)


@pytest.mark.parametrize(
    "status",
    [Status.FILED, Status.REVIEWED, Status.ANONYMISED, Status.PRESENTED, Status.ADJOURNED],
    ids=str,
)
def test_silence_counts_as_rejection_two_months_after_filing(status: Status) -> None:
    assert rejection_date(*HISTORY[status]) == date(2024, 5, 4)  # filed on 4 March 2024


def test_after_complete_documents_the_two_months_run_from_their_receipt() -> None:
    assert rejection_date(*AWAITING, documents_received()) == date(2024, 5, 12)


def test_no_silence_is_counted_while_documents_are_awaited() -> None:
    partial = documents_received(documents=(DocumentKind.TAX_NOTICE,))
    assert rejection_date(*AWAITING) is None
    assert rejection_date(*AWAITING, partial) is None


@pytest.mark.parametrize(
    "status",
    [Status.DECIDED, Status.NOTIFIED, Status.WITHDRAWN, Status.CLOSED_WITHOUT_FOLLOW_UP],
    ids=str,
)
def test_no_silence_is_counted_once_decided_or_closed(status: Status) -> None:
    assert rejection_date(*HISTORY[status]) is None


def test_after_a_recours_the_two_months_run_from_its_receipt() -> None:
    assert rejection_date(*RE_EXAMINED) == date(2024, 7, 3)  # received on 3 May 2024


def test_the_months_of_silence_are_reference_data_of_the_rulebook() -> None:
    three = Rulebook(implicit_rejection_months=3)
    assert rejection_date(filed(), rulebook=three) == date(2024, 6, 4)


def test_two_months_after_the_31st_of_december_is_the_end_of_february() -> None:
    new_years_eve = filed(occurred_at=datetime(2023, 12, 31, 9, 0, tzinfo=UTC))
    assert rejection_date(new_years_eve) == date(2024, 2, 29)
