"""The net over the text for the commission after the second pass of the outside review: the
dossier's names split by spaces inside; civilities in lower case or without their period,
initials and hyphenated names; abbreviated street types and the dossier's own street; more health
details and prescription drugs; and the prose the commission reads still passes."""

from dataclasses import replace

import pytest
from examples import APPLICANT, YANN

from domain.commission_text import spot
from domain.values import Applicant, PostalAddress

# The applicants of the review: Kerbrat Yann, 14 rue de Siam, Brest (examples.YANN); and
# Lefebvre Sandrine, 4 place du Marché, Nantes (the applicant of the API tests).
SANDRINE = replace(
    APPLICANT,
    last_name="Lefebvre",
    first_name="Sandrine",
    email="sandrine.lefebvre@example.fr",
    address=PostalAddress(line1="4 place du Marché", postal_code="44000", city="Nantes"),
)


def found(text: str, applicant: Applicant = YANN) -> list[tuple[str, str]]:
    """What the check spots in the text, each with the stretch of the text it spans."""
    return [(s.what, text[s.start : s.end]) for s in spot(text, applicant)]


# The dossier's names split by spaces inside


@pytest.mark.parametrize(
    ("text", "applicant", "what", "stretch"),
    [
        ("Ker brat a des dettes.", YANN, "the applicant's last name", "Ker brat"),
        ("Kerb rat a des dettes.", YANN, "the applicant's last name", "Kerb rat"),
        ("Les dettes de ker  b rat sont lourdes.", YANN, "the applicant's last name", "ker  b rat"),
        ("Ya nn a des dettes.", YANN, "the applicant's first name", "Ya nn"),
        ("Lefeb vre a des dettes.", SANDRINE, "the applicant's last name", "Lefeb vre"),
        ("Sand rine a des dettes.", SANDRINE, "the applicant's first name", "Sand rine"),
        ("Le local de Na ntes est fermé.", SANDRINE, "the applicant's town", "Na ntes"),
    ],
)
def test_the_dossiers_name_split_by_spaces_inside_is_found(
    text: str, applicant: Applicant, what: str, stretch: str
) -> None:
    assert found(text, applicant) == [(what, stretch)]


DUPONT = replace(APPLICANT, last_name="Dupont", first_name="Yann", email="y.dupont@example.fr")
LEMAIRE = replace(DUPONT, last_name="Lemaire")


def test_a_name_split_into_words_of_prose_is_prose_unless_written_as_a_name() -> None:
    assert found("Les travaux du pont ont duré six mois.", DUPONT) == []
    assert found("Selon le maire, les travaux dureront.", LEMAIRE) == []
    assert found("Du Pont a des dettes.", DUPONT) == [("the applicant's last name", "Du Pont")]
    assert found("Le Maire a des dettes.", LEMAIRE) == [("the applicant's last name", "Le Maire")]


@pytest.mark.parametrize("applicant", [YANN, SANDRINE, DUPONT, LEMAIRE], ids=lambda a: a.last_name)
@pytest.mark.parametrize(
    "text",
    [
        "Baisse d'activité (problème de santé) : fermeture de trois mois ; cotisations payées "
        "jusqu'en 2025, difficulté ponctuelle.",
        "Baisse d'activité de 40 % depuis les travaux de voirie ; mise en place d'un échéancier en"
        " cours ; se retrouve à la rue faute de revenus.",
        "Difficulté : perte de clientèle, travaux de voirie. Difficulté ponctuelle, activité "
        "viable : avis favorable.",
        "Difficulté : cessation d'activité. Non imposable les deux années avant le départ : avis "
        "favorable.",
        "Les avis d'imposition des deux années avant le départ sont attendus ; le bilan 2025 est "
        "attendu.",
        "La rue commerçante est déserte ; il y a à faire sur la trésorerie.",
        "Le local de 3 m de façade ; 80 m² de surface ; voir p. 12 du bilan.",
        "Travailleur en cumul emploi-retraite : avis défavorable ; dégâts constatés sur photos.",
    ],
)
def test_ordinary_prose_is_accepted_whoever_the_applicant(text: str, applicant: Applicant) -> None:
    assert found(text, applicant) == []


# Civilities in lower case or without their period, initials, hyphenated names


