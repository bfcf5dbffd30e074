"""Demo data: about forty fictional dossiers, taken by the real rules to every step of the path."""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple
from uuid import NAMESPACE_URL, UUID, uuid5

from app.dossiers import DossierService, reference_for
from app.eventstore import EventStoreApplication
from domain import dossier as d
from domain.identifiers import nir_key, siren_problem, siret_problem
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    ContributionPeriod,
    IntakeChannel,
    NotificationChannel,
    Opinion,
    Outcome,
    PostalAddress,
)
from domain.values import DifficultyFactor as F
from domain.values import DocumentKind as Doc

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)  # every demo event happens before this moment
DEMO_NAMESPACE = uuid5(NAMESPACE_URL, "https://action-sociale.example/demo")

# How many dossiers | the aids asked | the steps from filing on (a decision is named by its
# outcome) | the catastrophe that opened the FCI.
PLAN = """
2 | ACED     | file
1 | ACED AFE | file
1 | FCI      | file                                              | floods
2 | ACED     | file request
1 | AFE      | file request
1 | FCI      | file request                                      | floods
2 | ACED     | file review
1 | ACED     | file request receive review
2 | ACED     | file review anonymise
1 | ACED AFE | file review anonymise
2 | ACED     | file review anonymise present
1 | ADR      | file review anonymise present
2 | ACED     | file review anonymise present adjourned
1 | ACED AFE | file review anonymise present adjourned
1 | ACED     | file review anonymise present full
1 | ACED AFE | file review anonymise present part
1 | ACED     | file review anonymise present rejected
3 | ACED     | file review anonymise present full notify
1 | ACED     | file request receive review anonymise present full notify
2 | ACED AFE | file review anonymise present full notify
2 | ACED AFE | file review anonymise present part notify
1 | ACED     | file review anonymise present part notify
2 | ACED     | file review anonymise present rejected notify
1 | ADR      | file review anonymise present full notify
1 | ACED AFE | file review anonymise present adjourned review anonymise present full notify
2 | FCI      | file review anonymise present full notify         | storm
1 | FCI      | file review anonymise present part notify         | storm
1 | ACED     | file withdraw
1 | ACED     | file request withdraw
1 | ACED AFE | file review withdraw
"""
# Catastrophes open the FCI in one region: (region, day, what the workers tell).
CATASTROPHES = {
    "storm": ("bretagne", date(2026, 2, 10), "La tempête a arraché le toit de mon atelier."),
    "floods": ("occitanie", date(2026, 10, 21), "Mon local a été inondé ; le stock est perdu."),
}


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
ACCOUNTS = {
    F.ROADWORKS: "Les travaux de voirie devant mon local durent depuis six mois.",
    F.LOSS_OF_CUSTOMERS: "Mon principal client est parti ; mon chiffre d'affaires a chuté.",
    F.DROP_IN_ACTIVITY_HEALTH_PROBLEM: "Opéré, j'ai dû arrêter de travailler pendant trois mois.",
    F.DROP_IN_ACTIVITY_HEALTH_CRISIS: "Mon activité ne s'est pas remise de la crise sanitaire.",
}
RETIRING_KINDS = [ActivityKind.ARTISAN, ActivityKind.COMMERCANT]  # who the ADR is for
RETIRING = "Je pars à la retraite avec de très faibles revenus ces deux dernières années."
FINDINGS = {
    Opinion.FAVOURABLE: "Difficulté ponctuelle, activité viable : avis favorable.",
    Opinion.UNFAVOURABLE: "Difficulté structurelle, charges au-delà du revenu : avis défavorable.",
    Opinion.RESERVED: "Situation à préciser : le bilan 2025 est attendu.",
}
OUTCOMES = {
    "full": Outcome.GRANTED_IN_FULL,
    "part": Outcome.GRANTED_IN_PART,
    "rejected": Outcome.REJECTED,
    "adjourned": Outcome.ADJOURNED,
}
OPINIONS = {"rejected": Opinion.UNFAVOURABLE, "adjourned": Opinion.RESERVED}  # else favourable
REASONS = {
    Outcome.GRANTED_IN_FULL: "Difficulté ponctuelle avérée : l'aide proposée est accordée.",
    Outcome.GRANTED_IN_PART: "Accordée en partie, période courante d'abord ; solde en échéancier.",
    Outcome.REJECTED: "Difficulté structurelle : l'aide ne rétablirait pas la situation.",
    Outcome.ADJOURNED: "Ajourné : la commission demande le bilan 2025.",
}
# Euros asked: the least, the most and the most common (ACED: 400 to 1 250 € per quarter, 1 to 4
# quarters); a partial grant gives at least LEAST.
ASKED = {Aid.AFE: (800, 6000, 2000), Aid.FCI: (500, 2000, 1800), Aid.ADR: (7750, 10_000, 9000)}
LEAST = {Aid.ACED: 250, Aid.AFE: 500, Aid.FCI: 300, Aid.ADR: 7500}
# Days from the step before (FCI takes the fast path: decided by delegation within days).
GAPS = {"request": (3, 10), "receive": (5, 20), "review": (7, 21), "anonymise": (1, 5)}
GAPS |= {"notify": (3, 8), "withdraw": (5, 30)}
FAST_GAPS = GAPS | {"request": (1, 3), "review": (1, 3), "anonymise": (0, 0), "notify": (1, 3)}
# How many days before ANCHOR a dossier was filed, by the last step it has reached.
WINDOWS = {"file": (2, 30), "request": (12, 40), "review": (20, 50), "anonymise": (25, 50)}
WINDOWS |= {"present": (35, 60), "notify": (60, 300), "withdraw": (25, 250)}
WINDOWS |= dict.fromkeys(OUTCOMES, (35, 80))


