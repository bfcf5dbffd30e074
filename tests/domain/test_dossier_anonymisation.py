"""The anonymous file shown to the CASS: what the decision needs, nothing that names the worker."""

import re
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from examples import (
    ANONYMOUS_CODE,
    APPLICANT,
    NIR,
    SIRET,
    anonymise_dossier,
    file_dossier,
    filed,
    reviewed,
)

from domain.anonymisation import REDACTED, AnonymisedSummary, age_bracket, redact
from domain.dossier import decide, fold
from domain.dossier_events import DossierAnonymised, Event

IDENTIFIERS = {
    "last name": APPLICANT.last_name,
    "first name": APPLICANT.first_name,
    "SIRET": SIRET,
    "SIREN": SIRET[:9],
    "NIR": NIR,
    "email": APPLICANT.email,
    "phone": APPLICANT.phone,
    "address line": APPLICANT.address.line1,
    "birth date": "15/06/1978",
}
CANDID_ACCOUNT = (
    "I am Gwenaëlle KERBRAT, born 15/06/1978, crêperie at 7 rue de Siam (SIRET 73282932000074,"
    " NIR 278062901912333). Write to G.Kerbrat@Example.fr or call 0612345678."
)
CANDID_FINDINGS = "Checked SIREN 732829320 and SIRET 73282932000074 with the register: kerbrat."


def anonymised_from(*history: Event) -> DossierAnonymised:
    [event] = decide(anonymise_dossier(), fold(history))
    assert isinstance(event, DossierAnonymised)
    return event


def candid_summary() -> AnonymisedSummary:
    return anonymised_from(
        filed(own_account=CANDID_ACCOUNT), reviewed(findings=CANDID_FINDINGS)
    ).summary


def test_the_candid_account_of_the_examples_holds_every_identifier() -> None:
    written = (CANDID_ACCOUNT + CANDID_FINDINGS).lower()
    assert [name for name, value in IDENTIFIERS.items() if value.lower() not in written] == []


@pytest.mark.parametrize("name", IDENTIFIERS)
def test_a_reviewed_dossier_is_anonymised_with_a_summary_free_of_identifiers(name: str) -> None:
    event = anonymised_from(filed(own_account=CANDID_ACCOUNT), reviewed(findings=CANDID_FINDINGS))
    assert IDENTIFIERS[name].lower() not in repr(event).lower()


def test_the_identifiers_written_by_the_reviewer_are_blacked_out() -> None:
    assert candid_summary().situation == "Checked SIREN […] and SIRET […] with the register: […]."


def test_the_commission_never_reads_the_applicants_own_account() -> None:
    assert "crêperie" not in candid_summary().situation


def test_the_summary_keeps_what_the_commission_needs() -> None:
    summary = candid_summary()
    dossier, review = filed(), reviewed()
    assert summary.region == dossier.region
    assert summary.activity_kind is dossier.activity.kind
    assert summary.aids_requested == dossier.aids
    assert summary.difficulty_factors == dossier.difficulty_factors
    assert summary.assessment == review.assessment
    assert summary.proposal == review.proposal
    assert summary.opinion is review.opinion


def test_the_summary_carries_an_anonymous_code_instead_of_the_reference() -> None:
    summary = candid_summary()
    assert re.fullmatch(r"ANO-[0-9A-F]{10}", summary.anonymous_code)
    assert summary.anonymous_code == ANONYMOUS_CODE
    assert filed().reference not in repr(summary)


def test_each_dossier_has_its_own_anonymous_code() -> None:
    other_id = UUID("0b7e9a52-3c1d-4e8f-a6b5-c4d3e2f1a0b9")
    other = anonymised_from(filed(dossier_id=other_id), reviewed(dossier_id=other_id))
    assert other.summary.anonymous_code != ANONYMOUS_CODE
    assert re.fullmatch(r"ANO-[0-9A-F]{10}", other.summary.anonymous_code)


def test_the_summary_gives_an_age_bracket_and_seniority_in_whole_years() -> None:
    summary = candid_summary()  # born 1978-06-15, affiliated 2015-09-01, anonymised 2024-03-18
    assert summary.age_bracket == "40-49"
    assert summary.seniority_years == 8


