"""The anonymous file shown to the CASS: the review's facts and a short text written for the
commission, checked before it is accepted; never the findings nor the applicant's own account."""

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from examples import (
    ACTIVITY,
    ANONYMOUS_CODE,
    APPLICANT,
    COMMISSION_SUMMARY,
    DOSSIER_ID,
    NIR,
    REFERENCE,
    SIRET,
    SUMMARY,
    anonymise_dossier,
    file_dossier,
    filed,
    reviewed,
)
from spec import given

from domain.anonymisation import WITHHELD, age_bracket, for_the_commission
from domain.commission_text import MAX_LENGTH, spot
from domain.dossier import decide, fold
from domain.dossier_events import DossierAnonymised, DossierFiled, Event
from domain.values import Activity, Opinion, PostalAddress

CANDID_ACCOUNT = (
    "I am Gwenaëlle KERBRAT, born 15/06/1978, crêperie at 7 rue de Siam (SIRET 73282932000074,"
    " NIR 278062901912333). Write to G.Kerbrat@Example.fr or call 0612345678."
)
CANDID_FINDINGS = "Checked SIREN 732829320 and SIRET 73282932000074 with the register: kerbrat."


def anonymised_from(*history: Event, text: str = COMMISSION_SUMMARY) -> DossierAnonymised:
    [event] = decide(anonymise_dossier(commission_summary=text), fold(history))
    assert isinstance(event, DossierAnonymised)
    return event


def refusals(text: str, filing: DossierFiled | None = None) -> list[str]:
    """The reasons the text is refused for, when the commission is given it."""
    history = (filing or filed(), reviewed())
    refused = given(*history).when(anonymise_dossier(commission_summary=text))
    invalid = refused.then_invalid("commission_summary")
    return [problem.reason for problem in invalid.problems]


# What the commission reads


def test_the_summary_is_the_reviews_facts_and_the_text_written_for_the_commission() -> None:
    summary = anonymised_from(filed(), reviewed()).summary
    dossier, review = filed(), reviewed()
    assert summary == SUMMARY
    assert summary.situation == COMMISSION_SUMMARY
    assert summary.written_for_the_commission
    assert summary.region == dossier.region
    assert summary.activity_kind is dossier.activity.kind
    assert summary.aids_requested == dossier.aids
    assert summary.difficulty_factors == dossier.difficulty_factors
    assert summary.assessment == review.assessment
    assert summary.proposal == review.proposal
    assert summary.opinion is review.opinion


def test_the_commission_never_reads_the_findings_nor_the_applicants_own_account() -> None:
    event = anonymised_from(filed(own_account=CANDID_ACCOUNT), reviewed(findings=CANDID_FINDINGS))
    seen = repr(event.summary).lower()
    for value in (APPLICANT.last_name, APPLICANT.first_name, SIRET, SIRET[:9], NIR, "crêperie"):
        assert value.lower() not in seen
    assert "register" not in seen


def test_the_summary_carries_the_code_the_service_keyed_never_the_reference() -> None:
    summary = anonymised_from(filed(), reviewed()).summary
    assert summary.anonymous_code == ANONYMOUS_CODE
    assert filed().reference not in repr(summary)
    other = decide(anonymise_dossier(anonymous_code="ANO-0000000001"), fold([filed(), reviewed()]))
    assert isinstance(other[0], DossierAnonymised)
    assert other[0].summary.anonymous_code == "ANO-0000000001"


def test_a_summary_of_old_whose_text_nobody_checked_is_read_without_it() -> None:
    old = replace(SUMMARY, situation="Findings, blacked out: […]", written_for_the_commission=False)
    assert for_the_commission(old).situation == WITHHELD
    assert for_the_commission(old).assessment == SUMMARY.assessment
    assert for_the_commission(SUMMARY) == SUMMARY


