"""The read side over HTTP: read-your-writes, filters, cursor pages, dashboards, CSV, the change
feed and the commission's view."""

import csv
import io
from typing import Any

from api import ACTOR, decide, drive, file, open_session, present, schedule, to_decision
from conftest import ADMIN, bearer
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import APPLICANT, anonymisation_body, notification_body, review_body

from app.api.auth import Role
from app.api.main import create_app
from app.settings import Settings


def position(response: Response) -> int:
    return int(response.headers["X-Event-Position"])


def fresh(client: TestClient, path: str, after: Response, **params: Any) -> Response:
    """A read that waits until it reflects the write `after` answered."""
    response: Response = client.get(path, params={"min_position": position(after)} | params)
    assert response.status_code == 200, response.text
    assert int(response.headers["X-Projection-Position"]) >= position(after)
    return response


def test_a_dossier_just_filed_is_in_the_work_queue_when_asked_to_wait(client: TestClient) -> None:
    filed = file(client)
    reference = filed.json()["reference"]
    page = fresh(client, "/dossiers", filed, reference=reference).json()
    [item] = page["items"]
    assert item["reference"] == reference
    assert item["status"] == "filed"
    assert item["aids"] == ["ACED", "AFE"]
    assert item["requested"] == "3120.50"
    assert item["implicit_rejection_date"] == filed.json()["implicit_rejection_date"]
    assert page["position"] >= position(filed)


def test_a_read_that_cannot_reach_its_position_in_time_says_so(settings: Settings) -> None:
    idle = settings.model_copy(update={"projections_embedded": False})  # nobody projects
    with TestClient(create_app(idle), headers=bearer(idle, Role.ADMIN, ADMIN)) as client:
        filed = file(client)
        response = client.get("/dossiers", params={"min_position": position(filed), "wait": 0.05})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"


def test_a_position_beyond_the_store_is_refused_at_once(client: TestClient) -> None:
    head = client.get("/changes", params={"limit": 1}).json()["head"]
    response = client.get("/dossiers", params={"min_position": head + 10**12, "wait": 30})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.min_position"


def test_the_work_queue_filters_by_status_region_aid_decision_and_dates(
    client: TestClient,
) -> None:
    dossier = file(client, region="bretagne").headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    session = schedule(client, region="bretagne")
    present(client, session, dossier)
    open_session(client, session)
    last = decide(
        client, session, dossier, outcome="rejected", granted=[], reason="Difficulté structurelle"
    )
    assert last.status_code == 200, last.text
    reference = client.get(dossier).json()["reference"]
    today = client.get(dossier).json()["filed_at"][:10]
    wanted = {
        "reference": reference,
        "status": "decided",
        "region": "bretagne",
        "aid": "AFE",
        "outcome": "rejected",
        "filed_from": today,
        "decided_to": today,
    }
    refs = [i["reference"] for i in fresh(client, "/dossiers", last, **wanted).json()["items"]]
    assert refs == [reference]
    for miss in (
        {"status": "filed"},
        {"region": "corse"},
        {"aid": "FCI"},
        {"outcome": "rejected", "decided_from": "2099-01-01"},
    ):
        params = {"reference": reference} | miss
        assert client.get("/dossiers", params=params).json()["items"] == [], miss


def test_pages_return_every_dossier_once_while_new_ones_arrive(client: TestClient) -> None:
    region = "guyane"  # no other test files there: the list holds exactly what this one filed
    filed = [file(client, region=region) for _ in range(12)]
    fresh(client, "/dossiers", filed[-1])
    first = {r.json()["id"] for r in filed}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 5, "sort": "filed_at", "region": region}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/dossiers", params=params).json()
        seen += [i["id"] for i in page["items"]]
        newcomer = file(client, region=region)  # arrives between two pages, after the cursor
        fresh(client, "/dossiers", newcomer)
        cursor = page["next_cursor"]
        if cursor is None or len(seen) > 40:
            break
    assert len(seen) == len(set(seen))  # nothing twice
    assert first <= set(seen)  # and every dossier there from the start, once


