"""The FastAPI application: one event store per process, opened and closed with the app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.api import audit, catastrophes, dossiers, reads, sessions
from app.api.requests import MONEY_FIELDS, MONEY_SCHEMA
from app.auth import signing_key
from app.database import sql_engine
from app.dossiers import DossierService
from app.eventstore import open_event_store
from app.problems import PROBLEM_JSON, install_problem_handlers
from app.projecting import Projections, Runner
from app.reference import load_rulebook
from app.settings import Settings
from app.startup import check

DESCRIPTION = """
Case management for the social action aids of the CPSTI (ACED, AFE, FCI, ADR), carried by the
Urssaf. Each aid dossier is an event-sourced stream: filed, reviewed, anonymised, presented to
the regional CASS, decided, notified.

Commands take `If-Match` with the version you read (the `ETag`); errors are RFC 9457 problem
details (`application/problem+json`).
"""


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names: stable, readable, unique."""
    return route.name


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
                for operation in path.values():
                    for code, response in operation["responses"].items():
                        content = response.get("content", {})
                        if code.startswith(("4", "5")) and "application/json" in content:
                            content[PROBLEM_JSON] = content.pop("application/json")
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        check(settings)  # every missing or malformed setting named at once, before any use
        app.state.signing_key = signing_key(settings)
        engine = sql_engine(settings)
        application = open_event_store(settings, engine)
        rulebook = load_rulebook(settings.rulebook_file)
        app.state.dossiers = DossierService(application, rulebook)
        app.state.projections = Projections(application, engine, rulebook)
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

    app = FastAPI(
        title="action-sociale",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        separate_input_output_schemas=False,
        openapi_tags=[
            {"name": "dossiers", "description": "Aid dossiers and their path"},
            {"name": "cass sessions", "description": "The regional commission's sessions"},
            {"name": "catastrophe events", "description": "Catastrophes and their FCI envelope"},
            {"name": "read models", "description": "Lists, dashboards, exports, change feed"},
            {"name": "audit", "description": "The audit chain and the access log"},
            {"name": "health", "description": "Is the service up"},
            {"name": "problems", "description": "The kinds of problem the API answers"},
        ],
    )
    app.state.settings = settings
    install_problem_handlers(app)
    routers = (dossiers.router, sessions.router, catastrophes.router, reads.router, audit.router)
    for router in routers:
        app.include_router(router)
    describe_as_served(app)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app
