"""The `action-sociale` command: serve, migrate, load demo data, write the OpenAPI spec."""

import json
import logging
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import uvicorn

from app.settings import Settings

if TYPE_CHECKING:
    from app.services.projecting import Projections

cli = typer.Typer(
    help="Case management for the CPSTI social action aids.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # a failure is a log line (main), not a screen of locals
)


def configured(
    *,
    secrets_needed: tuple[str, ...] = ("AUTH_SECRET", "AUDIT_KEY", "KEY_ENCRYPTION_KEY"),
    rulebook_needed: bool = True,
    database_needed: bool = True,
) -> Settings:
    """The settings a command needs, each one checked (and the database answering); else one
    message naming every one to fix, and exit 2 (no traceback)."""
    from app.logs import configure_logging
    from app.startup import SettingsProblems, checked_settings

    try:
        settings = checked_settings(
            secrets_needed=secrets_needed,
            rulebook_needed=rulebook_needed,
            database_needed=database_needed,
        )
    except SettingsProblems as problems:
        typer.echo(str(problems), err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_format, settings.log_level)
    return settings


@cli.command()
def migrate() -> None:
    """Create or upgrade every table (event store included) to the latest revision."""
    from app.store.migrate import migrate as run

    settings = configured(secrets_needed=(), rulebook_needed=False)
    run(settings)
    typer.echo(f"migrated {settings.database_url}")


@cli.command()
def demo() -> None:
    """Load the demo dossiers (once: loading again adds nothing)."""
    from app.demo.data import (
        CATASTROPHES,
        DOSSIERS,
        LEFT_OPEN,
        demo_dossier_id,
        demo_sessions,
        demo_timeline,
        load_demo_data,
    )
    from app.store.eventstore import open_event_store

    application = open_event_store(configured())
    try:
        added = load_demo_data(application)
    finally:
        application.close()
    typer.echo(f"demo data: {added} dossiers added ({len(DOSSIERS)} in all), for instance:")
    regions, _ = demo_timeline()
    caseworker_regions = DEMO_ROLES[0][2]
    for n in [n for n, region in enumerate(regions) if region in caseworker_regions][:3]:
        typer.echo(f"  GET /dossiers/{demo_dossier_id(n)}  ({regions[n]})")
    for session in demo_sessions():
        if (session.region, session.day.year, session.day.month) == LEFT_OPEN:
            typer.echo(f"  GET /cass-sessions/{session.id}  (an open CASS session)")
    for event in CATASTROPHES.values():
        typer.echo(f"  GET /catastrophes/{event.id}  ({event.name})")


DEMO_ROLES = (
    ("agent-demo", "caseworker", ("ile-de-france", "bretagne", "occitanie")),
    ("cass-ile-de-france-m1", "commission", ("ile-de-france",)),
    ("auditor-demo", "auditor", ()),
    ("backoffice-idf", "integration", ("ile-de-france",)),
    ("analyst-demo", "analyst", ()),
    ("admin-demo", "admin", ()),
)


@cli.command()
def token(
    subject: Annotated[str, typer.Option(help="Who: recorded as the actor of their commands")],
    role: Annotated[str, typer.Option(help="caseworker, commission, auditor, integration, ...")],
    region: Annotated[list[str] | None, typer.Option(help="A region it acts in (repeat)")] = None,
    hours: Annotated[float, typer.Option(help="How long it is valid")] = 8,
) -> None:
    """Mint a development token (signed with the shared secret of this deployment)."""
    from app.api.auth import Role, mint_token

    try:
        chosen = Role(role)
    except ValueError:
        raise typer.BadParameter(f"one of {', '.join(r.value for r in Role)}") from None
    # the signing secret alone: a token needs neither the store nor its other secrets
    settings = configured(
        secrets_needed=("AUTH_SECRET",), rulebook_needed=False, database_needed=False
    )
    if settings.auth_public_key:
        typer.echo(WITH_PUBLIC_KEY, err=True)
        raise typer.Exit(2)
    typer.echo(mint_token(settings, subject, chosen, tuple(region or ()), hours))


def print_demo_tokens(settings: Settings) -> None:
    """Ready-to-use tokens for each role: paste one in /docs' Authorize button."""
    from app.api.auth import Role, mint_token

    typer.echo("demo tokens (valid 12 h; Authorize in /docs with the token alone):")
    for subject, role, regions in DEMO_ROLES:
        where = f" of {', '.join(regions)}" if regions else ""
        typer.echo(f"  {role}{where} ({subject}):")
        typer.echo(f"    {mint_token(settings, subject, Role(role), regions, hours=12)}")


WITH_PUBLIC_KEY = (
    "AUTH_PUBLIC_KEY is set: tokens come from the identity provider, and this service can only "
    "mint them with the shared secret (unset AUTH_PUBLIC_KEY to use AUTH_SECRET)."
)