def test_the_summary_gives_an_age_bracket_and_seniority_in_whole_years() -> None:
    summary = anonymised_from(filed(), reviewed()).summary  # born 1978-06-15, on 2024-03-18
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
    second = reviewed(occurred_at=datetime(2024, 3, 16, 9, 0, tzinfo=UTC), opinion=Opinion.RESERVED)
    summary = anonymised_from(filed(), reviewed(), second).summary
    assert summary.opinion is Opinion.RESERVED


def test_a_summary_is_computed_on_the_day_of_anonymisation() -> None:
    a_year_later = datetime(2025, 3, 18, 8, 0, tzinfo=UTC)
    [event] = decide(anonymise_dossier(at=a_year_later), fold([filed(), reviewed()]))
    assert isinstance(event, DossierAnonymised)
    assert event.summary.seniority_years == 9
    assert event.occurred_at == a_year_later


# The text for the commission is refused, never blacked out, when it names anyone


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Les travaux de la rue de Siam ont fait fuir la clientèle.", "the applicant's street"),
        ("Les clients du 7, rue de Siam sont partis.", "the applicant's address"),
        ("Adresse professionnelle au 7 rue de Siam.", "the applicant's address"),
        ("Son site sur example.fr ne vend plus.", "the applicant's e-mail domain"),
        ("Écrire à g.kerbrat@example.fr pour le suivi.", "the applicant's e-mail address"),
        ("Mme GWENAELLE, commerçante, a fermé.", "the applicant's first name"),
        ("La boutique Kerbrat a fermé trois mois.", "the applicant's last name"),
        ("SIRET 732 829 320 00074 vérifié.", "the applicant's SIRET"),
        ("SIREN 732829320 vérifié.", "the applicant's SIREN"),
        ("NIR 2 78 06 29 019 123 33 vérifié.", "the applicant's NIR"),
        ("Joignable au +33 6 12 34 56 78.", "the applicant's phone number"),
        ("Joignable au 0033 6 12 34 56 78.", "the applicant's phone number"),
        ("Le local du centre de Brest est fermé.", "the applicant's town"),
        ("Zone du 29200 touchée par les travaux.", "the applicant's postal code"),
        ("Née le 15 juin 1978.", "the applicant's birth date"),
        ("Née le 15/06/1978.", "the applicant's birth date"),
    ],
)
def test_a_text_naming_the_applicant_is_refused_saying_what_and_where(text: str, what: str) -> None:
    [reason] = refusals(text)
    assert reason.startswith(f"holds {what} (characters ")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Son associé Jean Dupont est parti avec la clientèle.", "a person's name"),
        ("Le bailleur, M. Le Goff, a doublé le loyer.", "a person's name"),
        ("Selon Madame Morvan, voisine, le local a brûlé.", "a person's name"),
        ("Le conjoint, NIR 1 84 12 2A 123 456 78, est salarié.", "a NIR"),
        ("Le conjoint, NIR 184127510001244, est salarié.", "a NIR"),
        ("Le fournisseur (SIRET 552 100 554 00025) a rompu le contrat.", "a SIRET"),
        ("Le fournisseur (SIREN 552100554) a rompu le contrat.", "a SIREN"),
        ("Virement sur FR76 3000 6000 0112 3456 7890 189.", "an IBAN"),
        ("Le comptable (compta@cabinet-breton.fr) confirme.", "an e-mail address"),
        ("Le comptable, au 02 98 76 54 32, confirme.", "a phone number"),
        ("Les travaux de l'avenue Jean Jaurès durent six mois.", "a street address"),
        ("Le chantier du boulevard de la Liberté a fermé l'accès.", "a street address"),
        ("Voir www.librairie-du-port.fr pour les horaires.", "a web address"),
    ],
)
def test_a_text_naming_anyone_is_refused_saying_what_and_where(text: str, what: str) -> None:
    [reason] = refusals(text)
    assert reason.startswith(f"holds {what} (characters ")


