"""A session of the regional CASS: scheduled with at least its quorum of members, its agenda
(changed until the session opens), each member present signing in under their own name, opened on
its date once those make the quorum, each dossier decided while open by a member present and
recording who sat, closed with anonymous minutes naming the members who signed in and them only."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from examples import (
    ANONYMOUS_CODE,
    APPLICANT,
    DOSSIER_ID,
    EVERYTHING_ASKED,
    RULEBOOK,
    SESSION_ID,
    SUMMARY,
)
from spec import SESSION

from domain.cass_session import (
    CloseSession,
    Command,
    DossierPutOnAgenda,
    DossierRemovedFromAgenda,
    Event,
    MemberSignedIn,
    MinutesLine,
    OpenSession,
    PutOnAgenda,
    RecordDecision,
    RemoveFromAgenda,
    ScheduleSession,
    SessionClosed,
    SessionDecisionRecorded,
    SessionOpened,
    SessionScheduled,
    SignIn,
)
from domain.values import Outcome

SECRETARY = "secretariat.cass.bretagne"
MEMBERS = ("m.le-bihan", "a.tanguy", "j.morvan", "c.quere", "y.riou", "p.guillou")
PRESENT = MEMBERS[:4]
CHAIR = PRESENT[0]  # a member who signed in: opens, decides and closes
OTHER_DOSSIER = UUID("7a2d3e4f-6b5c-4d9e-8f10-2b3c4d5e6f70")
OTHER_CODE = "ANO-7A2D3E4F60"
SCHEDULED_AT = datetime(2024, 3, 11, 9, 0, tzinfo=UTC)
AGENDA_AT = datetime(2024, 3, 25, 9, 0, tzinfo=UTC)
REMOVED_AT = datetime(2024, 3, 28, 9, 0, tzinfo=UTC)
SIGNED_IN_AT = datetime(2024, 4, 2, 13, 50, tzinfo=UTC)
OPENED_AT = datetime(2024, 4, 2, 14, 0, tzinfo=UTC)
DECIDED_AT = datetime(2024, 4, 2, 16, 0, tzinfo=UTC)
CLOSED_AT = datetime(2024, 4, 2, 18, 0, tzinfo=UTC)


def schedule(**changes: Any) -> ScheduleSession:
    command = ScheduleSession(
        SESSION_ID,
        SCHEDULED_AT,
        SECRETARY,
        "CASS-BRE-2024-04",
        "bretagne",
        date(2024, 4, 2),
        MEMBERS,
    )
    return replace(command, **changes)


def put_on_agenda(dossier_id: UUID = DOSSIER_ID, code: str = ANONYMOUS_CODE) -> PutOnAgenda:
    return PutOnAgenda(SESSION_ID, AGENDA_AT, SECRETARY, dossier_id, code)


def remove_from_agenda(
    dossier_id: UUID = DOSSIER_ID, reason: str = "the applicant asks to be heard in June"
) -> RemoveFromAgenda:
    return RemoveFromAgenda(SESSION_ID, REMOVED_AT, SECRETARY, dossier_id, reason)


def sign_in(member: str = CHAIR, at: datetime = SIGNED_IN_AT) -> SignIn:
    return SignIn(SESSION_ID, at, member)


def open_session(by: str = CHAIR, at: datetime = OPENED_AT) -> OpenSession:
    return OpenSession(SESSION_ID, at, by, RULEBOOK.cass_quorum)


def record_decision(dossier_id: UUID = DOSSIER_ID, **changes: Any) -> RecordDecision:
    command = RecordDecision(
        SESSION_ID, DECIDED_AT, CHAIR, dossier_id, Outcome.GRANTED_IN_FULL, EVERYTHING_ASKED
    )
    return replace(command, **changes)


def close_session(by: str = CHAIR) -> CloseSession:
    return CloseSession(SESSION_ID, CLOSED_AT, by)


def scheduled() -> SessionScheduled:
    c = schedule()
    return SessionScheduled(
        SESSION_ID, c.at, c.actor, c.reference, c.region, c.session_date, c.members
    )


def on_agenda(dossier_id: UUID = DOSSIER_ID, code: str = ANONYMOUS_CODE) -> DossierPutOnAgenda:
    return DossierPutOnAgenda(SESSION_ID, AGENDA_AT, SECRETARY, dossier_id, code)


def removed_from_agenda() -> DossierRemovedFromAgenda:
    c = remove_from_agenda()
    return DossierRemovedFromAgenda(
        SESSION_ID, c.at, c.actor, c.dossier_id, ANONYMOUS_CODE, c.reason
    )


def signed_in(member: str = CHAIR, at: datetime = SIGNED_IN_AT) -> MemberSignedIn:
    return MemberSignedIn(SESSION_ID, at, member)


def attended(*members: str) -> tuple[MemberSignedIn, ...]:
    return tuple(signed_in(member) for member in members)


ATTENDED = attended(*PRESENT)


def opened(present: tuple[str, ...] = PRESENT) -> SessionOpened:
    return SessionOpened(SESSION_ID, OPENED_AT, CHAIR, present, attested=True)


def decision_recorded(
    dossier_id: UUID = DOSSIER_ID, code: str = ANONYMOUS_CODE, **changes: Any
) -> SessionDecisionRecorded:
    event = SessionDecisionRecorded(
        SESSION_ID,
        DECIDED_AT,
        CHAIR,
        dossier_id,
        code,
        Outcome.GRANTED_IN_FULL,
        EVERYTHING_ASKED,
        PRESENT,
    )
    return replace(event, **changes)


OPEN: tuple[Event, ...] = (scheduled(), on_agenda(), *ATTENDED, opened())
DECIDED: tuple[Event, ...] = (*OPEN, decision_recorded())
CLOSED: tuple[Event, ...] = (
    *DECIDED,
    SessionClosed(
        SESSION_ID,
        CLOSED_AT,
        CHAIR,
        PRESENT,
        (MinutesLine(ANONYMOUS_CODE, Outcome.GRANTED_IN_FULL, EVERYTHING_ASKED, PRESENT),),
    ),
)
AFTER_SCHEDULING: dict[str, Command] = {
    "put_on_agenda": put_on_agenda(OTHER_DOSSIER, OTHER_CODE),
    "remove_from_agenda": remove_from_agenda(),
    "sign_in": sign_in(MEMBERS[5]),
    "open": open_session(),
    "record_decision": record_decision(),
    "close": close_session(),
}


# Scheduling


def test_a_session_is_scheduled_for_a_region_and_a_date_with_its_members() -> None:
    SESSION.given().when(schedule()).then(scheduled())


def test_a_session_is_scheduled_once() -> None:
    SESSION.given(scheduled()).when(schedule()).then_refused("session_is_scheduled_once")


@pytest.mark.parametrize("command", AFTER_SCHEDULING)
def test_nothing_happens_to_a_session_not_scheduled(command: str) -> None:
    SESSION.given().when(AFTER_SCHEDULING[command]).then_refused("session_must_be_scheduled_first")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"reference": " "}, {"reference"}),
        ({"region": ""}, {"region"}),
        ({"members": ()}, {"members"}),
        ({"members": (*MEMBERS, MEMBERS[0])}, {"members"}),
        ({"members": (*MEMBERS, " ")}, {"members"}),
        ({"reference": "", "region": "", "members": ()}, {"reference", "region", "members"}),
        ({"reference": "Yannick Le Floch 0298123456"}, {"reference"}),
        ({"reference": "=HYPERLINK(1)"}, {"reference"}),
        ({"members": ("a", "A", "b", "c", "d", "e")}, {"members"}),
        ({"members": (*MEMBERS[:5], "m.le-bihаn")}, {"members"}),
        ({"members": (*MEMBERS[:5], "á")}, {"members"}),
        ({"members": (*MEMBERS[:5], "a\u200b")}, {"members"}),
        ({"members": (*MEMBERS[:5], "y riou")}, {"members"}),
        ({"members": (*MEMBERS[:5], "+cmd")}, {"members"}),
    ],
    ids=[
        "no-reference",
        "no-region",
        "no-member",
        "a-member-twice",
        "a-blank-member",
        "all-at-once",
        "a-reference-that-is-a-sentence",
        "a-reference-that-is-a-formula",
        "members-differing-by-case",
        "a-member-with-a-cyrillic-look-alike",
        "a-member-with-an-accent",
        "a-member-with-a-zero-width-space",
        "a-member-with-a-space",
        "a-member-as-a-formula",
    ],
)
def test_a_session_names_its_reference_region_and_each_member_once(
    changes: dict[str, Any], fields: set[str]
) -> None:
    SESSION.given().when(schedule(**changes)).then_invalid(*fields)


def test_a_session_is_scheduled_for_today_or_a_later_day() -> None:
    SESSION.given().when(schedule(session_date=SCHEDULED_AT.date())).then(
        replace(scheduled(), session_date=SCHEDULED_AT.date())
    )
    backdated = schedule(session_date=date(2024, 3, 10))  # the day before it is scheduled
    refused = SESSION.given().when(backdated).then_refused("a_session_is_scheduled_ahead")
    assert "today or a later day" in refused.reason


def test_a_session_names_at_least_its_quorum_of_members() -> None:
    invalid = SESSION.given().when(schedule(quorum=7)).then_invalid("members")
    assert [p.reason for p in invalid.problems] == ["fewer members than the quorum of 7"]
    SESSION.given().when(schedule(quorum=6)).then(scheduled())


# The agenda


def test_an_anonymised_dossier_is_put_on_the_agenda_under_its_anonymous_code() -> None:
    SESSION.given(scheduled()).when(put_on_agenda()).then(on_agenda())


def test_the_agenda_carries_the_anonymised_summary_and_nothing_personal() -> None:
    with_summary = replace(put_on_agenda(), summary=SUMMARY)
    event = replace(on_agenda(), summary=SUMMARY)
    SESSION.given(scheduled()).when(with_summary).then(event)
    personal = (APPLICANT.last_name, APPLICANT.first_name, APPLICANT.siret, APPLICANT.nir or "")
    assert [value for value in personal if value in repr(event)] == []


def test_a_dossier_is_put_on_the_agenda_of_an_open_session_too() -> None:
    SESSION.given(*OPEN).when(put_on_agenda(OTHER_DOSSIER, OTHER_CODE)).then(
        on_agenda(OTHER_DOSSIER, OTHER_CODE)
    )


def test_a_dossier_is_on_the_agenda_once() -> None:
    SESSION.given(scheduled(), on_agenda()).when(put_on_agenda()).then_refused("on_the_agenda_once")


def test_a_dossier_leaves_an_agenda_before_the_session_opens() -> None:
    SESSION.given(scheduled(), on_agenda()).when(remove_from_agenda()).then(removed_from_agenda())
    history = (scheduled(), on_agenda(), removed_from_agenda())
    SESSION.given(*history).when(put_on_agenda()).then(on_agenda())  # back, if it comes back
    SESSION.given(*history, *ATTENDED, opened()).when(close_session()).then(
        SessionClosed(SESSION_ID, CLOSED_AT, CHAIR, PRESENT, ())
    )


def test_agenda_changes_before_the_session_opens() -> None:
    refused = SESSION.given(*OPEN).when(remove_from_agenda())
    refused.then_refused("agenda_changes_before_the_session_opens")


def test_only_a_dossier_on_the_agenda_leaves_it() -> None:
    SESSION.given(scheduled(), on_agenda()).when(remove_from_agenda(OTHER_DOSSIER)).then_refused(
        "decisions_are_on_agenda_dossiers"
    )
    history = (scheduled(), on_agenda(), removed_from_agenda())
    SESSION.given(*history).when(remove_from_agenda()).then_refused(
        "decisions_are_on_agenda_dossiers"
    )


def test_a_dossier_leaves_an_agenda_for_a_reason() -> None:
    SESSION.given(scheduled(), on_agenda()).when(remove_from_agenda(reason=" ")).then_invalid(
        "reason"
    )


# Attendance: each member present signs in, under their own name


def test_a_member_attests_their_own_presence_by_signing_in() -> None:
    SESSION.given(scheduled(), on_agenda()).when(sign_in(MEMBERS[2])).then(signed_in(MEMBERS[2]))


def test_only_a_member_of_the_commission_signs_in() -> None:
    for outsider in ("x.inconnu", SECRETARY):
        refused = SESSION.given(scheduled()).when(sign_in(outsider))
        refused.then_refused("only_members_sit")


@pytest.mark.parametrize(
    "at",
    [datetime(2024, 4, 1, 18, 0, tzinfo=UTC), datetime(2024, 4, 3, 9, 0, tzinfo=UTC)],
    ids=["the-eve", "the-day-after"],
)
def test_a_member_signs_in_on_the_session_day_only(at: datetime) -> None:
    refused = SESSION.given(scheduled()).when(sign_in(at=at))
    assert refused.then_refused("members_sign_in_on_the_session_day").reason == (
        "the session is on 2024-04-02: members sign in on that day only"
    )


def test_months_later_nobody_signs_in_to_a_session_that_was_never_held() -> None:
    months_later = datetime(2024, 9, 2, 14, 0, tzinfo=UTC)
    SESSION.given(scheduled()).when(sign_in(at=months_later)).then_refused(
        "members_sign_in_on_the_session_day"
    )


def test_a_member_signs_in_once() -> None:
    SESSION.given(scheduled(), signed_in()).when(sign_in()).then_refused("a_member_signs_in_once")


def test_a_member_arriving_late_signs_in_to_the_open_session_and_sits_from_then() -> None:
    late = datetime(2024, 4, 2, 15, 0, tzinfo=UTC)
    SESSION.given(*OPEN).when(sign_in(MEMBERS[4], late)).then(signed_in(MEMBERS[4], late))
    history = (*OPEN, signed_in(MEMBERS[4], late))
    SESSION.given(*history).when(record_decision()).then(
        decision_recorded(members_present=(*PRESENT, MEMBERS[4]))
    )


# Opening


def test_a_session_opens_with_the_members_who_signed_in() -> None:
    SESSION.given(scheduled(), on_agenda(), *ATTENDED).when(open_session()).then(opened())


def test_one_member_alone_cannot_open_a_session() -> None:
    refused = SESSION.given(scheduled(), signed_in()).when(open_session())
    reason = refused.then_refused("session_needs_its_quorum").reason
    assert reason == "1 members signed in, the quorum is 4"


def test_a_session_needs_its_quorum_of_members_signed_in() -> None:
    refused = SESSION.given(scheduled(), *attended(*MEMBERS[:3])).when(open_session())
    reason = refused.then_refused("session_needs_its_quorum").reason
    assert "3 members signed in, the quorum is 4" in reason


def test_the_quorum_is_reference_data_of_the_rulebook() -> None:
    assert RULEBOOK.cass_quorum == 4
    three = replace(open_session(), quorum=3)
    given = SESSION.given(scheduled(), *attended(*MEMBERS[:3]))
    given.when(three).then(opened(MEMBERS[:3]))


@pytest.mark.parametrize("by", [MEMBERS[5], SECRETARY], ids=["member-not-signed-in", "secretary"])
def test_only_a_member_who_signed_in_opens_the_session(by: str) -> None:
    refused = SESSION.given(scheduled(), *ATTENDED).when(open_session(by))
    refused.then_refused("only_a_member_present_acts")


@pytest.mark.parametrize(
    "at",
    [datetime(2024, 4, 1, 14, 0, tzinfo=UTC), datetime(2024, 4, 3, 0, 5, tzinfo=UTC)],
    ids=["the-eve", "just-after-midnight"],
)
def test_a_session_opens_on_its_date_only(at: datetime) -> None:
    refused = SESSION.given(scheduled(), *ATTENDED).when(open_session(at=at))
    assert refused.then_refused("a_session_opens_on_its_date").reason == (
        "the session is on 2024-04-02: it opens on that day only"
    )


def test_a_session_opens_from_the_first_minute_of_its_day() -> None:
    first_thing = datetime(2024, 4, 2, 0, 0, tzinfo=UTC)
    SESSION.given(scheduled(), *ATTENDED).when(open_session(at=first_thing)).then(
        replace(opened(), occurred_at=first_thing)
    )


def test_once_open_the_session_decides_and_closes_after_midnight() -> None:
    after_midnight = datetime(2024, 4, 3, 0, 30, tzinfo=UTC)
    SESSION.given(*OPEN).when(record_decision(at=after_midnight)).then(
        decision_recorded(occurred_at=after_midnight)
    )
    closing = replace(close_session(), at=after_midnight)
    SESSION.given(*DECIDED).when(closing).then(replace(CLOSED[-1], occurred_at=after_midnight))


def test_a_session_opens_once() -> None:
    SESSION.given(*OPEN).when(open_session()).then_refused("session_opens_once")


# Decisions


def test_each_dossier_on_the_agenda_is_decided_under_its_anonymous_code() -> None:
    SESSION.given(*OPEN).when(record_decision()).then(decision_recorded())


def test_each_decision_records_the_members_who_sat() -> None:
    [event] = SESSION.decide(record_decision(), SESSION.given(*OPEN).state())
    assert isinstance(event, SessionDecisionRecorded)
    assert event.members_present == PRESENT


@pytest.mark.parametrize("by", [MEMBERS[5], SECRETARY], ids=["member-not-signed-in", "secretary"])
def test_only_a_member_present_decides(by: str) -> None:
    SESSION.given(*OPEN).when(record_decision(actor=by)).then_refused("only_a_member_present_acts")


def test_decisions_are_taken_in_an_open_session() -> None:
    SESSION.given(scheduled(), on_agenda()).when(record_decision()).then_refused(
        "decisions_are_taken_in_an_open_session"
    )


def test_decisions_are_on_agenda_dossiers() -> None:
    SESSION.given(*OPEN).when(record_decision(OTHER_DOSSIER)).then_refused(
        "decisions_are_on_agenda_dossiers"
    )


def test_a_dossier_is_decided_once_per_session() -> None:
    SESSION.given(*DECIDED).when(record_decision()).then_refused("decided_once_per_session")


# Closing and the minutes


def test_only_an_open_session_closes() -> None:
    SESSION.given(scheduled()).when(close_session()).then_refused("only_an_open_session_closes")


def test_every_agenda_dossier_is_decided_before_closing() -> None:
    history = (*DECIDED, on_agenda(OTHER_DOSSIER, OTHER_CODE))
    refused = SESSION.given(*history).when(close_session())
    reason = refused.then_refused("every_agenda_dossier_is_decided_before_closing").reason
    assert OTHER_CODE in reason
    assert ANONYMOUS_CODE not in reason


def test_a_session_closes_with_its_minutes() -> None:
    SESSION.given(*DECIDED).when(close_session()).then(CLOSED[-1])


def test_the_minutes_name_exactly_the_members_who_signed_in() -> None:
    [closed] = SESSION.decide(close_session(), SESSION.given(*DECIDED).state())
    assert isinstance(closed, SessionClosed)
    assert closed.members_present == PRESENT
    assert [line.members_present for line in closed.minutes] == [PRESENT]


@pytest.mark.parametrize("by", [MEMBERS[5], SECRETARY], ids=["member-not-signed-in", "secretary"])
def test_only_a_member_present_closes(by: str) -> None:
    SESSION.given(*DECIDED).when(close_session(by)).then_refused("only_a_member_present_acts")


def test_a_session_opened_before_sign_ins_loads_with_the_members_its_opener_declared() -> None:
    """Stored events are never rewritten: an old opening named the members it declared, and its
    decisions recorded nobody; the session still loads, and says its attendance was declared."""
    old_opening = SessionOpened(SESSION_ID, OPENED_AT, CHAIR, PRESENT)
    old_decision = SessionDecisionRecorded(
        SESSION_ID,
        DECIDED_AT,
        CHAIR,
        DOSSIER_ID,
        ANONYMOUS_CODE,
        Outcome.GRANTED_IN_FULL,
        EVERYTHING_ASKED,
    )
    given = SESSION.given(scheduled(), on_agenda(), old_opening, old_decision)
    state = given.state()
    assert state is not None
    assert state.members_present == PRESENT
    assert not state.attendance_attested
    given.when(close_session()).then(
        SessionClosed(
            SESSION_ID,
            CLOSED_AT,
            CHAIR,
            PRESENT,
            (MinutesLine(ANONYMOUS_CODE, Outcome.GRANTED_IN_FULL, EVERYTHING_ASKED),),
        )
    )


def test_the_minutes_carry_anonymous_codes_outcomes_and_amounts_and_nothing_personal() -> None:
    adjourned = decision_recorded(OTHER_DOSSIER, OTHER_CODE, outcome=Outcome.ADJOURNED, granted=())
    minutes = (
        MinutesLine(ANONYMOUS_CODE, Outcome.GRANTED_IN_FULL, EVERYTHING_ASKED, PRESENT),
        MinutesLine(OTHER_CODE, Outcome.ADJOURNED, (), PRESENT),
    )
    closed = SessionClosed(SESSION_ID, CLOSED_AT, CHAIR, PRESENT, minutes)
    history = (*DECIDED, on_agenda(OTHER_DOSSIER, OTHER_CODE), adjourned)
    SESSION.given(*history).when(close_session()).then(closed)
    for personal in (str(DOSSIER_ID), str(OTHER_DOSSIER), APPLICANT.last_name, APPLICANT.siret):
        assert personal not in repr(closed)


def test_a_session_with_nothing_on_its_agenda_closes_with_empty_minutes() -> None:
    SESSION.given(scheduled(), *ATTENDED, opened()).when(close_session()).then(
        SessionClosed(SESSION_ID, CLOSED_AT, CHAIR, PRESENT, ())
    )


@pytest.mark.parametrize("command", AFTER_SCHEDULING)
def test_nothing_after_the_minutes(command: str) -> None:
    SESSION.given(*CLOSED).when(AFTER_SCHEDULING[command]).then_refused("nothing_after_the_minutes")


def test_a_closed_session_is_not_scheduled_again() -> None:
    SESSION.given(*CLOSED).when(schedule()).then_refused("session_is_scheduled_once")
