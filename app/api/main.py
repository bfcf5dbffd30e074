"""The FastAPI application: one event store per process, opened and closed with the app."""

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from app import __version__
from app.api import audit, catastrophes, dossiers, health, reads, scraping, sessions
from app.api.access import withheld
from app.api.answers import Out
from app.api.auth import signing_key
from app.api.metrics import RequestMetrics, scrape_registry
from app.api.middleware import (
    VERSION_HEADER,
    HeadAsGet,
    RateLimitHeaders,
    RequestContext,
    ServiceVersion,
)
from app.api.params import plain_parameters
from app.api.problems import PROBLEM_JSON, install_problem_handlers, problem_response
from app.api.ratelimit import RateLimits
from app.api.requests import MONEY_FIELDS, MONEY_SCHEMA
from app.api.waiting import Waits
from app.logs import configure_logging
from app.services.dossiers import DossierService
from app.services.projecting import Projections, Runner
from app.services.readiness import Bounds, not_ready
from app.services.reference import load_rulebook
from app.settings import Settings
from app.startup import SERVED_SECRETS, SettingsProblems, check, checked_settings
from app.store.access_log import AccessLogUnavailable
from app.store.database import sql_engine
from app.store.eventstore import open_event_store

log = logging.getLogger(__name__)
DESCRIPTION = """
Case management for the social action aids of the CPSTI (ACED, AFE, FCI, ADR), carried by the
Urssaf. Each aid dossier is an event-sourced stream: filed, reviewed, anonymised, presented to
the regional CASS, decided, notified.

Commands take `If-Match` with the version you read (the `ETag`); errors are RFC 9457 problem
details (`application/problem+json`). Every answer names the release that gave it in
`X-Service-Version`.

Every answer carries `X-Request-ID`: the one you sent, if it is a plain token of at most 128
characters (letters, digits, `._:@+=/-`), else one made for the request. Problems quote it as
`request_id`, and every log line of the request carries it: quote it when reporting a problem.
"""


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names: stable, readable, unique."""
    return route.name


RATE_LIMIT_HEADERS = {
    name: {"description": text, "schema": {"type": "integer"}}
    for name, text in (
        ("RateLimit-Limit", "Requests allowed in the window (IETF draft ratelimit-headers-07)"),
        ("RateLimit-Remaining", "Requests left in the window"),
        ("RateLimit-Reset", "Seconds until the window starts afresh"),
    )
}
GUARD_PROBLEMS = {
    "413": "The body is larger than MAX_BODY_BYTES",
    "429": "Too many requests (RATE_LIMIT), or too many waits at once; retry after Retry-After",
    "431": "The Authorization header is too large",
}


def describe_guard(method: str, responses: dict[str, Any]) -> None:
    """A guarded operation may also answer the guard's problems, and says its rate limit."""
    problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for code, text in GUARD_PROBLEMS.items():
        if code == "413" and method != "post":
            continue
        responses.setdefault(code, {"description": text, "content": problem})
    retry = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
    responses["429"]["headers"] = RATE_LIMIT_HEADERS | retry
    for code, response in responses.items():
        if code.startswith("2"):
            response["headers"] = response.get("headers", {}) | RATE_LIMIT_HEADERS


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
REQUEST_ID_HEADER = {
    "X-Request-ID": {
        "description": "The request's id: the caller's own if it is a plain token, else a new one",
        "schema": {"type": "string"},
    }
}


def examples_as_written(spec: dict[str, Any]) -> None:
    """FastAPI writes the spec without a single null (`exclude_none`), the examples' included:
    an answer's example would lose its null fields and no longer fit its schema. Each answer's
    example is put back as its model wrote it."""
    schemas = spec["components"]["schemas"]
    models = list(Out.__subclasses__())
    while models:
        model = models.pop()
        models.extend(model.__subclasses__())
        extra = model.model_config.get("json_schema_extra")
        if isinstance(extra, dict) and "examples" in extra and model.__name__ in schemas:
            schemas[model.__name__]["examples"] = extra["examples"]


SERVICE_VERSION = {
    "description": "The release of the service that answered (the package's version)",
    "required": True,
    "schema": {"type": "string", "examples": [__version__]},
}


