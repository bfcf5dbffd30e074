"""What the commission reads, over HTTP: the structured facts and the text written for it,
checked for identifiers and diagnoses (refused with their place, never blacked out), never the
findings nor the applicant's own account; sessions of old still read, saying what they were."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from api import as_, command, drive, file, open_session, present, schedule
from fastapi.testclient import TestClient
from payloads import COMMISSION_TEXT, anonymisation_body, review_body
from sqlalchemy import select

from app.api.auth import Role
from app.settings import Settings
from app.store.database import sql_engine
from app.store.eventstore import EventStoreApplication, Recorded
from domain import cass_session as s
from domain.anonymisation import WITHHELD, AnonymisedSummary
from domain.values import ActivityKind, Aid, AidAmount, Assessment, DifficultyFactor, Opinion
from domain.values import Outcome as Decision
from projections.tables import tables

ACCOUNT = "Mon associé Jean Dupont est parti ; ma dépression m'a arrêtée trois mois."
FINDINGS = "Vu M. Le Goff, bailleur ; suivi pour un cancer, la cliente ne peut plus travailler."
TEXT = "Baisse d'activité (problème de santé) : fermeture de trois mois, reprise en juin."


def reviewed(client: TestClient, **filing: Any) -> str:
    dossier: str = file(client, **filing).headers["Location"]
    drive(client, dossier, ("review", review_body(findings=FINDINGS)))
    return dossier


def anonymise(client: TestClient, dossier: str, text: str) -> Any:
    version = int(client.get(dossier).headers["ETag"].strip('"'))
    return command(client, dossier, "anonymisation", version, anonymisation_body(text))


def each_refused(
    client: TestClient, dossier: str, attempts: dict[str, str], *, never_said: tuple[str, ...]
) -> None:
    """Each text is refused for what it is said to hold, first, never repeating the value."""
    for text, what in attempts.items():
        refused = anonymise(client, dossier, text)
        assert refused.status_code == 422, (text, refused.text)
        [error, *_] = refused.json()["errors"]
        assert error["field"] == "body.commission_summary"
        assert error["reason"].startswith(f"holds {what}"), (text, error)
        assert not [value for value in never_said if value in refused.text.lower()]
    assert client.get(dossier).json()["status"] == "reviewed"


def test_a_text_naming_the_applicants_street_is_refused_saying_what_and_where(
    client: TestClient,
) -> None:
    dossier = reviewed(client)  # the applicant works at 4 place du Marché, Nantes
    refused = anonymise(client, dossier, "Les travaux de la place du Marché ont tout arrêté.")
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "body.commission_summary"
    assert error["reason"].startswith("holds the applicant's street (characters 19-33)")
    assert "Marché" not in refused.text  # what was found is personal data: said by its place
    assert client.get(dossier).json()["status"] == "reviewed"


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Son associé Jean Dupont est parti avec la clientèle.", "a person's name"),
        ("Le bailleur, M. Le Goff, a doublé le loyer.", "a person's name"),
        ("Contact du comptable : compta@cabinet-nantais.fr.", "an e-mail address"),
        ("Virement sur FR76 3000 6000 0112 3456 7890 189.", "an IBAN"),
        ("Suivie pour une dépression depuis mars.", "a medical term"),
        ("Les clients écrivent à sandrine.lefebvre@example.fr.", "the applicant's e-mail address"),
        ("Les clients la trouvent sur example.fr.", "the applicant's e-mail domain"),
    ],
)
def test_a_text_naming_anyone_or_a_diagnosis_is_refused(
    client: TestClient, text: str, what: str
) -> None:
    refused = anonymise(client, reviewed(client), text)
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["reason"].startswith(f"holds {what} (characters ")


def test_what_an_outsider_tried_to_slip_past_the_check_is_refused(client: TestClient) -> None:
    activity = {"kind": "commercant", "affiliated_since": "2012-03-01"}
    dossier = reviewed(client, activity=activity | {"description": "boulangerie ker avel"})
    dossier_id, reference = dossier[-36:], client.get(dossier).json()["reference"]
    attempts = {
        "SIRET ７３２８２９３２００００７４ vérifié.": "a digit other than 0-9",
        "NIR ٢٧٥٠٦٧٥١٢٣٤٥٦ vérifié.": "a digit other than 0-9",
        "La boutique Le\u200bfebvre a fermé.": "an invisible or control character",
        "La boutique lefeb\u00advre a fermé.": "an invisible or control character",
        "La boutique Lеfеbvrе a fermé.": "a letter outside the Latin alphabet French uses",
        "Suivie pour un cаncer.": "a letter outside the Latin alphabet French uses",
        "La boutique lefe\u0301bvre a fermé.": "the applicant's last name",
        f"Voir le dossier {dossier_id}.": "the dossier's id",
        f"Voir le dossier {reference}.": "the dossier's reference",
        "La boulangerie ker avel a fermé.": "the activity's description",
        "Les clients du 4 Marché sont partis.": "the applicant's street name",
        "Les travaux de la rue de kerinou durent.": "a street address",
        "Virement sur FR76  3000  6000  0112  3456  7890  189.": "an IBAN",
        "Le fournisseur (SIREN 552  100  554) a rompu.": "a SIREN",
        "Atteinte de mucoviscidose.": "a medical term",
        "Séances de c h i m i o depuis mars.": "a medical term",
    }
    each_refused(client, dossier, attempts, never_said=("febvre", "avel"))


def test_what_a_second_review_slipped_past_the_check_is_refused(client: TestClient) -> None:
    dossier = reviewed(client)  # Lefebvre Sandrine, 4 place du Marché, Nantes
    attempts = {
        "L e f e b v r e a des dettes.": "the applicant's last name",
        "S-a-n-d-r-i-n-e a des dettes.": "the applicant's first name",
        "PIERRE MARTIN a des dettes.": "a person's name",
        "pierre martin a des dettes.": "a person's name",
        "Le fournisseur, madame martin, a rompu.": "a person's name",
        "Les travaux de la rue saint-martin durent.": "a street address",
        "Le chantier de l'avenue foch a fermé l'accès.": "a street address",
        "Les travaux du quai de la douane durent.": "a street address",
        "Enceinte de six mois.": "a medical term",
        "Traitée pour un K du sein.": "a medical term",
        "Sous antidépresseurs depuis mars.": "a medical term",
        "Suivie pour un canc3r.": "a medical term",
    }
    each_refused(client, dossier, attempts, never_said=("martin", "foch", "douane", "sein"))


def test_what_the_second_pass_of_the_review_slipped_past_is_refused(client: TestClient) -> None:
    dossier = reviewed(client)  # Lefebvre Sandrine, 4 place du Marché, Nantes
    attempts = {
        "Lefeb vre a des dettes.": "the applicant's last name",
        "Sand rine a des dettes.": "the applicant's first name",
        "Le voisin, m. martin, a témoigné.": "a person's name",
        "Le bailleur, M dupont, a doublé le loyer.": "a person's name",
        "Le voisin, p. martin, a témoigné.": "a person's name",
        "PIERRE-MARTIN a des dettes.": "a person's name",
        "Le local, r. de siam, est fermé.": "a street address",
        "Le chantier av foch a fermé l'accès.": "a street address",
        "Les travaux de la place du marché durent.": "the applicant's street",
        "Sous traitement hormonal depuis mars.": "a medical term",
        "Une bipolarité diagnostiquée.": "a medical term",
        "Elle a perdu la vue.": "a medical term",
        "Sous Lévothyrox depuis mars.": "a medical term",
        "Elle attend un enfant pour juin.": "a medical term",
    }
    each_refused(client, dossier, attempts, never_said=("febvre", "martin", "dupont", "siam"))


@pytest.mark.parametrize(
    "text",
    [
        COMMISSION_TEXT,
        "Baisse d'activité de 40 % depuis les travaux de voirie ; mise en place d'un échéancier en"
        " cours ; se retrouve à la rue faute de revenus.",
        "Le local de 3 m de façade ; voir p. 12 du bilan ; M. le maire a soutenu le commerce.",
        "Le marché local s'est effondré ; la rue restera fermée jusqu'en juin.",
        "Une enceinte de marché a fermé ; l'enceinte du marché reste ouverte.",
    ],
)
def test_ordinary_prose_for_the_commission_is_accepted(client: TestClient, text: str) -> None:
    anonymised = anonymise(client, reviewed(client), text)
    assert anonymised.status_code == 200, anonymised.text


def test_the_commission_reads_the_text_written_for_it_never_the_findings_nor_the_account(
    client: TestClient, settings: Settings
) -> None:
    dossier = reviewed(client, own_account=ACCOUNT)
    anonymised = anonymise(client, dossier, TEXT)
    assert anonymised.status_code == 200, anonymised.text
    session = schedule(client)
    last = present(client, session, dossier)
    assert open_session(client, session).status_code == 200
    member = as_(client, Role.COMMISSION, "cass-pdl-m2", ("pays-de-la-loire",))
    seen = client.get(session, headers=member)
    wait = {"min_position": last.headers["X-Event-Position"], "wait": "10"}
    view = client.get("/commission-view", headers=member, params=wait)
    [item] = seen.json()["agenda"]
    assert item["summary"]["situation"] == TEXT
    assert item["summary"]["difficulty_factors"] == ["drop_in_activity_health_problem"]
    for text in (seen.text, view.text):
        for private in ("Dupont", "dépression", "Le Goff", "cancer", FINDINGS, ACCOUNT):
            assert private not in text
    assert TEXT in view.text
    engine = sql_engine(settings)  # and the view's table keeps nothing else either
    try:
        with engine.connect() as connection:
            for generation in "ab":
                table = tables("commission", generation)[0]
                rows = connection.execute(
                    select(table.c.summary).where(table.c.dossier_id == UUID(dossier[-36:]))
                ).all()
                for (summary,) in rows:
                    assert json.loads(summary)["situation"] == TEXT
                    assert "cancer" not in summary
                    assert "Dupont" not in summary
    finally:
        engine.dispose()


# A session held before sign-ins and summaries written for the commission: stored events are
# never rewritten, and the session still reads, saying what it was.

OLD_SUMMARY = AnonymisedSummary(
    anonymous_code="ANO-0411A1C290",
    region="pays-de-la-loire",
    activity_kind=ActivityKind.ARTISAN,
    seniority_years=8,
    age_bracket="40-49",
    aids_requested=(),
    difficulty_factors=(DifficultyFactor.DROP_IN_ACTIVITY_HEALTH_PROBLEM,),
    situation="Vu M. Le Goff ; suivi pour un cancer : […].",
    assessment=Assessment(Decimal("1"), Decimal("1"), Decimal("1"), Decimal("1")),
    proposal=(),
    opinion=Opinion.FAVOURABLE,
)
OLD_FIELDS = {  # what each event lacked before sign-ins and texts for the commission
    "DossierPutOnAgenda": ("summary", "written_for_the_commission"),
    "SessionOpened": (None, "attested"),
    "SessionDecisionRecorded": (None, "members_present"),
}


def store_old_session(application: EventStoreApplication) -> UUID:
    sid, dossier_id, at = uuid4(), uuid4(), datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    declared = ("cass-pdl-m1", "cass-pdl-m2", "cass-pdl-m3", "cass-pdl-m4")
    granted = (AidAmount(Aid.AFE, Decimal("900.00")),)
    events: list[Any] = [
        s.SessionScheduled(
            sid, at, "cass-pdl", "CASS-PDL-2026-01", "pays-de-la-loire", date(2026, 1, 20), declared
        ),
        s.DossierPutOnAgenda(sid, at, "agent", dossier_id, OLD_SUMMARY.anonymous_code, OLD_SUMMARY),
        s.SessionOpened(sid, at, "cass-pdl", declared),
        s.SessionDecisionRecorded(
            sid, at, "cass-pdl", dossier_id, OLD_SUMMARY.anonymous_code, Decision.REJECTED, ()
        ),
        s.SessionClosed(
            sid,
            at,
            "cass-pdl",
            declared,
            (s.MinutesLine(OLD_SUMMARY.anonymous_code, Decision.REJECTED, granted[:0]),),
        ),
    ]
    rows = []
    for version, event in enumerate(events, start=1):
        stored = application.mapper.to_stored_event(Recorded(sid, version, event))
        envelope = json.loads(stored.state)
        data = envelope["data"]
        parent, name = OLD_FIELDS.get(stored.topic, (None, ""))
        holder = data[parent] if parent else data
        holder.pop(name, None)
        for line in data.get("minutes", []):
            line.pop("members_present")
        rows.append(replace(stored, state=json.dumps(envelope).encode()))
    application.recorder.insert_events(rows)
    return sid


def test_a_session_of_old_reads_with_its_declared_attendance_and_no_unchecked_text(
    client: TestClient, application: EventStoreApplication
) -> None:
    sid = store_old_session(application)
    member = as_(client, Role.COMMISSION, "cass-pdl-m1", ("pays-de-la-loire",))
    seen = client.get(f"/cass-sessions/{sid}", headers=member)
    assert seen.status_code == 200, seen.text
    [item] = seen.json()["agenda"]
    assert item["summary"]["situation"] == WITHHELD
    assert item["decision"]["members_present"] == []
    minutes = client.get(f"/cass-sessions/{sid}/minutes", headers=member).json()
    assert minutes["attendance"] == "declared"
    assert minutes["members_present"] == [
        "cass-pdl-m1",
        "cass-pdl-m2",
        "cass-pdl-m3",
        "cass-pdl-m4",
    ]
    assert "cancer" not in seen.text
    assert "Goff" not in seen.text