@pytest.mark.parametrize(
    ("text", "stretch"),
    [
        ("Le voisin, m. martin, a témoigné.", "m. martin"),
        ("Le bailleur, m dupont, a doublé le loyer.", "m dupont"),
        ("Le bailleur, M dupont, a doublé le loyer.", "M dupont"),
        ("Le bailleur, M Le Goff, a doublé le loyer.", "M Le Goff"),
        ("Les associés, mm dupont et durand, sont partis.", "mm dupont"),
        ("Le voisin, p. martin, a témoigné.", "p. martin"),
        ("Son associé J. Dupont est parti.", "J. Dupont"),
        ("Selon J.-P. Martin, le local a brûlé.", "J.-P. Martin"),
        ("pierre-martin a des dettes.", "pierre-martin"),
        ("PIERRE-MARTIN a des dettes.", "PIERRE-MARTIN"),
        ("Son associée Marie-Claire est partie.", "Marie-Claire"),
    ],
)
def test_a_civility_an_initial_or_a_hyphen_before_a_name_is_a_persons_name(
    text: str, stretch: str
) -> None:
    assert found(text) == [("a person's name", stretch)]


@pytest.mark.parametrize(
    "text",
    [
        "Le local de 3 m de façade ; trois m de vitrine ; 80 m² ; 2 mm de pluie ; taille M vendue.",
        "M. le maire a soutenu le commerce ; m. le préfet aussi ; M. X a déclaré la perte.",
        "Voir p. 12 du bilan, p. suivante ; p. ex. un client ; c. à d. sans reprise.",
        "Le plan B. Activité reprise en juin ; l'annexe A. Bilan joint.",
        "Un martin-pêcheur sur l'enseigne ; un rez-de-chaussée ; un sous-traitant.",
    ],
)
def test_units_pages_offices_and_labels_name_nobody(text: str) -> None:
    assert found(text) == []


# Abbreviated street types; the dossier's own street, and its name when it is a word of prose


@pytest.mark.parametrize(
    ("text", "stretch"),
    [
        ("Le local, r. de siam, est fermé.", "r. de siam"),
        ("Le chantier av foch a fermé l'accès.", "av foch"),
        ("Le chantier de l'av. foch a fermé l'accès.", "av. foch"),
        ("Le local du bd haussmann est fermé.", "bd haussmann"),
        ("Le local du Bd Haussmann est fermé.", "Bd Haussmann"),
        ("Le local du bvd gambetta est fermé.", "bvd gambetta"),
        ("Le local de la pl. de la mairie est fermé.", "pl. de la mairie"),
        ("Le local de l'imp. des lilas est fermé.", "imp. des lilas"),
        ("Le local du fbg saint-antoine est fermé.", "fbg saint-antoine"),
        ("Le local de la rte de quimper est fermé.", "rte de quimper"),
    ],
)
def test_an_abbreviated_street_type_before_a_name_is_a_street(text: str, stretch: str) -> None:
    assert found(text, SANDRINE) == [("a street address", stretch)]


def test_the_dossiers_street_is_found_without_its_number_whatever_its_case() -> None:
    text = "Les travaux de la place du marché durent."
    assert found(text, SANDRINE) == [("the applicant's street", "place du marché")]
    assert found("Les clients du 4 Marché sont partis.", SANDRINE) == [
        ("the applicant's street name", "4 Marché")
    ]
    assert found("Le quartier de Siam est en travaux.") == [("the applicant's street name", "Siam")]


AT_THE_SCHOOLS = replace(
    SANDRINE, address=PostalAddress(line1="12 rue des Écoles", postal_code="44000", city="Nantes")
)


@pytest.mark.parametrize(
    ("text", "applicant"),
    [
        ("Le marché local s'est effondré ; les marchés de plein air aussi.", SANDRINE),
        ("Les écoles du quartier ont fermé pendant les travaux.", AT_THE_SCHOOLS),
        ("Une librairie de BD d'occasion ; des BD anciennes ; la BD jeunesse ; en bd aussi.", YANN),
        ("La rue restera fermée jusqu'en juin ; la rue rouvrira en mai.", YANN),
    ],
)
def test_a_street_name_that_is_a_word_of_prose_and_bd_are_prose(
    text: str, applicant: Applicant
) -> None:
    assert found(text, applicant) == []


# More health details, and prescription drugs by their brand or molecule


