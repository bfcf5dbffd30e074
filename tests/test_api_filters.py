"""Every filter of every list and dashboard, one value at a time and combined, against dossiers
whose answer is known: a bretagne ACED+AFE dossier decided (rejected) in a session, a corse AFE
dossier just filed, a bretagne AFE dossier reviewed."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from api import drive, file, to_decision
from conftest import ADMIN, bearer
from fastapi.testclient import TestClient
from payloads import anonymisation_body, review_body

from app.api.auth import Role
from app.api.main import create_app
from app.settings import Settings


@dataclass(frozen=True)
class Known:
    reference: str
    region: str
    aids: tuple[str, ...]
    status: str
    outcome: str | None
    requested: dict[str, Decimal]

    def matches(self, params: dict[str, Any], day: date) -> bool:
        def among(name: str, value: Any) -> bool:
            wanted = params.get(name)
            return wanted is None or value in (wanted if isinstance(wanted, list) else [wanted])

        def within(start: str, end: str, moment: date | None) -> bool:
            low, high = params.get(start), params.get(end)
            if low is None and high is None:
                return True
            return (
                moment is not None
                and (low is None or moment >= date.fromisoformat(low))
                and (high is None or moment <= date.fromisoformat(high))
            )

        decided = day if self.outcome else None
        return (
            among("status", self.status)
            and among("region", self.region)
            and among("outcome", self.outcome)
            and (params.get("aid") is None or bool(set(self.aids) & set(_list(params["aid"]))))
            and within("filed_from", "filed_to", day)
            and within("decided_from", "decided_to", decided)
            and params.get("reference", "").upper() in self.reference
        )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass
class World:
    client: TestClient
    dossiers: list[Known]
    day: date
    head: int
    session_region: str


@pytest.fixture
def world(fresh_settings: Settings) -> Iterator[World]:
    app = create_app(fresh_settings)
    with TestClient(app, headers=bearer(fresh_settings, Role.ADMIN, ADMIN)) as client:
        afe_only = [{"aid": "AFE", "amount": "1800.00"}]
        afe_review = review_body(proposal=[{"aid": "AFE", "amount": "1500.00"}])
        decided = file(client, region="bretagne").headers["Location"]
        drive(client, decided, ("review", review_body()), ("anonymisation", anonymisation_body()))
        rejected = {"outcome": "rejected", "granted": [], "reason": "Difficulté structurelle"}
        to_decision(client, decided, **rejected)
        filed = file(client, region="corse", aids=afe_only).headers["Location"]
        reviewed = file(client, region="bretagne", aids=afe_only).headers["Location"]
        drive(client, reviewed, ("review", afe_review))
        both = {"ACED": Decimal("1320.50"), "AFE": Decimal("1800.00")}
        afe = {"AFE": Decimal("1800.00")}

        def reference(where: str) -> str:
            found: str = client.get(where).json()["reference"]
            return found

        dossiers = [
            Known(reference(decided), "bretagne", ("ACED", "AFE"), "decided", "rejected", both),
            Known(reference(filed), "corse", ("AFE",), "filed", None, afe),
            Known(reference(reviewed), "bretagne", ("AFE",), "reviewed", None, afe),
        ]
        day = date.fromisoformat(client.get(decided).json()["filed_at"][:10])
        head = client.get("/changes", params={"limit": 1}).json()["head"]
        yield World(client, dossiers, day, head, "bretagne")


def single_filters(world: World) -> list[dict[str, Any]]:
    day, before, after = world.day, world.day - timedelta(days=1), world.day + timedelta(days=1)
    decided = world.dossiers[0].reference
    return [
        {},
        {"status": "decided"},
        {"status": "filed"},
        {"status": "reviewed"},
        {"status": "withdrawn"},
        {"region": "bretagne"},
        {"region": "corse"},
        {"region": "normandie"},
        {"aid": "ACED"},
        {"aid": "AFE"},
        {"aid": "FCI"},
        {"outcome": "rejected"},
        {"outcome": "granted_in_full"},
        {"filed_from": day.isoformat()},
        {"filed_from": after.isoformat()},
        {"filed_to": day.isoformat()},
        {"filed_to": before.isoformat()},
        {"decided_from": day.isoformat()},
        {"decided_from": after.isoformat()},
        {"decided_to": day.isoformat()},
        {"decided_to": before.isoformat()},
        {"reference": decided},
        {"reference": decided[-6:].lower()},
    ]


def combined_filters(world: World) -> list[dict[str, Any]]:
    day = world.day.isoformat()
    return [
        {"region": "bretagne", "aid": "AFE", "status": "reviewed"},
        {"region": "bretagne", "aid": "ACED", "outcome": "rejected", "decided_from": day},
        {"region": ["bretagne", "corse"], "status": ["filed", "reviewed"]},
        {"aid": ["ACED", "FCI"], "filed_from": day, "filed_to": day},
        {"region": "corse", "aid": "ACED"},
        {"status": "decided", "decided_to": (world.day - timedelta(days=1)).isoformat()},
    ]


def every_filter(world: World) -> list[dict[str, Any]]:
    return single_filters(world) + combined_filters(world)


def expected(world: World, params: dict[str, Any]) -> list[Known]:
    return [d for d in world.dossiers if d.matches(params, world.day)]


def get(world: World, path: str, params: dict[str, Any]) -> Any:
    response = world.client.get(path, params=params | {"min_position": world.head})
    assert response.status_code == 200, (path, params, response.text)
    return response


def test_the_work_queue_answers_each_filter_alone_and_combined(world: World) -> None:
    for params in every_filter(world):
        items = get(world, "/dossiers", params).json()["items"]
        assert {i["reference"] for i in items} == {d.reference for d in expected(world, params)}, (
            params
        )


def test_the_csv_export_answers_each_filter_alone_and_combined(world: World) -> None:
    for params in every_filter(world):
        lines = csv.DictReader(io.StringIO(get(world, "/exports/dossiers.csv", params).text))
        assert {line["reference"] for line in lines} == {
            d.reference for d in expected(world, params)
        }, params


def test_the_activity_dashboard_answers_each_filter_alone_and_combined(world: World) -> None:
    for params in every_filter(world):
        rows = get(world, "/dashboards/activity", params | {"by": "region"}).json()["rows"]
        wanted = expected(world, params)
        assert sum(r["dossiers"] for r in rows) == len(wanted), params
        aids = set(_list(params["aid"])) if "aid" in params else None
        requested = sum(
            (
                amount
                for d in wanted
                for aid, amount in d.requested.items()
                if not aids or aid in aids
            ),
            Decimal(0),
        )
        assert sum(Decimal(r["requested"]) for r in rows) == requested, params
        assert {r["region"] for r in rows} == {d.region for d in wanted}, params


def test_the_activity_dashboard_counts_the_aid_asked_only(world: World) -> None:
    rows = get(world, "/dashboards/activity", {"aid": "ACED", "by": ["aid", "region"]}).json()
    assert [(r["aid"], r["region"], r["dossiers"], r["requested"]) for r in rows["rows"]] == [
        ("ACED", "bretagne", 1, "1320.50")
    ]


def test_the_delays_dashboard_answers_each_filter_alone_and_combined(world: World) -> None:
    for params in every_filter(world):
        delays = get(world, "/dashboards/delays", params).json()
        decided = [d for d in expected(world, params) if d.outcome]
        assert delays["filed_to_decided"]["count"] == len(decided), params


def test_the_silence_dashboard_answers_each_filter_alone_and_combined(world: World) -> None:
    for params in every_filter(world):
        silence = get(world, "/dashboards/silence", params | {"within_days": 366}).json()
        answered = {d["reference"] for d in silence["past"] + silence["close"]}
        awaiting = {d.reference for d in expected(world, params) if not d.outcome}
        assert answered == awaiting, params


def test_the_commission_view_answers_each_filter_alone_and_combined(world: World) -> None:
    for params, count in (
        ({}, 1),
        ({"region": "bretagne"}, 1),
        ({"region": "corse"}, 0),
        ({"session_status": "open"}, 1),
        ({"session_status": "scheduled"}, 0),
        ({"region": "bretagne", "session_status": "scheduled"}, 0),
        ({"region": ["corse", "bretagne"]}, 1),
    ):
        items = get(world, "/commission-view", params).json()["items"]
        assert len(items) == count, params
        assert all(i["region"] == "bretagne" for i in items)
