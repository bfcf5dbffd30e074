"""The ADR is granted once per person, ever: one stream per person records which dossier holds it.

Another dossier is refused the grant; the dossier holding it may be decided again on a recours
gracieux, which updates the grant or revokes it, and a revoked ADR may be granted again.
"""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from examples import applicant
from fci_and_adr import ADR_NIR
from spec import ADR_GRANT

from domain.adr_grant import (
    AdrGranted,
    AdrGrantRevoked,
    GrantAdr,
    RevokeAdr,
    adr_person_id,
    holds_a_grant_elsewhere,
)

PERSON_ID = adr_person_id(ADR_NIR)
FIRST_DOSSIER = UUID("6f1c2d3e-5a4b-4c8d-9e0f-1a2b3c4d5e6f")
SECOND_DOSSIER = UUID("7a2d3e4f-6b5c-4d9e-8f10-2b3c4d5e6f70")
SECRETARY = "secretariat.cass.bretagne"
GRANTED_AT = datetime(2024, 4, 2, 16, 0, tzinfo=UTC)
RE_EXAMINED_AT = datetime(2024, 6, 4, 16, 0, tzinfo=UTC)  # the recours, at the June session


def grant_adr(
    dossier_id: UUID = FIRST_DOSSIER, amount: str = "8000.00", at: datetime = GRANTED_AT
) -> GrantAdr:
    return GrantAdr(PERSON_ID, at, SECRETARY, dossier_id, Decimal(amount))


def adr_granted(
    dossier_id: UUID = FIRST_DOSSIER, amount: str = "8000.00", at: datetime = GRANTED_AT
) -> AdrGranted:
    return AdrGranted(PERSON_ID, at, SECRETARY, dossier_id, Decimal(amount))


def revoke_adr(dossier_id: UUID = FIRST_DOSSIER) -> RevokeAdr:
    return RevokeAdr(PERSON_ID, RE_EXAMINED_AT, SECRETARY, dossier_id)


def adr_revoked(dossier_id: UUID = FIRST_DOSSIER) -> AdrGrantRevoked:
    return AdrGrantRevoked(PERSON_ID, RE_EXAMINED_AT, SECRETARY, dossier_id)


# Granting


def test_adr_is_granted_to_a_person_never_granted_one() -> None:
    ADR_GRANT.given().when(grant_adr()).then(adr_granted())


def test_adr_is_granted_once_per_person() -> None:
    refused = ADR_GRANT.given(adr_granted()).when(grant_adr(SECOND_DOSSIER))
    reason = refused.then_refused("adr_is_granted_once_per_person").reason
    assert reason == "an ADR was already granted to this person, on another dossier"
    assert str(FIRST_DOSSIER) not in reason  # that dossier is another person's business


def test_the_dossier_holding_the_adr_may_be_decided_again() -> None:
    lower = grant_adr(amount="6500.00", at=RE_EXAMINED_AT)
    ADR_GRANT.given(adr_granted()).when(lower).then(
        adr_granted(amount="6500.00", at=RE_EXAMINED_AT)
    )
    held = ADR_GRANT.given(adr_granted(), adr_granted(amount="6500.00", at=RE_EXAMINED_AT))
    assert held.state() == adr_granted(amount="6500.00", at=RE_EXAMINED_AT)


def test_an_adr_granted_again_to_its_dossier_is_still_refused_to_another() -> None:
    again = (adr_granted(), adr_granted(amount="6500.00", at=RE_EXAMINED_AT))
    ADR_GRANT.given(*again).when(grant_adr(SECOND_DOSSIER)).then_refused(
        "adr_is_granted_once_per_person"
    )


# Revoking, when the dossier holding the grant is decided again without it


def test_the_dossier_holding_the_adr_revokes_it_when_decided_again_without_it() -> None:
    ADR_GRANT.given(adr_granted()).when(revoke_adr()).then(adr_revoked())
    assert ADR_GRANT.given(adr_granted(), adr_revoked()).state() is None


@pytest.mark.parametrize(
    "history",
    [(), (adr_granted(SECOND_DOSSIER),), (adr_granted(), adr_revoked())],
    ids=["never-granted", "held-by-another-dossier", "revoked-already"],
)
def test_revoking_changes_nothing_unless_the_dossier_holds_the_adr(
    history: tuple[AdrGranted | AdrGrantRevoked, ...],
) -> None:
    ADR_GRANT.given(*history).when(revoke_adr()).then()


def test_a_revoked_adr_can_be_granted_to_the_person_again() -> None:
    revoked = (adr_granted(), adr_revoked())
    ADR_GRANT.given(*revoked).when(grant_adr(SECOND_DOSSIER)).then(adr_granted(SECOND_DOSSIER))
    ADR_GRANT.given(*revoked).when(grant_adr()).then(adr_granted())


# What a review reads of the person's grant


@pytest.mark.parametrize(
    ("history", "dossier_id", "elsewhere"),
    [
        ((), FIRST_DOSSIER, False),
        ((adr_granted(),), FIRST_DOSSIER, False),
        ((adr_granted(),), SECOND_DOSSIER, True),
        ((adr_granted(), adr_revoked()), SECOND_DOSSIER, False),
    ],
    ids=["never-granted", "held-by-this-dossier", "held-by-another", "revoked"],
)
def test_a_person_holds_a_grant_elsewhere_only_on_another_dossier(
    history: tuple[AdrGranted | AdrGrantRevoked, ...], dossier_id: UUID, elsewhere: bool
) -> None:
    assert holds_a_grant_elsewhere(ADR_GRANT.given(*history).state(), dossier_id) is elsewhere


# The person's stream id


def test_the_adr_person_id_is_the_same_for_the_same_nir_whatever_its_key() -> None:
    assert adr_person_id(ADR_NIR[:13] + "00") == PERSON_ID
    assert adr_person_id(ADR_NIR[:13]) == PERSON_ID


def test_the_adr_person_id_differs_from_one_person_to_another() -> None:
    assert adr_person_id(applicant().nir or "") != PERSON_ID


def test_the_adr_person_id_of_a_nir_never_changes_once_streams_are_stored() -> None:
    assert UUID("1fcacccd-228d-5093-ac17-dcfa5e0af872") == PERSON_ID