class Plan(NamedTuple):
    aids: tuple[Aid, ...]
    steps: tuple[str, ...]
    catastrophe: str | None


def _plans(table: str) -> tuple[Plan, ...]:
    plans: list[Plan] = []
    for line in table.strip().splitlines():
        count, aids, path, *catastrophe = (cell.strip() for cell in line.split("|"))
        aid_tuple = tuple(Aid(aid) for aid in aids.split())
        plans += [Plan(aid_tuple, tuple(path.split()), next(iter(catastrophe), None))] * int(count)
    return tuple(plans)


DOSSIERS = _plans(PLAN)


def demo_dossier_id(n: int) -> UUID:
    return uuid5(DEMO_NAMESPACE, f"demo-{n}")


def load_demo_data(application: EventStoreApplication) -> int:
    """File and move on each demo dossier not in the store yet; return how many were added."""
    service, added = DossierService(application), 0
    for n in range(len(DOSSIERS)):
        if application.stream(demo_dossier_id(n), lte=1):
            continue  # loaded before, and perhaps moved on since through the API: leave it be
        for version, command in enumerate(demo_commands(n)):
            service.handle(command, expected_version=version)
        added += 1
    return added


def demo_commands(n: int) -> list[d.Command]:
    """The commands that take demo dossier n along its plan, with the same values on every run."""
    plan, rng, dossier_id = DOSSIERS[n], random.Random(f"demo-{n}"), demo_dossier_id(n)
    fci, retiring = Aid.FCI in plan.aids, Aid.ADR in plan.aids
    if plan.catastrophe:
        region, day, account = CATASTROPHES[plan.catastrophe]
        factor, start = F.FIRE_OR_CATASTROPHE, _at(day + timedelta(days=rng.randint(2, 5)), rng)
    else:
        region = rng.choices(list(REGIONS), [r.weight for r in REGIONS.values()])[0]
        factor = F.CESSATION_OF_ACTIVITY if retiring else rng.choice(list(ACCOUNTS))
        account = ACCOUNTS.get(factor, RETIRING)
        days_ago = rng.randint(*WINDOWS[plan.steps[-1]])
        start = _at(_working_day((ANCHOR - timedelta(days=days_ago)).date()), rng)
    times = _timeline(plan.steps, start, fci, rng)
    while times[-1] >= ANCHOR:  # a long path started too late: start it earlier
        times = _timeline(plan.steps, times[0] - timedelta(days=14), fci, rng)
    applicant, activity = _applicant(region, retiring, times[0].date(), rng)
    asked = tuple(_asked(aid, times[0].date(), rng) for aid in plan.aids)
    missing = (Doc.INSURANCE_CLAIM,) if fci else (Doc.TAX_NOTICE, Doc.PROOF_OF_DIFFICULTY)
    agent, code = f"agent-{region}-{rng.randint(1, 3):02d}", REGIONS[region].code
    channel = rng.choice(list(IntakeChannel))
    filed_by = agent if channel in (IntakeChannel.MAIL, IntakeChannel.HELP) else "applicant"
    assessment = _assessment(asked, times[0].year - activity.affiliated_since.year, rng)

    def command(i: int, step: str, at: datetime) -> d.Command:
        match step:
            case "file":
                return d.FileDossier(
                    dossier_id=dossier_id,
                    reference=reference_for(dossier_id, at),
                    at=at,
                    actor=filed_by,
                    applicant=applicant,
                    activity=activity,
                    region=region,
                    aids=tuple(AidRequest(a.aid, a.amount, a.periods) for a in asked),
                    difficulty_factors=(factor,),
                    own_account=account,
                    channel=channel,
                    documents=_documents(plan.aids, missing if "request" in plan.steps else ()),
                )
            case "request":
                due, why = at.date() + timedelta(days=30), "Pièces manquantes pour instruire."
                return d.RequestDocuments(dossier_id, at, agent, missing, due, why)
            case "receive":
                return d.ReceiveDocuments(dossier_id, at, agent, missing)
            case "review":
                upcoming = next((s for s in plan.steps[i:] if s in OUTCOMES), "full")
                opinion = OPINIONS.get(upcoming, Opinion.FAVOURABLE)
                proposal = () if opinion is Opinion.UNFAVOURABLE else asked
                findings = f"Affilié(e) en {activity.affiliated_since.year}. {FINDINGS[opinion]}"
                return d.ReviewDossier(
                    dossier_id, at, agent, findings, assessment, proposal, opinion
                )
            case "anonymise":
                return d.AnonymiseDossier(dossier_id, at, agent)
            case "present":
                session = f"DELEG-FCI-{code}-{at:%Y%m%d}" if fci else f"CASS-{code}-{at:%Y-%m}"
                return d.PresentToCass(dossier_id, at, agent, session, at.date())
            case "notify":
                via, ref = rng.choice(list(NotificationChannel)), f"LR-{at.year}-{n + 1:04d}"
                return d.NotifyDecision(dossier_id, at, agent, via, at.date(), ref)
            case "withdraw":
                why = "Un échéancier accordé entre-temps suffit : je retire ma demande."
                return d.WithdrawDossier(dossier_id, at, "applicant", why)
        outcome = OUTCOMES[step]
        granted = {"full": asked, "part": tuple(_partial(a) for a in asked)}.get(step, ())
        return d.DecideDossier(dossier_id, at, f"cass-{region}", outcome, granted, REASONS[outcome])

    return [
        command(i, step, at) for i, (step, at) in enumerate(zip(plan.steps, times, strict=True))
    ]