APP_FACTORY = "app.api.main:create_app"  # each worker builds its app, settings from the environment
HTTP_PROTOCOL = "app.api.http_protocol:BoundedHttpToolsProtocol"  # imported by each worker


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            envvar="WEB_CONCURRENCY",
            help="API processes sharing the port (each runs the embedded projections, if on)",
        ),
    ] = 1,
    with_demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load demo data")] = False,
) -> None:
    """Migrate, optionally load the demo data, and serve the API.

    On SIGTERM (or Ctrl-C) the requests in flight are answered, for GRACEFUL_SHUTDOWN_SECONDS at
    most, and the embedded projections stop after their current batch.
    """
    from app.startup import SERVED_SECRETS

    # every setting checked before anything starts, the metrics' too
    settings = configured(secrets_needed=SERVED_SECRETS)
    if with_demo and settings.auth_public_key:
        typer.echo(f"--demo prints demo tokens, but {WITH_PUBLIC_KEY}", err=True)
        raise typer.Exit(2)
    migrate()  # once, here, before any worker starts
    if with_demo:
        demo()
        print_demo_tokens(settings)
    from app.logs import logging_config

    typer.echo(f"API docs: http://{host}:{port}/docs")
    # uvicorn stops gracefully on SIGTERM or Ctrl-C, then raises the signal again for the
    # handler it found in place: a stop that was asked for ends with status 0, as it does with
    # --workers (whose supervisor replaces these handlers with its own)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _asked_to_stop)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        # httptools' parser, with the request head bounded (400 beyond MAX_REQUEST_HEAD)
        http=HTTP_PROTOCOL,
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=False,  # the app writes one `request` line per request, with its route
        # X-Forwarded-For is believed only from the proxies named in FORWARDED_ALLOW_IPS: by
        # default none, so a caller cannot pick the address its rate limit is counted by.
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )


def _asked_to_stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


@cli.command("secrets")
def make_secrets(
    output: Annotated[
        Path | None,
        typer.Option(help="Write them to this file, owner-only (a file already there is kept)"),
    ] = None,
) -> None:
    """Print fresh secrets (AUTH_SECRET, AUDIT_KEY, KEY_ENCRYPTION_KEY) as `export NAME=value`
    lines: for `eval "$(action-sociale secrets)"`, a .env file or a secret manager.

    Make them once per deployment and keep them: the audit chain is sealed with AUDIT_KEY and
    the dossiers' keys are wrapped with KEY_ENCRYPTION_KEY.
    """
    from app.startup import fresh_secrets
    from app.store.files import write_new_secret

    if output is None:
        typer.echo(fresh_secrets(), nl=False)
    elif write_new_secret(output, fresh_secrets()):
        typer.echo(f"wrote {output} (owner-only): keep it, and keep it out of version control")
    else:
        typer.echo(
            f"{output} exists: kept as it is, nothing written (remove it to make new secrets)",
            err=True,
        )
        raise typer.Exit(1)


@cli.command()
def openapi(
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout")] = None,
) -> None:
    """Print the OpenAPI spec (the committed one is openapi/openapi.json)."""
    from app.api.main import create_app

    text = openapi_text(create_app(Settings()).openapi())
    if output:
        output.write_text(text)
    else:
        typer.echo(text, nl=False)


projections_cli = typer.Typer(help="Run, watch and rebuild the read models.", no_args_is_help=True)
cli.add_typer(projections_cli, name="projections")


def _projections() -> "Projections":
    from app.services.projecting import Projections
    from app.services.reference import load_rulebook
    from app.store.database import sql_engine
    from app.store.eventstore import open_event_store

    settings = configured()
    engine = sql_engine(settings)  # one engine for the keys and the read tables
    return Projections(
        open_event_store(settings, engine), engine, load_rulebook(settings.rulebook_file)
    )


@projections_cli.command("run")
def projections_run(
    idle: Annotated[
        float,
        typer.Option(
            help="Seconds before the first look again once caught up, doubled while nothing "
            "arrives (up to 1 s on SQLite, 5 s on PostgreSQL, which notifies each append)"
        ),
    ] = 0.2,
) -> None:
    """Keep every projection up to date until SIGTERM or Ctrl-C, which let the current batch
    finish and commit with its position, then exit 0 (a worker of its own process).

    Each projection is run by one worker at a time (an advisory lock on PostgreSQL, a lock file
    on SQLite): start as many as you like for availability.
    """
    from app.services.projecting import Runner

    projections = _projections()
    runner = Runner(projections, idle=idle)
    # the batches run in the runner's thread; this one only waits for a signal
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stopping.set())
    runner.start()
    typer.echo("projections running; SIGTERM or Ctrl-C stops them after the current batch")
    runner.thread.join()  # until a signal sets `stopping` and the batch under way is committed
    projections.application.close()
    projections.engine.dispose()
    typer.echo("projections stopped")