@pytest.mark.parametrize(
    "text",
    [
        "Baisse d'activité : chimiothérapie depuis mars.",
        "Un burn-out a imposé l'arrêt de l'activité.",
        "Dépression sévère après le sinistre.",
        "Arrêt maladie de trois mois.",
        "Hospitalisée en mai, puis en rééducation.",
    ],
)
def test_a_diagnosis_never_reaches_the_commission_only_the_category(text: str) -> None:
    [reason] = refusals(text)
    assert reason.startswith("holds a medical term (characters ")
    assert reason.endswith("the commission reads no diagnosis, only the category of difficulty")


def test_the_problem_says_where_but_never_repeats_what_it_found() -> None:
    [reason] = refusals("Les travaux de la rue de Siam ont fait fuir la clientèle.")
    assert reason == (
        "holds the applicant's street (characters 19-29): the commission reads no identifier; "
        "describe the situation without it"
    )
    assert "Siam" not in reason


def test_each_thing_found_is_listed_once_in_the_order_of_the_text() -> None:
    text = "M. Le Goff et Jean Dupont, rue de Siam ; joindre g.kerbrat@example.fr ; cancer."
    found = [(s.what, text[s.start : s.end]) for s in spot(text, APPLICANT)]
    assert found == [
        ("a person's name", "M. Le Goff"),
        ("a person's name", "Jean Dupont"),
        ("the applicant's street", "rue de Siam"),
        ("the applicant's e-mail address", "g.kerbrat@example.fr"),
        ("a medical term", "cancer"),
    ]
    assert len(refusals(text)) == 5


@pytest.mark.parametrize(
    "text",
    [
        COMMISSION_SUMMARY,
        "Baisse d'activité (problème de santé) : fermeture de trois mois, reprise en juin.",
        "En Bretagne, l'activité a chuté de 40 % ; Accord ACED souhaitable, AFE en complément.",
        "Chiffre d'affaires 2024 : 14 200 € ; charges 950 € par mois ; dues 2 480,00 €.",
        "Périodes du 01/10/2023 au 31/12/2023 ; échéancier respecté depuis 2019.",
        "Difficulté ponctuelle, activité viable : avis favorable. Le greffe confirme l'activité.",
        "Sinistre du 12/10/2026, déclaré à l'assureur ; orientation vers l'Assurance maladie.",
    ],
)
def test_an_ordinary_text_for_the_commission_is_accepted(text: str) -> None:
    assert spot(text, APPLICANT) == []
    assert anonymised_from(filed(), reviewed(), text=text).summary.situation == text


def test_the_text_for_the_commission_is_short_and_not_blank() -> None:
    assert refusals("  ") == ["must not be blank"]
    assert refusals("a" * (MAX_LENGTH + 1)) == [f"at most {MAX_LENGTH} characters"]
    assert anonymised_from(filed(), reviewed(), text="b" * MAX_LENGTH).summary.situation


def test_each_dossier_is_anonymised_under_the_code_given_for_it() -> None:
    other_id = UUID("0b7e9a52-3c1d-4e8f-a6b5-c4d3e2f1a0b9")
    command = anonymise_dossier(dossier_id=other_id, anonymous_code="ANO-1234567890")
    [event] = decide(command, fold([filed(dossier_id=other_id), reviewed(dossier_id=other_id)]))
    assert isinstance(event, DossierAnonymised)
    assert event.summary.anonymous_code == "ANO-1234567890"


# Plain French prose: what could hide a name or a number behind Unicode is refused