def describe_as_served(app: FastAPI) -> None:
    """Say in the spec what the API really sends and takes: errors as application/problem+json,
    amounts of money as exact decimal strings."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            for schema in spec["components"]["schemas"].values():
                for name, field in schema.get("properties", {}).items():
                    if name in MONEY_FIELDS:
                        nullable = "anyOf" in field and {"type": "null"} in field["anyOf"]
                        money = dict(MONEY_SCHEMA)
                        field.clear()
                        field.update({"anyOf": [money, {"type": "null"}]} if nullable else money)
            for path in spec["paths"].values():
                for method, operation in path.items():
                    if "x-roles" in operation:
                        describe_guard(method, operation["responses"])
                    for parameter in operation.get("parameters", []):
                        if (parameter["in"], parameter["name"]) == ("header", "If-Match"):
                            parameter["required"] = True  # read by the route: 428 without it
                    for code, response in operation["responses"].items():
                        response["headers"] = response.get("headers", {}) | {
                            VERSION_HEADER: {"$ref": f"#/components/headers/{VERSION_HEADER}"},
                            **REQUEST_ID_HEADER,
                        }
                        content = response.get("content", {})
                        if code.startswith(("4", "5")) and "application/json" in content:
                            content[PROBLEM_JSON] = content.pop("application/json")
                        if code == "422":  # whoever added it: the API answers a problem
                            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
                            if response.get("description") == "Validation Error":
                                response["description"] = "Invalid input; `errors` says why"
            examples_as_written(spec)
            spec["components"]["headers"] = {VERSION_HEADER: SERVICE_VERSION}
            if "HTTPValidationError" not in json.dumps(spec["paths"]):
                for unused in ("HTTPValidationError", "ValidationError"):
                    spec["components"]["schemas"].pop(unused, None)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        check(settings)  # every missing or malformed setting named at once, before any use
        app.state.signing_key = signing_key(settings)
        app.state.rate_limits = RateLimits(settings)
        app.state.waits = Waits(settings.read_waits_per_caller)
        engine = sql_engine(settings)
        application = open_event_store(settings, engine)
        rulebook = load_rulebook(settings.rulebook_file)
        app.state.dossiers = DossierService(application, rulebook)
        app.state.projections = Projections(application, engine, rulebook)
        bounds = Bounds(
            settings.ready_max_projection_lag_events, settings.ready_max_projection_lag_seconds
        )
        app.state.readiness = health.Readiness(lambda: not_ready(app.state.projections, bounds))
        app.state.metrics = scrape_registry(app.state.projections)
        runner = Runner(app.state.projections) if settings.projections_embedded else None
        if runner:
            runner.start()
        try:
            yield
        finally:
            if runner:
                runner.stop()
            engine.dispose()
            application.close()

    # FastAPIOffline: /docs and /redoc load their scripts and styles from the service itself
    # (files of the fastapi-offline package), never from a CDN an operator's network may block.
    app = FastAPIOffline(
        title="action-sociale",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        redirect_slashes=False,  # a redirect built from the Host header is nobody's to follow
        dependencies=[Depends(plain_parameters)],
        separate_input_output_schemas=False,
        openapi_tags=[
            {"name": "dossiers", "description": "Aid dossiers and their path"},
            {"name": "cass sessions", "description": "The regional commission's sessions"},
            {"name": "catastrophe events", "description": "Catastrophes and their FCI envelope"},
            {"name": "read models", "description": "Lists, dashboards, exports, change feed"},
            {"name": "audit", "description": "The audit chain and the access log"},
            {"name": "health", "description": "Is the service up, and ready for traffic"},
            {"name": "metrics", "description": "Prometheus metrics, for the operators"},
            {"name": "problems", "description": "The kinds of problem the API answers"},
        ],
    )
    app.state.settings = settings
    install_problem_handlers(app)

    @app.exception_handler(AccessLogUnavailable)
    async def access_log_unavailable(request: Request, exc: AccessLogUnavailable) -> Response:
        """A command whose access-log entry could not be stored with its events: nothing was
        written, no personal data answered."""
        problem = withheld(exc)
        return problem_response(
            request, problem.status, problem.kind, problem.title, problem.detail, problem.headers
        )

    app.add_middleware(RequestMetrics)  # innermost: it sees the route and the problem answered
    app.add_middleware(RateLimitHeaders)
    app.add_middleware(HeadAsGet)
    app.add_middleware(ServiceVersion)
    app.add_middleware(RequestContext)  # outermost: every answer has its id, every request a line
    routers = (
        dossiers.router,
        sessions.router,
        catastrophes.router,
        reads.router,
        audit.router,
        health.router,
        scraping.router,
    )
    for router in routers:
        app.include_router(router)
    describe_as_served(app)
    return app


def served_app() -> FastAPI:
    """The app as a server's worker runs it (`uvicorn app.api.main:served_app --factory`): the
    settings read from the environment and checked, and the process's logs configured from
    them first (as `action-sociale serve` configures them). Settings that do not do are one
    error line naming each, and exit status 2."""
    try:
        settings = checked_settings(secrets_needed=SERVED_SECRETS)
    except SettingsProblems as problems:
        configure_logging()
        named = [str(problem).strip() for problem in problems.problems]
        log.error("action-sociale cannot start", extra={"problems": named})
        raise SystemExit(2) from None
    configure_logging(settings.log_format, settings.log_level)
    return create_app(settings)