@projections_cli.command("status")
def projections_status() -> None:
    """Each projection's generation in use, its position and its lag behind the store."""
    projections = _projections()
    typer.echo(f"{'projection':<12} {'active':<6} {'position':>10} {'lag':>8}")
    for status in projections.status():
        typer.echo(
            f"{status.projection:<12} {status.active:<6} {status.position:>10} {status.lag:>8}"
        )


@projections_cli.command("rebuild")
def projections_rebuild(
    names: Annotated[
        list[str] | None, typer.Argument(help="The projections to rebuild; all if none")
    ] = None,
) -> None:
    """Rebuild projections into their other tables from the first event, reading the store
    once for all of them, then switch readers over once they have caught up: nobody reads a
    half-built view."""
    projections = _projections()
    unknown = [name for name in names or () if name not in projections.projectors]
    if unknown:
        raise typer.BadParameter(
            f"no projection {unknown[0]!r}; one of {', '.join(projections.projectors)}"
        )
    total = projections.head()
    label = f"rebuilding {', '.join(names or projections.projectors)}"
    with typer.progressbar(length=total, label=label) as bar:
        generations = projections.rebuild_all(
            names or (), progress=lambda applied, _: bar.update(applied)
        )
    for name, generation in generations.items():
        typer.echo(f"{name}: readers now use generation {generation}")


audit_cli = typer.Typer(help="Verify the audit chain; keep the access log.", no_args_is_help=True)
cli.add_typer(audit_cli, name="audit")


@audit_cli.command("verify")
def audit_verify(
    dossier: Annotated[
        str | None, typer.Option(help="One dossier's id; all streams if none")
    ] = None,
) -> None:
    """Check that no stored event was edited or removed; exit 1 when one was."""
    from uuid import UUID

    from app.store.audit import verify_store, verify_stream
    from app.store.database import sql_engine
    from app.store.eventstore import open_event_store

    settings = configured()
    engine = sql_engine(settings)
    application = open_event_store(settings, engine)
    try:
        report = (
            verify_stream(application, engine, UUID(dossier))
            if dossier
            else verify_store(application, engine)
        )
    finally:
        application.close()
        engine.dispose()
    typer.echo(f"{report.events} events in {report.streams} streams checked")
    for breach in report.breaches:
        typer.echo(f"  {breach.stream_id} v{breach.version}: {breach.problem}")
    if not report.valid:
        raise typer.Exit(1)
    typer.echo("the chain holds")


@audit_cli.command("purge-access-log")
def audit_purge_access_log() -> None:
    """Delete the access log's entries older than its retention (ACCESS_LOG_RETENTION_DAYS)."""
    from app.api.access import purge
    from app.store.database import sql_engine

    settings = configured(secrets_needed=(), rulebook_needed=False)
    engine = sql_engine(settings)
    try:
        gone = purge(engine, settings.access_log_retention_days)
    finally:
        engine.dispose()
    typer.echo(f"{gone} entries older than {settings.access_log_retention_days} days deleted")


@cli.command("erase-due")
def erase_due() -> None:
    """Erase the personal data of every dossier untouched for its retention period."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from app.services.dossiers import DossierService
    from app.services.reference import load_rulebook
    from app.store.database import sql_engine
    from app.store.eventstore import open_event_store
    from app.store.tables import dossier_keys
    from domain.errors import RuleViolation

    settings = configured()
    engine = sql_engine(settings)
    application = open_event_store(settings, engine)
    service = DossierService(application, load_rulebook(settings.rulebook_file))
    erased = 0
    try:
        with engine.connect() as connection:
            query = select(dossier_keys.c.dossier_id).where(dossier_keys.c.erased_at.is_(None))
            candidates = [row.dossier_id for row in connection.execute(query)]
        for dossier_id in candidates:
            try:
                service.erase(
                    dossier_id, datetime.now(UTC), "retention", settings.erasure_after_days
                )
            except RuleViolation:
                continue  # still open, or still within its retention period
            erased += 1
    finally:
        application.close()
        engine.dispose()
    typer.echo(f"{erased} dossiers erased, {len(candidates) - erased} kept")


def openapi_text(spec: dict[str, object]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> None:
    """The command; a failure it did not foresee is one log line (kinds and frames, as the
    logs write every exception: never its message, which could quote a value) and status 1."""
    try:
        cli()
    except Exception:
        if not logging.getLogger().handlers:  # it failed before its settings were read
            from app.logs import configure_logging

            asked = os.environ.get("LOG_FORMAT", "json")
            configure_logging("console" if asked == "console" else "json")
        logging.getLogger("app.cli").exception("the command failed")
        raise SystemExit(1) from None
