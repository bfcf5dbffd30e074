"""Several processes on one PostgreSQL store, and two of them killed (SIGKILL) mid-way: every
command acknowledged is stored once, no acknowledged event is lost, and the read models equal a
rebuild from the first event.

Two API processes (`serve`, the projections not embedded) and two `projections run` workers
share a schema of their own. Eight clients file dossiers (each with an Idempotency-Key) and
drive each one with If-Match through both APIs; once a third of the commands are through, one
API process and one worker are killed. The clients go on through the survivor, and a command
whose answer was lost with the process is sent again there: a filing with the same
Idempotency-Key, a command with the same If-Match (a 412 naming the next version then says it
was stored before the kill).
"""

import signal
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID, uuid4

import httpx2
import pytest
from conftest import bearer, postgres_schema
from payloads import document_request_body, file_body
from processes import free_port, launched, serve_args, stopped, store_env, until_answering
from test_projections import snapshot

from app.api.auth import Role
from app.services.projecting import Projections
from app.settings import DEFAULT_REGIONS
from app.store.database import sql_engine
from app.store.eventstore import open_event_store
from domain.rulebook import Rulebook
from projections.tables import active_generation

pytestmark = pytest.mark.postgres

CLIENTS = 8
DOSSIERS_PER_CLIENT = 5
STEPS_PER_DOSSIER = 7  # after the filing: documents requested, received, requested...
COMMANDS = CLIENTS * DOSSIERS_PER_CLIENT * (1 + STEPS_PER_DOSSIER)
STEPS = (
    ("document-requests", document_request_body()),
    ("received-documents", {"documents": ["bank_details"]}),
)


@dataclass
class Ledger:
    """What the clients were told, and what they learnt was stored without being told."""

    acknowledged: list[tuple[UUID, int, int | None]] = field(default_factory=list)
    stored_unanswered: list[tuple[UUID, int]] = field(default_factory=list)
    lost_answers: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, dossier: UUID, response: httpx2.Response) -> int:
        version = int(response.headers["ETag"].strip('"'))
        position = response.headers.get("X-Event-Position")  # a filing's replay has none
        with self.lock:
            self.acknowledged.append((dossier, version, int(position) if position else None))
        return version