PLAIN_PROSE = "the text for the commission is plain French prose: retype it without it"


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (
            "SIRET ７３２８２９３２００００７４ vérifié.",
            "a digit other than 0-9 (character 7, and 13 more)",
        ),
        ("NIR ٢٧٨٠٦٢٩٠١٩١٢٣٣٣ vérifié.", "a digit other than 0-9 (character 5, and 14 more)"),
        ("La boutique de Mme Ker\u200bbrat a fermé.", "an invisible or control character"),
        ("La boutique ker\u00adbrat a fermé.", "an invisible or control character"),
        ("Suivie pour un can\u00adcer.", "an invisible or control character"),
        ("La boutique \u202ekerbrat\u202c a fermé.", "an invisible or control character"),
        ("La boutique Kеrbrаt a fermé.", "a letter outside the Latin alphabet French uses"),
        ("Suivie pour un cаncer.", "a letter outside the Latin alphabet French uses"),
        ("La boutique Ｋｅｒｂｒａｔ a fermé.", "a letter outside the Latin alphabet French uses"),
        ("La boutique ker\u0338brat a fermé.", "a combining mark"),
        ("Voir le ＳＩＲＥＴ ① du dossier.", "a letter outside the Latin alphabet French uses"),
    ],
    ids=[
        "fullwidth-digits",
        "arabic-indic-digits",
        "zero-width-space",
        "soft-hyphen-in-a-name",
        "soft-hyphen-in-a-diagnosis",
        "bidi-override",
        "cyrillic-look-alikes-in-a-name",
        "cyrillic-look-alike-in-a-diagnosis",
        "fullwidth-letters",
        "combining-mark-left-after-nfc",
        "styled-letters-and-digits",
    ],
)
def test_a_text_hiding_a_name_or_a_number_behind_unicode_is_refused(text: str, what: str) -> None:
    reasons = refusals(text)
    assert reasons[0].startswith(f"holds {what}")
    assert all(reason.endswith(PLAIN_PROSE) for reason in reasons)
    assert "rbrat" not in " ".join(reasons)  # said by its place, never by the value


def test_an_accent_typed_as_a_combining_mark_is_joined_and_the_name_found() -> None:
    [reason] = refusals("La boutique Kerbra\u0301t a fermé.")  # NFC makes it one letter
    assert reason.startswith("holds the applicant's last name (characters 13-19)")


def test_the_text_is_kept_in_nfc_and_french_typography_is_plain_prose() -> None:
    typed = "Activite\u0301 en baisse\u202f; local de 80\u00a0m² … reprise en juin."
    summary = anonymised_from(filed(), reviewed(), text=typed).summary
    assert summary.situation == unicodedata.normalize("NFC", typed)
    assert summary.situation.startswith("Activité en baisse")


# What links the entry back to the dossier


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (f"Dossier {DOSSIER_ID}, vu en mars.", "the dossier's id"),
        (f"Dossier {DOSSIER_ID.hex.upper()}, vu en mars.", "the dossier's id"),
        (f"Dossier {DOSSIER_ID.hex[:8]}, vu en mars.", "the dossier's id"),
        (f"Dossier {REFERENCE}, vu en mars.", "the dossier's reference"),
        (f"Dossier {REFERENCE.lower().replace('-', ' ')}, vu en mars.", "the dossier's reference"),
        ("Comme le 0b7e9a52-3c1d-4e8f-a6b5-c4d3e2f1a0b9, vu en mars.", "an id (UUID)"),
        ("Comme le AS-2025-1A2B3C4D, vu en mars.", "a dossier reference"),
        ("Comme le code 9f3e2a1b7c, vu en mars.", "a code that may name a record"),
    ],
)
def test_a_text_naming_the_dossier_or_any_record_is_refused(text: str, what: str) -> None:
    [reason] = refusals(text)
    assert reason.startswith(f"holds {what} (characters ")


# The activity, the street, numbers spaced as one likes

BOULANGERIE = Activity(ACTIVITY.kind, ACTIVITY.affiliated_since, "boulangerie ker avel")
AT_14_SIAM = PostalAddress(line1="14 rue de Siam", postal_code="29200", city="Brest")


