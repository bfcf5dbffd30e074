"""Prometheus metrics (prometheus-client): what the API did — requests, commands, access-log
writes — counted in each process, and summed over every process in prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR); where the store and its projections stand, read
from the database at each scrape, so any process answers it whole.

No label carries a record's id, a raw path, free text or anything else a caller chose: routes
are templates, commands are operation ids, rules the domain's names, the rest fixed sets.
"""

import logging
import os
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.api.middleware import ASKED_METHOD
from app.api.problems import PROBLEM_STATE, PROBLEM_TYPES, TYPE_BASE, Problem
from app.services.projecting import Projections

log = logging.getLogger(__name__)
# a `_created` series beside each counter and histogram would double the scrape for nothing
disable_created_metrics()  # type: ignore[no-untyped-call]
ROUTE_LABELS = ("route", "method", "status")
REQUESTS = Counter(
    "action_sociale_http_requests",
    "HTTP requests answered, by route template, method and status",
    ROUTE_LABELS,
)
LATENCY = Histogram(
    "action_sociale_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template, method and status",
    ROUTE_LABELS,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),  # waits last 30 s
)
COMMANDS = Counter(
    "action_sociale_commands",
    "Commands (every POST operation) by operation id and outcome: accepted, or the kind of "
    "problem answered (rule_violation with the rule broken, version_mismatch, invalid_input...)",
    ("command", "outcome", "rule"),
)
ACCESS_LOG_WRITES = Counter(
    "action_sociale_access_log_writes",
    "Writes to the access log: written, or failed (the answer holding personal data refused)",
    ("outcome",),
)


def access_log_written(outcome: str) -> None:
    """Count a write to the access log (written or failed), never failing the request for it."""
    try:
        ACCESS_LOG_WRITES.labels(outcome).inc()
    except Exception:
        log.exception("metrics: an access-log write was not counted")


# Webhook deliveries, once the service sends webhooks, are counted here: a Counter
# action_sociale_webhook_deliveries{outcome} with outcome one of a fixed set (delivered,
# failed, given_up), never the receiver's address nor anything of the payload.

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # a path no route has: its text is the caller's, never a label
RULE_NAME = re.compile(r"[a-z][a-z0-9_]{0,79}", re.ASCII)


def outcome(status: int, problem: Problem | None) -> tuple[str, str]:
    """A command's outcome and the rule it broke, if any, from its answer."""
    if 200 <= status < 300:
        return "accepted", ""
    kind = problem.type.removeprefix(TYPE_BASE) if problem else ""
    if kind not in PROBLEM_TYPES:
        return ("internal_error" if status >= 500 else "refused"), ""
    rule = problem.rule if problem and problem.rule and RULE_NAME.fullmatch(problem.rule) else ""
    return kind.replace("-", "_"), rule if kind == "rule-violation" else ""


def observe(scope: Scope, status: int, seconds: float) -> None:
    route: BaseRoute | None = scope.get("route")
    template = getattr(route, "path", None) or UNMATCHED
    method = scope.get(ASKED_METHOD, scope["method"])
    method = method if method in METHODS else "other"
    labels = (template, method, str(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)
    name = getattr(route, "name", None)
    if method == "POST" and template != UNMATCHED and name:
        found, rule = outcome(status, scope.get("state", {}).get(PROBLEM_STATE))
        COMMANDS.labels(name, found, rule).inc()


class RequestMetrics:
    """Counts and times every request by its route's template. Innermost of the middleware,
    so that it sees the route the router found and the problem the handlers answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})
        started, status = time.perf_counter(), 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:
            status = status or 499  # the client left before its answer
            raise
        except Exception:
            status = status or 500  # answered by the last-resort handler, outside
            raise
        finally:
            try:
                observe(scope, status, time.perf_counter() - started)
            except Exception:  # a metric never costs a caller their answer
                log.exception("metrics: a request was not counted")


class ThisProcess(Collector):
    """The metrics of this process alone (when there is one process)."""

    def collect(self) -> Iterable[Metric]:
        yield from REGISTRY.collect()


class StoreMetrics(Collector):
    """Where the store and each projection stand, read from the database at each scrape."""

    def __init__(self, projections: Projections) -> None:
        self.projections = projections

    def collect(self) -> Iterable[Metric]:
        build = GaugeMetricFamily("action_sociale_build_info", "The release", labels=["version"])
        build.add_metric([__version__], 1)
        yield build
        up = GaugeMetricFamily(
            "action_sociale_store_up", "1 when the store's positions were read at this scrape"
        )
        try:
            statuses = self.projections.status()
        except Exception as error:
            log.warning("metrics: the store's positions unread (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        now = datetime.now(UTC)
        yield GaugeMetricFamily(
            "action_sociale_event_store_head_position",
            "The position of the last event stored",
            value=statuses[0].head,
        )
        families: dict[str, tuple[str, Any]] = {
            "position": ("The position of the last event applied", lambda s: s.position),
            "lag_events": ("Events stored and not applied yet", lambda s: s.lag),
            "lag_seconds": (
                "Age of the oldest event not applied yet (0 once caught up)",
                lambda s: s.lag_seconds(now),
            ),
            "rebuild_running": (
                "1 while the generation readers do not use is filled: a rebuild runs, or one "
                "was cut short (run it again)",
                lambda s: int(s.rebuilding),
            ),
        }
        for suffix, (text, value) in families.items():
            family = GaugeMetricFamily(
                f"action_sociale_projection_{suffix}", text, labels=["projection"]
            )
            for status in statuses:
                family.add_metric([status.projection], value(status))
            yield family


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def scrape_registry(projections: Projections) -> CollectorRegistry:
    """What GET /metrics answers: every process's counts (or this one's), and the store's."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(ThisProcess())
    registry.register(StoreMetrics(projections))
    return registry