def test_a_cursor_of_another_sort_is_invalid_input(client: TestClient) -> None:
    file(client)
    file(client)
    page = client.get("/dossiers", params={"limit": 1}).json()
    other = client.get("/dossiers", params={"cursor": page["next_cursor"], "sort": "reference"})
    assert other.status_code == 422
    garbage = client.get("/dossiers", params={"cursor": "not-a-cursor"})
    assert garbage.status_code == 422


def test_the_csv_export_has_one_line_per_dossier(client: TestClient) -> None:
    filed = file(client)
    response = fresh(client, "/exports/dossiers.csv", filed, reference=filed.json()["reference"])
    assert response.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["reference"] == filed.json()["reference"]
    assert row["requested"] == "3120.50"
    assert row["aids"] == "ACED AFE"


def test_the_dashboards_count_and_sum_what_the_dossiers_hold(client: TestClient) -> None:
    dossier = file(client, region="corse").headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    session = to_decision(client, dossier)  # granted in part: ACED 1320.50
    last = drive(client, dossier, ("notification", notification_body()))
    activity = fresh(client, "/dashboards/activity", last, by=["region", "aid"], region="corse")
    rows = {(r["region"], r["aid"]): r for r in activity.json()["rows"]}
    assert rows[("corse", "ACED")]["granted"] >= "1320.50"
    assert rows[("corse", "AFE")]["requested"] >= "1800.00"
    delays = client.get("/dashboards/delays", params={"region": "corse"}).json()
    assert delays["filed_to_decided"]["count"] >= 1
    assert delays["decided_to_notified"]["p50"] is not None
    assert session


def test_dossiers_close_to_their_implicit_rejection_date_are_listed(client: TestClient) -> None:
    filed = file(client, region="mayotte")
    silence = fresh(client, "/dashboards/silence", filed, within_days=90, region="mayotte").json()
    assert filed.json()["reference"] in [d["reference"] for d in silence["close"]]
    none = client.get("/dashboards/silence", params={"within_days": 0, "region": "mayotte"}).json()
    assert filed.json()["reference"] not in [d["reference"] for d in none["close"]]


def test_the_change_feed_lists_every_event_in_store_order_and_resumes(client: TestClient) -> None:
    filed = file(client)
    head = position(filed)
    first = client.get("/changes", params={"after": head - 1, "limit": 1}).json()
    [change] = first["changes"]
    assert change["position"] == head
    assert change["type"] == "DossierFiled"
    assert change["stream_id"] == filed.json()["id"]
    assert first["next_after"] == head
    rest = client.get("/changes", params={"after": first["next_after"]}).json()
    assert all(c["position"] > head for c in rest["changes"])
    page = client.get("/changes", params={"after": 0, "limit": 50}).json()["changes"]
    positions = [c["position"] for c in page]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


def test_a_page_of_the_change_feed_holds_up_to_ten_thousand_events(client: TestClient) -> None:
    filed = file(client)
    page = client.get("/changes", params={"after": 0, "limit": 10_000})
    assert page.status_code == 200, page.text
    assert position(filed) in [c["position"] for c in page.json()["changes"]]
    refused = client.get("/changes", params={"after": 0, "limit": 10_001})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["query.limit"]


def test_the_commission_view_is_anonymous(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    session = schedule(client)
    last = present(client, session, dossier)
    view = client.get(
        "/commission-view",
        params={
            "region": "pays-de-la-loire",
            "min_position": client.get("/changes", params={"after": 0, "limit": 1}).json()["head"],
        },
    )
    assert view.status_code == 200
    code = client.get(dossier).json()["anonymised_summary"]["anonymous_code"]
    assert code in [i["anonymous_code"] for i in view.json()["items"]]
    for identifying in (APPLICANT["last_name"], APPLICANT["email"], "73282932000074"):
        assert identifying not in view.text
    assert last.status_code == 200


def test_the_envelopes_dashboard_shows_used_and_remaining(client: TestClient) -> None:
    from payloads import catastrophe_body

    opened = client.post(
        "/catastrophes", json=catastrophe_body(envelope="1000.00"), headers={"X-Actor-Id": ACTOR}
    )
    envelopes = fresh(client, "/dashboards/envelopes", opened).json()["envelopes"]
    [mine] = [e for e in envelopes if e["id"] == opened.json()["id"]]
    assert (mine["envelope"], mine["used"], mine["remaining"]) == ("1000.00", "0.00", "1000.00")