@pytest.mark.parametrize(
    "text",
    [
        "La boulangerie ker avel a perdu ses clients.",
        "La Boulangerie Ker-Avel a perdu ses clients.",
        "Ker Avel a perdu ses clients.",
    ],
)
def test_a_text_naming_the_activitys_description_or_trade_name_is_refused(text: str) -> None:
    [reason] = refusals(text, filed(activity=BOULANGERIE))
    assert reason.startswith("holds the activity's description (characters ")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Les clients du 14 Siam sont partis.", "the applicant's street name"),
        ("Le quartier de Siam est en travaux.", "the applicant's street name"),
        ("Les travaux de la rue de siam durent.", "the applicant's street"),
        ("Les travaux de la rue de kerinou durent.", "a street address"),
        ("Le chantier du 3 place du marché durent.", "a street address"),
        ("Le chantier du boulevard de la liberté dure.", "a street address"),
    ],
)
def test_a_street_is_found_whatever_its_case_and_without_its_type(text: str, what: str) -> None:
    applicant = replace(APPLICANT, address=AT_14_SIAM)
    [reason] = refusals(text, filed(applicant=applicant))
    assert reason.startswith(f"holds {what} (characters ")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Virement sur FR76  3000  6000  0112  3456  7890  189.", "an IBAN"),
        ("Le fournisseur (SIREN 552  100   554) a rompu.", "a SIREN"),
        ("Le fournisseur (SIRET 552 100 554  00025) a rompu.", "a SIRET"),
        ("Le comptable, au 02  98  76  54  32, confirme.", "a phone number"),
        ("Le conjoint, NIR 1 84  12  2A  123 456  78, est salarié.", "a NIR"),
        ("SIREN 732  829  320 vérifié.", "the applicant's SIREN"),
    ],
)
def test_a_number_is_found_whatever_the_run_of_spaces_in_it(text: str, what: str) -> None:
    [reason] = refusals(text)
    assert reason.startswith(f"holds {what} (characters ")


# Diagnoses beyond the first list, spaced out or split


@pytest.mark.parametrize(
    "text",
    [
        "Atteinte de mucoviscidose.",
        "Une maladie de Crohn ralentit l'activité.",
        "Une polyarthrite l'empêche de travailler.",
        "Un lupus déclaré en mars.",
        "Une anorexie sévère.",
        "Suivie en oncologie depuis mars.",
        "Suivie pour une sclérose en plaques.",
        "Une insuffisance rénale impose des soins.",
        "Une fibromyalgie l'empêche de travailler.",
        "Une tentative de suicide en mars.",
        "Une hernie discale l'a arrêtée.",
        "Un mi-temps thérapeutique depuis mars.",
        "Séances de c h i m i o depuis mars.",
        "Séances de C.H.I.M.I.O depuis mars.",
        "Suivie pour un can-cer.",
        "Suivie pour un c-a-n-c-e-r.",
        "Suivie pour un burn out.",
    ],
)
def test_more_diagnoses_are_refused_even_spaced_out_or_split(text: str) -> None:
    [reason] = refusals(text)
    assert reason.startswith("holds a medical term (characters ")


def test_a_diagnosis_spaced_out_is_said_where_it_stands_in_the_text() -> None:
    text = "Séances de c h i m i o depuis mars."
    [found] = spot(text, APPLICANT)
    assert (found.what, text[found.start : found.end]) == ("a medical term", "c h i m i o")


@pytest.mark.parametrize(
    "text",
    [
        "Mise en place d'un échéancier au cours de l'année ; local en rez-de-chaussée.",
        "Activité amputée de 30 % ; contexte économique anxiogène ; c'est-à-dire peu de reprise.",
        "Périodes du 01/10/2023 - 31/12/2023 ; local de 80 m² ; reprise … en juin.",
        "L'Assurance maladie a été sollicitée ; il y a à faire sur la trésorerie.",
        "Le marché local s'est effondré ; la rue commerçante est déserte.",
        "Difficulté : perte de clientèle. Difficulté ponctuelle, activité viable : avis favorable.",
    ],
)
def test_ordinary_french_prose_is_still_accepted(text: str) -> None:
    assert (
        spot(text, APPLICANT, activity=ACTIVITY, dossier_id=DOSSIER_ID, reference=REFERENCE) == []
    )
    assert anonymised_from(filed(), reviewed(), text=text).summary.situation == text
