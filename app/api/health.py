"""The probes: is the process alive (it answers), is it ready (its database, its schema and its
projections are). Public, as probes are, so each is cheap and says nothing of any record."""

import threading
import time
from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from app.api.problems import Problem, ProblemError
from app.services.readiness import NotReady

router = APIRouter(tags=["health"])
FRESH_FOR = 1.0  # seconds a readiness answer is reused: probes may come often, or in a flood


class Alive(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ready"}]})
    status: Literal["ready"] = "ready"


class Readiness:
    """The readiness of this process, looked up at most once a second, one look at a time:
    callers that come while a look is under way get the last answer (a public probe must not
    let a flood of callers load the database)."""

    def __init__(self, look: Callable[[], list[NotReady]], fresh_for: float = FRESH_FOR) -> None:
        self.look, self.fresh_for = look, fresh_for
        self.lock = threading.Lock()
        self.answer: list[NotReady] | None = None
        self.at = 0.0

    def __call__(self) -> list[NotReady]:
        if self.answer is not None and time.monotonic() - self.at < self.fresh_for:
            return self.answer
        if not self.lock.acquire(blocking=self.answer is None):
            return self.answer or []  # a look is under way: its predecessor's answer
        try:
            self.answer, self.at = self.look(), time.monotonic()
            return self.answer
        finally:
            self.lock.release()


@router.get("/health/live", response_model=Alive)
def health_live() -> Alive:
    """Liveness: the process answers. It looks at nothing else, so that a database that
    stops answering makes the service unready, never restarted for it."""
    return Alive()


@router.get("/health", response_model=Alive)
def health() -> Alive:
    """Liveness, as `/health/live` (kept for the callers that use it)."""
    return Alive()


@router.get(
    "/health/ready",
    response_model=Ready,
    responses={503: {"model": Problem, "description": "Not ready; `not_ready` names each cause"}},
)
def health_ready(request: Request) -> Ready:
    """Readiness: the database answers, its schema is at this release's migrations, and each
    projection lags less than READY_MAX_PROJECTION_LAG_EVENTS and _SECONDS. Otherwise `503`
    naming each cause. Looked up at most once a second."""
    readiness: Readiness = request.app.state.readiness
    causes = readiness()
    if causes:
        raise ProblemError(
            503,
            "not-ready",
            "Not ready",
            "; ".join(cause.detail for cause in causes) + ".",
            not_ready=list(dict.fromkeys(cause.check for cause in causes)),
        )
    return Ready()
