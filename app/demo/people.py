"""Demo data, the people in the dossiers: fictional workers, what they ask and tell, what their
reviewers establish and what caseworkers and commissions write. Nothing here knows when."""

import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from app.services.dossiers import reference_for
from app.services.identifiers import with_luhn_digit, with_nir_key
from domain.commission_text import LEAFLET_CATEGORIES
from domain.dossier import DecideDossier, FileDossier, ReviewDossier
from domain.eligibility import Finding, Result
from domain.rulebook import Rulebook, add_months
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    CatastropheClaim,
    ContributionPeriod,
    IntakeChannel,
    Opinion,
    Outcome,
    PostalAddress,
    Situation,
)
from domain.values import DifficultyFactor as F
from domain.values import DocumentKind as Doc


class Region(NamedTuple):
    code: str  # as written in CASS session references
    weight: int  # how often the draw picks it
    mobiles: str  # mobile phone prefixes
    places: str  # postal codes and cities


MAINLAND = "06 07"
REGIONS = {
    "auvergne-rhone-alpes": Region("ARA", 3, MAINLAND, "69003 Lyon, 38000 Grenoble"),
    "bretagne": Region("BRE", 2, MAINLAND, "35000 Rennes, 29200 Brest"),
    "corse": Region("COR", 1, MAINLAND, "20000 Ajaccio, 20200 Bastia"),
    "grand-est": Region("GE", 2, MAINLAND, "57000 Metz, 67000 Strasbourg"),
    "hauts-de-france": Region("HDF", 2, MAINLAND, "59000 Lille, 80000 Amiens"),
    "ile-de-france": Region("IDF", 4, MAINLAND, "75011 Paris, 93100 Montreuil"),
    "normandie": Region("NOR", 1, MAINLAND, "76000 Rouen, 14000 Caen"),
    "nouvelle-aquitaine": Region("NA", 2, MAINLAND, "33000 Bordeaux, 64100 Bayonne"),
    "occitanie": Region("OCC", 2, MAINLAND, "31000 Toulouse, 11000 Carcassonne"),
    "pays-de-la-loire": Region("PDL", 2, MAINLAND, "44000 Nantes, 49100 Angers"),
    "provence-alpes-cote-d-azur": Region("PACA", 2, MAINLAND, "13001 Marseille, 06000 Nice"),
    "guadeloupe": Region("GUA", 1, "0690 0691", "97110 Pointe-à-Pitre, 97100 Basse-Terre"),
    "la-reunion": Region("REU", 1, "0692 0693", "97400 Saint-Denis, 97410 Saint-Pierre"),
}
LAST_NAMES = (
    "Martin, Bernard, Dubois, Lefèvre, Moreau, Girard, Roux, Fontaine, Le Gall, Morel, Fournier, "
    "Lambert, Bonnet, Mercier, Garnier, Faure, Guérin, Muller, Perrin, Payet, Hoarau, Santoni"
)
FIRST_NAMES = {
    1: ["Thierry", "Julien", "Nicolas", "Sébastien", "Karim", "Olivier", "Yann", "Hugo", "Loïc"],
    2: ["Sophie", "Nathalie", "Camille", "Julie", "Aurélie", "Émilie", "Céline", "Léa", "Inès"],
}
STREETS = (
    "rue de la République, avenue Jean Jaurès, rue Victor Hugo, place du Marché, "
    "boulevard Gambetta, rue des Écoles, chemin des Vignes, allée des Tilleuls"
)
TRADES = {
    ActivityKind.ARTISAN: ["boulangerie", "plomberie-chauffage", "menuiserie", "coiffure"],
    ActivityKind.COMMERCANT: ["épicerie fine", "fleuriste", "librairie", "restaurant"],
    ActivityKind.PROFESSION_LIBERALE: ["architecte", "traductrice", "ostéopathe"],
    ActivityKind.MICRO_ENTREPRENEUR: ["graphisme", "VTC", "photographie", "cours particuliers"],
}
RETIRING_KINDS = [ActivityKind.ARTISAN, ActivityKind.COMMERCANT]  # who the ADR is for
# Euros asked: the least, the most and the most common (ACED: 400 to 1 250 € per quarter, 1 to 4
# quarters); a partial grant gives at least LEAST. A large AFE may be above the standard scheme's
# ceiling: its review then finds afe_within_ceiling failed, and the AFE is not granted.
ASKED = {Aid.AFE: (800, 2000, 1500), Aid.FCI: (500, 2000, 1800), Aid.ADR: (7750, 10_000, 9000)}
LARGE_AFE = (800, 6000, 2500)
LEAST = {Aid.ACED: 250, Aid.AFE: 500, Aid.FCI: 300, Aid.ADR: 7500}