@pytest.mark.parametrize(
    ("affiliated_since", "years"),
    [(date(2016, 3, 18), 8), (date(2016, 3, 19), 7), (date(2024, 3, 18), 0)],
    ids=["anniversary-today", "anniversary-tomorrow", "affiliated-today"],
)
def test_seniority_counts_only_whole_years(affiliated_since: date, years: int) -> None:
    activity = file_dossier().activity
    filing = filed(activity=type(activity)(activity.kind, affiliated_since))
    assert anonymised_from(filing, reviewed()).summary.seniority_years == years


@pytest.mark.parametrize(
    ("birth_date", "bracket"),
    [
        (date(1984, 3, 18), "40-49"),
        (date(1984, 3, 19), "30-39"),
        (date(1964, 3, 19), "50-59"),
        (date(2004, 3, 18), "20-29"),
        (date(2005, 1, 1), "10-19"),
    ],
)
def test_the_age_bracket_is_ten_years_wide_and_turns_on_the_birthday(
    birth_date: date, bracket: str
) -> None:
    assert age_bracket(birth_date, date(2024, 3, 18)) == bracket


def test_the_summary_reads_the_latest_review() -> None:
    second = reviewed(
        occurred_at=datetime(2024, 3, 16, 9, 0, tzinfo=UTC), findings="Second look: confirmed."
    )
    summary = anonymised_from(filed(), reviewed(), second).summary
    assert summary.situation == "Second look: confirmed."
    assert "Contributions paid regularly" not in summary.situation


def test_a_summary_is_computed_on_the_day_of_anonymisation() -> None:
    a_year_later = datetime(2025, 3, 18, 8, 0, tzinfo=UTC)
    [event] = decide(anonymise_dossier(at=a_year_later), fold([filed(), reviewed()]))
    assert isinstance(event, DossierAnonymised)
    assert event.summary.seniority_years == 9
    assert event.occurred_at == a_year_later


def test_redaction_ignores_case_and_blacks_out_the_longest_value_first() -> None:
    text = "Mail G.KERBRAT@example.FR, signed Kerbrat."
    redacted = redact(text, ["Kerbrat", "g.kerbrat@example.fr"])
    assert redacted == f"Mail {REDACTED}, signed {REDACTED}."


def test_redaction_leaves_a_text_without_identifiers_unchanged() -> None:
    text = "Roadworks from May to October; turnover down by half."
    assert redact(text, ["Kerbrat", SIRET]) == text


# Identifiers as people write them, with spaces.


def test_a_phone_number_written_with_spaces_is_blacked_out() -> None:
    event = anonymised_from(filed(own_account="Call me on 06 12 34 56 78."), reviewed())
    assert "06 12 34 56 78" not in event.summary.situation


def test_a_siret_written_with_spaces_is_blacked_out() -> None:
    findings = "SIRET 732 829 320 00074 checked with the register."
    event = anonymised_from(filed(), reviewed(findings=findings))
    assert "732 829 320 00074" not in event.summary.situation


def test_the_town_and_postal_code_are_blacked_out_too() -> None:
    event = anonymised_from(filed(own_account="Mon atelier du 29200 Brest a fermé."), reviewed())
    assert "29200" not in event.summary.situation
    assert "Brest" not in event.summary.situation


def test_a_phone_number_written_the_international_way_is_blacked_out() -> None:
    event = anonymised_from(filed(own_account="Joignable au +33 6 12 34 56 78."), reviewed())
    assert "12 34 56 78" not in event.summary.situation


def test_a_birth_date_written_in_french_words_is_blacked_out() -> None:
    event = anonymised_from(filed(own_account="Née le 15 juin 1978 à Brest."), reviewed())
    assert "juin 1978" not in event.summary.situation


def test_a_name_written_without_its_accents_is_blacked_out() -> None:
    event = anonymised_from(filed(own_account="Signé : GWENAELLE kerbrat."), reviewed())
    assert "gwenaelle" not in event.summary.situation.lower()


def test_a_phone_number_written_with_0033_is_blacked_out() -> None:
    event = anonymised_from(filed(own_account="Appelez le 0033 6 12 34 56 78."), reviewed())
    assert "12 34 56 78" not in event.summary.situation


def test_a_value_inside_a_longer_number_is_left_alone() -> None:
    text = "Turnover 2920012 € in 2022."  # holds the postal code 29200, but is not it
    assert redact(text, ["29200"]) == text