def _timeline(
    steps: tuple[str, ...], start: datetime, fast: bool, rng: random.Random
) -> list[datetime]:
    """When each step happened: caseworkers' gaps, monthly CASS sessions, decisions on the day."""
    times, at, gaps = [start], start, FAST_GAPS if fast else GAPS
    for step in steps[1:]:
        if step == "present" and fast:
            at = datetime.combine(_working_day(at.date() + timedelta(days=1)), time(9, 30), UTC)
        elif step == "present":
            at = datetime.combine(_session(at.date() + timedelta(days=3)), time(9, 30), UTC)
        elif step in OUTCOMES:
            at = at.replace(hour=rng.randint(11, 16), minute=rng.randint(0, 59))
        elif (days := rng.randint(*gaps[step])) == 0:
            at += timedelta(minutes=rng.randint(30, 180))
        else:
            at = _at(_working_day(at.date() + timedelta(days=days)), rng)
        times.append(at)
    return times


def _session(on_or_after: date) -> date:
    """The next monthly CASS session: the third Tuesday of the month."""
    first = on_or_after.replace(day=1)
    session = first + timedelta(days=(1 - first.weekday()) % 7 + 14)
    return session if session >= on_or_after else _session(first + timedelta(days=31))


def _working_day(day: date) -> date:
    return day if day.weekday() < 5 else _working_day(day + timedelta(days=1))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), UTC)