ACCOUNTS = {
    F.ROADWORKS: "Les travaux de voirie devant mon local durent depuis six mois.",
    F.LOSS_OF_CUSTOMERS: "Mon principal client est parti ; mon chiffre d'affaires a chuté.",
    F.DROP_IN_ACTIVITY_HEALTH_PROBLEM: "Opéré, j'ai dû arrêter de travailler pendant trois mois.",
    F.DROP_IN_ACTIVITY_HEALTH_CRISIS: "Mon activité ne s'est pas remise de la crise sanitaire.",
}
RETIRING = "Je pars à la retraite avec de très faibles revenus ces deux dernières années."
FINDINGS = {
    Aid.ACED: {
        Opinion.FAVOURABLE: "Difficulté ponctuelle, activité viable : avis favorable.",
        Opinion.UNFAVOURABLE: "Difficulté structurelle, charges trop lourdes : avis défavorable.",
        Opinion.RESERVED: "Activité principale à établir : le bilan 2025 est attendu.",
    },
    Aid.FCI: {
        Opinion.FAVOURABLE: "Dégâts constatés sur photos, activité principale : avis favorable.",
        Opinion.UNFAVOURABLE: "Travailleur en cumul emploi-retraite : avis défavorable.",
        Opinion.RESERVED: "Activité à confirmer : l'attestation de l'assureur est attendue.",
    },
    Aid.ADR: {
        Opinion.FAVOURABLE: "Non imposable les deux années avant le départ : avis favorable.",
        Opinion.UNFAVOURABLE: "Imposable l'année avant le départ : avis défavorable.",
        Opinion.RESERVED: "Les avis d'imposition des deux années avant le départ sont attendus.",
    },
}
OPINIONS = {Outcome.REJECTED: Opinion.UNFAVOURABLE, Outcome.ADJOURNED: Opinion.RESERVED}
REASONS = {
    Outcome.GRANTED_IN_FULL: "Difficulté ponctuelle avérée : l'aide proposée est accordée.",
    Outcome.GRANTED_IN_PART: "Accordée en partie, période courante d'abord ; solde en échéancier.",
    Outcome.REJECTED: "Difficulté structurelle : l'aide ne rétablirait pas la situation.",
    Outcome.ADJOURNED: "Ajourné : la commission demande le bilan 2025.",
}
SPECIFIC_REASONS = {
    (Aid.FCI, Outcome.GRANTED_IN_FULL): "Sinistre avéré pendant l'événement : aide accordée.",
    (Aid.FCI, Outcome.GRANTED_IN_PART): "Aide accordée en partie, l'assureur couvrant le reste.",
    (Aid.FCI, Outcome.REJECTED): "En cumul emploi-retraite : la demande relève de la Carsat.",
    (
        Aid.ADR,
        Outcome.GRANTED_IN_FULL,
    ): "Conditions de l'ADR réunies : l'aide au départ est accordée.",
}
# Why an aid is left out of a partial grant, by the rule its review found failed.
LEFT_OUT = {
    "afe_within_ceiling": "l'AFE demandée dépasse le plafond du dispositif",
    "afe_not_above_contributions_paid": "l'AFE demandée dépasse les cotisations versées",
}
LEFT_OUT_OTHERWISE = "une condition de l'aide n'est pas remplie à l'instruction"
MISSING = "Pièces manquantes pour instruire la demande."
RECOURS = "Recours gracieux : mon bilan 2025, joint, montre une baisse d'activité ponctuelle."
TAKEN_OFF = "Ordre du jour chargé : le dossier passe à la séance suivante de la commission."
WITHDRAWAL = "Un échéancier accordé entre-temps suffit : je retire ma demande."
CLOSING = "Les pièces demandées ne sont pas arrivées à l'échéance : dossier classé sans suite."