class Cluster:
    """The API processes the clients use: both, until one is killed."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self.alive = list(urls)


class Client:
    """One client: a keep-alive connection to each API, used in turn while both are up."""

    def __init__(self, cluster: Cluster, ledger: Ledger, headers: dict[str, str], n: int) -> None:
        self.cluster, self.ledger, self.sent = cluster, ledger, n
        self.http = {
            url: httpx2.Client(base_url=url, headers=headers, timeout=30) for url in cluster.urls
        }

    def send(self, path: str, body: object, headers: dict[str, str]) -> httpx2.Response:
        """POST through one API or, if its answer is lost, again through the survivor."""
        self.sent += 1
        alive = self.cluster.alive
        url = alive[self.sent % len(alive)]
        try:
            return self.http[url].post(path, json=body, headers=headers)
        except httpx2.TransportError:
            with self.ledger.lock:
                self.ledger.lost_answers += 1
            survivor = self.cluster.alive[0]
            assert survivor != url, "the survivor lost an answer"
            return self.http[survivor].post(path, json=body, headers=headers)

    def drive(self) -> None:
        """File dossiers and take each one through its steps, each with the version it holds."""
        ledger = self.ledger
        for _ in range(DOSSIERS_PER_CLIENT):
            key = {"Idempotency-Key": f"kill-test-{uuid4()}"}
            filed = self.send("/dossiers", file_body(), key)
            assert filed.status_code in (200, 201), filed.text
            dossier = UUID(filed.headers["Location"].rsplit("/", 1)[1])
            version = ledger.ack(dossier, filed)
            for step in range(STEPS_PER_DOSSIER):
                path, body = STEPS[step % 2]
                match = {"If-Match": f'"{version}"'}
                answer = self.send(f"/dossiers/{dossier}/{path}", body, match)
                if answer.status_code == 412:  # stored before the kill: its answer was lost
                    assert answer.json()["current_version"] == version + 1, answer.text
                    version += 1
                    with ledger.lock:
                        ledger.stored_unanswered.append((dossier, version))
                    continue
                assert answer.status_code == 200, answer.text
                version = ledger.ack(dossier, answer)
        for http in self.http.values():
            http.close()


def test_killing_an_api_process_and_a_projection_worker_loses_and_doubles_nothing(
    tmp_path: Path,
) -> None:
    with postgres_schema() as settings, ExitStack() as stack:
        env = store_env(settings) | {
            "PROJECTIONS_EMBEDDED": "false",
            "DATABASE_POOL_SIZE": "4",
            "RATE_LIMIT": "100000/minute",
        }
        ports = [free_port(), free_port()]
        apis = [
            stack.enter_context(launched(tmp_path, f"api-{n}", *serve_args(port), **env))
            for n, port in enumerate(ports)
        ]
        workers = [
            stack.enter_context(launched(tmp_path, f"worker-{n}", "projections", "run", **env))
            for n in range(2)
        ]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, api in zip(urls, apis, strict=True):
            until_answering(url, api)

        cluster, ledger = Cluster(urls), Ledger()
        headers = bearer(settings, Role.CASEWORKER, "agent-kill-test", DEFAULT_REGIONS)
        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            clients = [Client(cluster, ledger, headers, n) for n in range(CLIENTS)]
            driving = [pool.submit(c.drive) for c in clients]
            while len(ledger.acknowledged) < COMMANDS // 3:
                assert not any(d.done() for d in driving), [d.exception() for d in driving]
                time.sleep(0.01)
            cluster.alive = [urls[1]]  # the clients turn to the survivor...
            apis[0].send_signal(signal.SIGKILL)  # ...while requests to this one are in flight
            workers[0].send_signal(signal.SIGKILL)
            for d in driving:
                d.result()
        elapsed = time.monotonic() - started
        assert apis[0].wait(timeout=10) == -signal.SIGKILL
        assert workers[0].wait(timeout=10) == -signal.SIGKILL

        engine = sql_engine(settings)
        application = open_event_store(settings, engine)
        projections = Projections(application, engine, Rulebook())
        deadline = time.monotonic() + 30
        while any(s.lag for s in projections.status()):  # the surviving worker alone
            assert time.monotonic() < deadline, projections.status()
            time.sleep(0.1)
        assert stopped(workers[1]) == 0
        assert stopped(apis[1]) == 0

        # every acknowledged command stored once: each dossier's stream holds its filing and
        # the commands acknowledged or stored before the kill, each at its own version
        told: defaultdict[UUID, list[int]] = defaultdict(list)
        for dossier, version, _ in ledger.acknowledged:
            told[dossier].append(version)
        for dossier, version in ledger.stored_unanswered:
            told[dossier].append(version)
        assert len(told) == CLIENTS * DOSSIERS_PER_CLIENT
        assert sum(len(versions) for versions in told.values()) == COMMANDS
        for dossier, versions in told.items():
            stored_versions = [r.originator_version for r in application.stream(dossier)]
            assert stored_versions == sorted(versions) == list(range(1, len(versions) + 1))
        head = projections.head()
        every = application.recorder.select_notifications(0, head + 1, inclusive_of_start=False)
        assert len(every) == COMMANDS  # and nothing else: no filing doubled under a new id
        # no acknowledged event lost: each position answered holds that dossier's version
        stored = {n.id: (UUID(str(n.originator_id)), n.originator_version) for n in every}
        for dossier, version, position in ledger.acknowledged:
            if position is not None:
                assert stored[position] == (dossier, version)

        # the read models, built by two workers of which one was killed, equal a rebuild
        for name in projections.projectors:
            with engine.connect() as connection:
                active = active_generation(connection, name)
            incremental = snapshot(projections, name, active)
            rebuilt = projections.rebuild(name)
            assert snapshot(projections, name, rebuilt) == incremental, name
        application.close()
        engine.dispose()

    print(
        f"\n{COMMANDS} commands in {elapsed:.1f} s through two API processes, one killed "
        f"mid-way: {COMMANDS / elapsed:.0f} commands/s; {ledger.lost_answers} answers lost "
        f"and the commands sent again, {len(ledger.stored_unanswered)} of them stored before"
    )
    for survivor in ("api-1", "worker-1"):
        assert "Traceback" not in (tmp_path / f"{survivor}.log").read_text()