def _eur(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _applicant(
    region: str, retiring: bool, filed: date, rng: random.Random
) -> tuple[Applicant, Activity]:
    sex, mobile = rng.choice((1, 2)), rng.choice(REGIONS[region].mobiles.split())
    first, last = rng.choice(FIRST_NAMES[sex]), rng.choice(LAST_NAMES.split(", "))
    born = rng.randint(1959, 1962) if retiring else rng.randint(1964, 2000)
    birth = date(born, rng.randint(1, 12), rng.randint(1, 28))
    since = (
        rng.randint(1985, 2008) if retiring else rng.randint(max(born + 20, 1998), filed.year - 3)
    )
    kind = rng.choice(RETIRING_KINDS if retiring else list(TRADES))
    postal_code, city = rng.choice(REGIONS[region].places.split(", ")).split(" ", 1)
    nir = _nir(sex, birth, _department(postal_code), rng) if rng.random() < 0.8 else None
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
        nir=nir,
    )
    return applicant, Activity(kind, date(since, rng.randint(1, 12), 1), rng.choice(TRADES[kind]))


def _asked(aid: Aid, filed: date, rng: random.Random) -> AidAmount:
    """What the worker asks, in the domain's ranges; ACED names quarters up to the current one."""
    if aid is Aid.ACED:
        current = filed.year * 4 + (filed.month - 1) // 3
        periods = tuple(_quarter(q, rng) for q in range(current - rng.randint(0, 3), current + 1))
        return AidAmount(aid, sum((p.amount for p in periods), Decimal("0.00")), periods)
    low, high, mode = ASKED[aid]
    return AidAmount(aid, _eur(round(rng.triangular(low, high, mode) / 50) * 5000))


def _quarter(q: int, rng: random.Random) -> ContributionPeriod:
    start, after = date(q // 4, q % 4 * 3 + 1, 1), date((q + 1) // 4, (q + 1) % 4 * 3 + 1, 1)
    return ContributionPeriod(start, after - timedelta(days=1), _eur(rng.randint(40_000, 125_000)))


def _partial(asked: AidAmount) -> AidAmount:
    """Less than asked: ACED keeps the current period, then the oldest; other aids get 60 %."""
    if asked.aid is Aid.ACED and len(asked.periods) > 1:
        kept = (asked.periods[-1], *asked.periods[:-1])[: len(asked.periods) - 1]
        periods = tuple(sorted(kept, key=lambda p: p.start))
        return AidAmount(asked.aid, sum((p.amount for p in periods), Decimal("0.00")), periods)
    cents = max(LEAST[asked.aid] * 100, int(asked.amount * 60))  # 60 % of the euros, in cents
    return replace(asked, amount=_eur(cents))


def _assessment(asked: tuple[AidAmount, ...], seniority: int, rng: random.Random) -> Assessment:
    total = sum((a.amount for a in asked), Decimal("0.00"))
    return Assessment(
        annual_income=_eur(rng.randint(600_000, 3_200_000)),
        monthly_charges=_eur(rng.randint(60_000, 240_000)),
        contributions_due=total + _eur(rng.randint(0, 150_000)),
        contributions_paid=total + _eur(seniority * rng.randint(150_000, 400_000)),
        household_size=rng.randint(1, 5),
        has_payment_plan=rng.random() < 0.4,
    )


def _documents(aids: tuple[Aid, ...], missing: tuple[Doc, ...]) -> tuple[Doc, ...]:
    documents = [Doc.APPLICATION_FORM, Doc.BANK_DETAILS, Doc.SWORN_STATEMENT]
    if Aid.FCI in aids:
        documents += [Doc.DAMAGE_PHOTOS, Doc.INSURANCE_CLAIM]
    else:
        documents += [Doc.TAX_NOTICE, Doc.PROOF_OF_DIFFICULTY]
    if Aid.ADR in aids:
        documents.append(Doc.RETIREMENT_CERTIFICATE)
    return tuple(doc for doc in documents if doc not in missing)


def _with_check_digit(prefix: str, problem: Callable[[str], str | None]) -> str:
    return next(prefix + digit for digit in "0123456789" if problem(prefix + digit) is None)


def _siret(rng: random.Random) -> str:
    """A SIREN with its Luhn digit, then an establishment number and the SIRET's Luhn digit."""
    siren = _with_check_digit(str(rng.randint(40_000_000, 99_999_999)), siren_problem)
    return _with_check_digit(f"{siren}{rng.randint(1, 3):04d}", siret_problem)


def _department(postal_code: str) -> str:
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    return postal_code[:2]


def _nir(sex: int, birth: date, department: str, rng: random.Random) -> str:
    first = f"{sex}{birth:%y%m}{department}"
    first += "".join(str(rng.randint(0, 9)) for _ in range(13 - len(first)))
    return f"{first}{nir_key(first):02d}"


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in plain)