@dataclass(frozen=True)
class Worker:
    """A demo dossier's worker: the filing, and what reviews will establish of them."""

    agent: str  # the caseworker who follows the dossier
    aid: Aid  # the aid whose rules and wording lead
    filing: FileDossier
    asked: tuple[AidAmount, ...]
    assessment: Assessment
    facts: Situation
    rng: random.Random


def file(
    dossier_id: UUID,
    at: datetime,
    region: str,
    aids: tuple[Aid, ...],
    *,
    outcomes: frozenset[Outcome],
    documents_missing: bool,
    catastrophe: tuple[CatastropheClaim, str] | None,
) -> Worker:
    """A worker of the region files for the aids; `outcomes` are the decisions to come (an AFE
    above its ceiling is only asked where it will not be granted in full)."""
    rng, retiring = random.Random(f"{dossier_id}-worker"), Aid.ADR in aids
    applicant, activity = worker(region, retiring, at.date(), rng)
    large_afe = bool(outcomes) and Outcome.GRANTED_IN_FULL not in outcomes
    request = tuple(asked(aid, at.date(), rng, large_afe=large_afe) for aid in aids)
    if catastrophe:
        factor, account = F.FIRE_OR_CATASTROPHE, catastrophe[1]
    elif retiring:
        factor, account = F.CESSATION_OF_ACTIVITY, RETIRING
    else:
        factor = rng.choice(list(ACCOUNTS))
        account = ACCOUNTS[factor]
    channel, agent = rng.choice(list(IntakeChannel)), f"agent-{region}-{rng.randint(1, 3):02d}"
    filing = FileDossier(
        dossier_id=dossier_id,
        reference=reference_for(dossier_id, at),
        at=at,
        actor=agent if channel in (IntakeChannel.MAIL, IntakeChannel.HELP) else "applicant",
        applicant=applicant,
        activity=activity,
        region=region,
        aids=tuple(AidRequest(a.aid, a.amount, a.periods) for a in request),
        difficulty_factors=(factor,),
        own_account=account,
        channel=channel,
        documents=documents(aids, missing(aids) if documents_missing else ()),
        catastrophe=catastrophe[0] if catastrophe else None,
    )
    return Worker(
        agent=agent,
        aid=Aid.FCI if catastrophe else Aid.ADR if retiring else Aid.ACED,
        filing=filing,
        asked=request,
        assessment=assessment(request, at.year - activity.affiliated_since.year, rng),
        facts=established(factor, activity, at.date(), retiring, rng),
        rng=rng,
    )


def review(
    worker: Worker, at: datetime, upcoming: Outcome | None, rulebook: Rulebook
) -> ReviewDossier:
    """The review that leads to the decision to come; with none yet, the reviewer may still
    have a fact to establish."""
    rng = worker.rng
    if upcoming is None:
        opinion = Opinion.RESERVED if rng.random() < 0.3 else Opinion.FAVOURABLE
    else:
        opinion = OPINIONS.get(upcoming, Opinion.FAVOURABLE)
    # a reviewer proposes no aid asked above its ceiling: that rule fails, it cannot be granted
    proposable = tuple(a for a in worker.asked if within_ceiling(a, rulebook))
    if opinion is Opinion.UNFAVOURABLE:
        proposal: tuple[AidAmount, ...] = ()
    elif upcoming is Outcome.GRANTED_IN_PART and len(proposable) == len(worker.asked):
        proposal = tuple(partial(a) for a in proposable)
    else:
        proposal = proposable
    findings = f"{_circumstances(worker)} {FINDINGS[worker.aid][opinion]}"
    return ReviewDossier(
        worker.filing.dossier_id,
        at,
        worker.agent,
        findings,
        worker.assessment,
        proposal,
        opinion,
        as_found(worker.facts, worker.aid, opinion, rng),
        rulebook,
    )