@pytest.mark.parametrize(
    ("text", "stretch"),
    [
        ("Sous traitement hormonal depuis mars.", "hormonal"),
        ("Une bipolarité diagnostiquée en mars.", "bipolarité"),
        ("Elle a perdu la vue l'an dernier.", "perdu la vue"),
        ("Il a perdu l'usage de la main droite.", "perdu l'usage de la main"),
        ("Devenue aveugle, elle a fermé.", "aveugle"),
        ("Il est sourd depuis l'accident.", "sourd"),
        ("Elle est devenue sourde.", "sourde"),
        ("Non-voyant depuis l'accident.", "Non-voyant"),
        ("Sous Lévothyrox depuis mars.", "Lévothyrox"),
        ("Elle attend un enfant pour juin.", "attend un enfant"),
        ("Elle attendait son deuxième enfant.", "attendait son deuxième enfant"),
        ("Le couple attend des jumeaux.", "attend des jumeaux"),
    ],
)
def test_what_the_second_pass_slipped_past_is_a_medical_term(text: str, stretch: str) -> None:
    assert found(text) == [("a medical term", stretch)]


@pytest.mark.parametrize(
    "drug",
    [
        "Kardegic",
        "Xanax",
        "Lexomil",
        "Prozac",
        "Deroxat",
        "Seroplex",
        "Tahor",
        "Levothyrox",
        "Plavix",
        "Xarelto",
        "Eliquis",
        "Previscan",
        "Lasilix",
        "Stilnox",
        "Imovane",
        "Temesta",
        "Lyrica",
        "Effexor",
        "Zoloft",
        "Risperdal",
        "Zyprexa",
        "Abilify",
        "Depakine",
        "Lamictal",
        "Keppra",
        "Ventoline",
        "Glucophage",
        "Lantus",
        "Skenan",
        "Ritaline",
        "Cortancyl",
        "Humira",
        "Méthotrexate",
        "Tamoxifène",
        "Metformine",
        "Sertraline",
        "Paroxétine",
        "Alprazolam",
        "Zolpidem",
    ],
)
def test_a_prescription_drug_is_a_medical_term(drug: str) -> None:
    assert found(f"Sous {drug} depuis mars.") == [("a medical term", drug)]


@pytest.mark.parametrize(
    "text",
    [
        "Le bailleur fait la sourde oreille ; un bruit sourd ; une colère sourde des riverains.",
        "Un mur aveugle donne sur la cour ; une confiance aveugle dans son fournisseur ; un test à"
        " l'aveugle.",
        "La crèche attend des enfants à la rentrée ; le comptable a perdu de vue le dossier.",
        "La pharmacie vend moins de Doliprane et de Dafalgan ; le rayon hygiène recule.",
        "Les batteries au lithium du stock ont brûlé ; une concertation avec les riverains.",
        "Les ventes ont baissé, le chiffre d'affaires aussi ; la vue sur la mer attire du monde.",
    ],
)
def test_words_of_prose_near_these_are_no_medical_term(text: str) -> None:
    assert found(text) == []


# The enceinte of a place, or a loudspeaker


@pytest.mark.parametrize("applicant", [YANN, SANDRINE], ids=lambda a: a.last_name)
@pytest.mark.parametrize(
    "text",
    [
        "Une enceinte de marché a fermé.",
        "L'enceinte du marché est fermée ; une enceinte des halles ; une enceinte de la foire.",
        "Un stand dans une enceinte d'exposition ; une enceinte de stade.",
        "Une enceinte connectée volée ; une enceinte Bluetooth ; une enceinte acoustique.",
    ],
)
def test_the_enceinte_of_a_place_or_a_loudspeaker_is_no_pregnancy(
    text: str, applicant: Applicant
) -> None:
    assert found(text, applicant) == []


@pytest.mark.parametrize(
    ("text", "stretch"),
    [
        ("Enceinte de six mois.", "Enceinte"),
        ("Elle est enceinte de jumeaux.", "enceinte"),
        ("Enceinte du deuxième enfant.", "Enceinte"),
        ("Une commerçante enceinte a fermé.", "enceinte"),
    ],
)
def test_a_woman_enceinte_is_still_a_medical_term(text: str, stretch: str) -> None:
    assert found(text) == [("a medical term", stretch)]
