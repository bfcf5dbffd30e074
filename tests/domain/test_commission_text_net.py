"""The net over the text for the commission, tightened after a second outside review: the
dossier's names inside a run of spaced-out letters, and digits standing for letters."""

from dataclasses import replace

import pytest
from examples import APPLICANT, anonymise_dossier, filed, reviewed
from spec import given

from domain.commission_text import spot
from domain.dossier import decide, fold
from domain.dossier_events import DossierAnonymised
from domain.values import Applicant, PostalAddress

# The applicant of the review: Kerbrat Yann, 14 rue de Siam, Brest.
YANN = replace(
    APPLICANT,
    first_name="Yann",
    address=PostalAddress(line1="14 rue de Siam", postal_code="29200", city="Brest"),
)
MARTIN = replace(APPLICANT, last_name="Martin", first_name="Yann", email="y.martin@example.fr")


def found(text: str, applicant: Applicant = YANN) -> list[tuple[str, str]]:
    """What the check spots in the text, each with the stretch of the text it spans."""
    return [(s.what, text[s.start : s.end]) for s in spot(text, applicant)]


def refusals(text: str) -> list[str]:
    """The reasons the text is refused for, when the commission of Yann Kerbrat's dossier is
    given it."""
    refused = given(filed(applicant=YANN), reviewed()).when(
        anonymise_dossier(commission_summary=text)
    )
    return [problem.reason for problem in refused.then_invalid("commission_summary").problems]


def accepted(text: str) -> str:
    """What the commission reads of the text, once Yann Kerbrat's dossier is anonymised."""
    command = anonymise_dossier(commission_summary=text)
    [event] = decide(command, fold([filed(applicant=YANN), reviewed()]))
    assert isinstance(event, DossierAnonymised)
    return event.summary.situation


# The applicant's name spaced out or split, with more spaced letters after it


@pytest.mark.parametrize(
    ("text", "what", "stretch"),
    [
        ("K e r b r a t a des dettes.", "the applicant's last name", "K e r b r a t"),
        (
            "Le boulanger K-e-r-b-r-a-t a des dettes.",
            "the applicant's last name",
            "K-e-r-b-r-a-t",
        ),
        ("M. K e r b r a t a des dettes.", "the applicant's last name", "K e r b r a t"),
        ("Y a n n a des dettes.", "the applicant's first name", "Y a n n"),
        ("Selon y.a.n.n a des dettes.", "the applicant's first name", "y.a.n.n"),
        ("Les dettes de K e r b r a t y sont.", "the applicant's last name", "K e r b r a t"),
    ],
)
def test_the_applicants_name_is_found_in_a_spaced_out_run_whatever_letters_follow(
    text: str, what: str, stretch: str
) -> None:
    assert found(text) == [(what, stretch)]
    [reason] = refusals(text)
    start = text.index(stretch) + 1
    assert reason.startswith(f"holds {what} (characters {start}-{start + len(stretch) - 1})")


def test_a_name_is_never_found_inside_an_ordinary_word() -> None:
    assert found("Un client de la Martinique a annulé ; les Martiniquais aussi.", MARTIN) == []
    assert found("Un client de la M a r t i n i q u e a annulé.", MARTIN) == [
        ("the applicant's last name", "M a r t i n")
    ]


@pytest.mark.parametrize(
    ("text", "what", "stretch"),
    [
        ("K3rbrat a des dettes.", "the applicant's last name", "K3rbrat"),
        ("Y4nn a des dettes.", "the applicant's first name", "Y4nn"),
        ("Suivie pour un canc3r.", "a medical term", "canc3r"),
        ("Séances de ch1mio depuis mars.", "a medical term", "ch1mio"),
        ("Suivie pour un c-4-n-c-3-r.", "a medical term", "c-4-n-c-3-r"),
    ],
)
def test_digits_standing_for_letters_inside_a_word_are_read_as_those_letters(
    text: str, what: str, stretch: str
) -> None:
    assert found(text) == [(what, stretch)]


def test_codes_of_one_letter_and_digits_are_read_as_written() -> None:
    assert found("T4 2023 et Q1 2024 impayés ; local F3 de 80 m2 ; 1er et 2e trimestres.") == []