def commission_summary(worker: Worker, opinion: Opinion) -> str:
    """What the reviewer writes for the commission: the leaflet's category of the difficulty and
    the gist of the review, no name, place nor diagnosis."""
    factors = ", ".join(LEAFLET_CATEGORIES[f] for f in worker.filing.difficulty_factors)
    return f"Difficulté : {factors}. {FINDINGS[worker.aid][opinion]}"


def decision(
    worker: Worker,
    at: datetime,
    actor: str,
    outcome: Outcome,
    rulebook: Rulebook,
    findings: tuple[Finding, ...],
    *,
    on_recours: bool = False,
) -> DecideDossier:
    """The commission's decision on the review's findings: it never grants an aid whose rules
    failed. Granted in part, it leaves such an aid out and grants the others as asked, or, when
    every aid may be granted, less of each."""
    failed: dict[Aid, str] = {}  # each aid with the first of its rules found failed
    for finding in findings:
        if finding.result is Result.FAILED:
            failed.setdefault(finding.aid, finding.rule)
    reason = SPECIFIC_REASONS.get((worker.aid, outcome), REASONS[outcome])
    granted: tuple[AidAmount, ...] = ()
    if outcome is Outcome.GRANTED_IN_FULL:
        granted = worker.asked
    elif outcome is Outcome.GRANTED_IN_PART and failed:
        granted = tuple(a for a in worker.asked if a.aid not in failed)
        left_out = "; ".join(
            f"{aid} non accordée : {LEFT_OUT.get(rule, LEFT_OUT_OTHERWISE)}"
            for aid, rule in failed.items()
        )
        kept = ", ".join(a.aid for a in granted)
        reason = f"{kept} accordée comme demandée ; {left_out}."
    elif outcome is Outcome.GRANTED_IN_PART:
        granted = tuple(partial(a) for a in worker.asked)
    grants = outcome in (Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART)
    if grants and (not granted or any(a.aid in failed for a in granted)):
        raise ValueError(f"demo plan: {outcome} of {worker.filing.reference}, failed {failed}")
    if on_recours:
        reason = f"Sur recours gracieux : {reason[0].lower()}{reason[1:]}"
    return DecideDossier(worker.filing.dossier_id, at, actor, outcome, granted, reason, rulebook)


def _circumstances(worker: Worker) -> str:
    facts, claim = worker.facts, worker.filing.catastrophe
    if claim:
        return f"Sinistre du {claim.damage_date:%d/%m/%Y}, déclaré à l'assureur."
    if facts.retirement_date and worker.aid is Aid.ADR:
        quarters = facts.quarters_as_self_employed
        return f"Retraite au {facts.retirement_date:%d/%m/%Y}, après {quarters} trimestres."
    return f"Affilié(e) en {worker.filing.activity.affiliated_since.year}."


def missing(aids: tuple[Aid, ...]) -> tuple[Doc, ...]:
    """The documents a caseworker asks for when the filing lacks them."""
    return (Doc.INSURANCE_CLAIM,) if Aid.FCI in aids else (Doc.TAX_NOTICE, Doc.PROOF_OF_DIFFICULTY)


def documents(aids: tuple[Aid, ...], missing: tuple[Doc, ...]) -> tuple[Doc, ...]:
    found = [Doc.APPLICATION_FORM, Doc.BANK_DETAILS, Doc.SWORN_STATEMENT]
    if Aid.FCI in aids:
        found += [Doc.DAMAGE_PHOTOS, Doc.INSURANCE_CLAIM]
    else:
        found += [Doc.TAX_NOTICE, Doc.PROOF_OF_DIFFICULTY]
    if Aid.ADR in aids:
        found.append(Doc.RETIREMENT_CERTIFICATE)
    return tuple(doc for doc in found if doc not in missing)


def worker(
    region: str, retiring: bool, filed: date, rng: random.Random
) -> tuple[Applicant, Activity]:
    """A fictional worker of the region with valid identifiers; a retiring one is 65 to 68."""
    sex, mobile = rng.choice((1, 2)), rng.choice(REGIONS[region].mobiles.split())
    first, last = rng.choice(FIRST_NAMES[sex]), rng.choice(LAST_NAMES.split(", "))
    born = rng.randint(1958, 1960) if retiring else rng.randint(1964, 2000)
    birth = date(born, rng.randint(1, 12), rng.randint(1, 28))
    since = (
        rng.randint(1985, 2005) if retiring else rng.randint(max(born + 20, 1998), filed.year - 3)
    )
    kind = rng.choice(RETIRING_KINDS if retiring else list(TRADES))
    postal_code, city = rng.choice(REGIONS[region].places.split(", ")).split(" ", 1)
    with_nir = retiring or rng.random() < 0.8  # an ADR request needs the NIR
    applicant = Applicant(
        last_name=last,
        first_name=first,
        birth_date=birth,
        siret=_siret(rng),
        email=f"{_slug(first)}.{_slug(last)}@{rng.choice(('example.fr', 'example.com'))}",
        phone=mobile + "".join(str(rng.randint(0, 9)) for _ in range(10 - len(mobile))),
        address=PostalAddress(
            f"{rng.randint(1, 120)} {rng.choice(STREETS.split(', '))}", postal_code, city
        ),
        nir=_nir(sex, birth, _department(postal_code), rng) if with_nir else None,
    )
    return applicant, Activity(kind, date(since, rng.randint(1, 12), 1), rng.choice(TRADES[kind]))


def asked(aid: Aid, filed: date, rng: random.Random, *, large_afe: bool = False) -> AidAmount:
    """What the worker asks, in the domain's ranges; ACED names quarters up to the current one."""
    if aid is Aid.ACED:
        current = filed.year * 4 + (filed.month - 1) // 3
        periods = tuple(_quarter(q, rng) for q in range(current - rng.randint(0, 3), current + 1))
        return AidAmount(aid, sum((p.amount for p in periods), Decimal("0.00")), periods)
    low, high, mode = LARGE_AFE if aid is Aid.AFE and large_afe else ASKED[aid]
    return AidAmount(aid, _eur(round(rng.triangular(low, high, mode) / 50) * 5000))


def partial(asked: AidAmount) -> AidAmount:
    """Less than asked: ACED keeps the current period, then the oldest (of a single period, 60 %
    of it); other aids get 60 %, and at least LEAST."""
    if asked.aid is Aid.ACED and len(asked.periods) > 1:
        kept = (asked.periods[-1], *asked.periods[:-1])[: len(asked.periods) - 1]
        periods = tuple(sorted(kept, key=lambda p: p.start))
        return AidAmount(asked.aid, sum((p.amount for p in periods), Decimal("0.00")), periods)
    amount = max(_eur(LEAST[asked.aid] * 100), _eur(int(asked.amount * 60)))  # 60 % in cents
    assert amount < asked.amount, asked
    return replace(asked, amount=amount)


def within_ceiling(asked: AidAmount, rulebook: Rulebook) -> bool:
    """Whether the amount asked is within the aid's ceiling (the standard scheme for an AFE)."""
    ceiling = {
        Aid.AFE: rulebook.afe_ceiling("standard"),
        Aid.FCI: rulebook.fci_ceiling,
        Aid.ADR: rulebook.adr_ceiling,
    }.get(asked.aid)
    return ceiling is None or asked.amount <= ceiling


def assessment(asked: tuple[AidAmount, ...], seniority: int, rng: random.Random) -> Assessment:
    total = sum((a.amount for a in asked), Decimal("0.00"))
    return Assessment(
        annual_income=_eur(rng.randint(600_000, 3_200_000)),
        monthly_charges=_eur(rng.randint(60_000, 240_000)),
        contributions_due=total + _eur(rng.randint(0, 150_000)),
        contributions_paid=total + _eur(seniority * rng.randint(150_000, 400_000)),
        household_size=rng.randint(1, 5),
        has_payment_plan=rng.random() < 0.4,
    )


def established(
    factor: F, activity: Activity, filed: date, retiring: bool, rng: random.Random
) -> Situation:
    """What a thorough review establishes of a worker who meets every condition."""
    covid = factor is F.DROP_IN_ACTIVITY_HEALTH_CRISIS
    situation = Situation(
        self_employment_is_main_activity=True,
        difficulty_is_one_off=True,
        has_covid_debt=covid,
        covid_debt_has_payment_plan=True if covid else None,
        active=True,
        in_cumul_emploi_retraite=False,
    )
    if not retiring:
        return situation
    retired_on = add_months(filed.replace(day=1), -rng.randint(2, 9))
    years = retired_on.year - activity.affiliated_since.year
    return replace(
        situation,
        active=False,
        retirement_date=retired_on,
        quarters_as_self_employed=4 * years - rng.randint(0, 6),
        taxable_in_the_two_years_before_retirement=False,
        contributions_up_to_date=True,
    )


def as_found(situation: Situation, aid: Aid, opinion: Opinion, rng: random.Random) -> Situation:
    """The facts a review records: a failed condition behind an unfavourable opinion, an
    unsettled one behind a reserved opinion, and now and then a fact nobody checked."""
    if aid is Aid.FCI:
        twists = {
            Opinion.UNFAVOURABLE: replace(situation, in_cumul_emploi_retraite=True),
            Opinion.RESERVED: replace(situation, active=None),
        }
    elif aid is Aid.ADR:
        twists = {
            Opinion.UNFAVOURABLE: replace(
                situation, taxable_in_the_two_years_before_retirement=True
            ),
            Opinion.RESERVED: replace(situation, taxable_in_the_two_years_before_retirement=None),
        }
    else:
        twists = {
            Opinion.UNFAVOURABLE: replace(situation, difficulty_is_one_off=False),
            Opinion.RESERVED: replace(situation, self_employment_is_main_activity=None),
        }
    if opinion is Opinion.FAVOURABLE and aid in (Aid.ACED, Aid.AFE) and rng.random() < 0.25:
        return replace(situation, has_covid_debt=None, covid_debt_has_payment_plan=None)
    return twists.get(opinion, situation)


def _quarter(q: int, rng: random.Random) -> ContributionPeriod:
    start, after = date(q // 4, q % 4 * 3 + 1, 1), date((q + 1) // 4, (q + 1) % 4 * 3 + 1, 1)
    return ContributionPeriod(start, after - timedelta(days=1), _eur(rng.randint(40_000, 125_000)))


def _eur(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _siret(rng: random.Random) -> str:
    """A SIREN with its Luhn digit, then an establishment number and the SIRET's Luhn digit."""
    siren = with_luhn_digit(str(rng.randint(40_000_000, 99_999_999)))
    return with_luhn_digit(f"{siren}{rng.randint(1, 3):04d}")


def _department(postal_code: str) -> str:
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    return postal_code[:2]


def _nir(sex: int, birth: date, department: str, rng: random.Random) -> str:
    first = f"{sex}{birth:%y%m}{department}"
    first += "".join(str(rng.randint(0, 9)) for _ in range(13 - len(first)))
    return with_nir_key(first)


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in plain)
