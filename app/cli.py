"""The `action-sociale` command: serve, migrate, load demo data, write the OpenAPI spec."""

import json
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from app.settings import Settings

cli = typer.Typer(help="Case management for the CPSTI social action aids.", no_args_is_help=True)


@cli.command()
def migrate() -> None:
    """Create or upgrade every table (event store included) to the latest revision."""
    from app.migrate import migrate as run

    settings = Settings()
    run(settings)
    typer.echo(f"migrated {settings.database_url}")


@cli.command()
def demo() -> None:
    """Load the demo dossiers (once: loading again adds nothing)."""
    from app.demo import (
        CATASTROPHES,
        DOSSIERS,
        LEFT_OPEN,
        demo_dossier_id,
        demo_sessions,
        load_demo_data,
    )
    from app.eventstore import open_event_store

    application = open_event_store(Settings())
    try:
        added = load_demo_data(application)
    finally:
        application.close()
    typer.echo(f"demo data: {added} dossiers added ({len(DOSSIERS)} in all), for instance:")
    for n in (0, len(DOSSIERS) // 2, len(DOSSIERS) - 1):
        typer.echo(f"  GET /dossiers/{demo_dossier_id(n)}")
    for session in demo_sessions():
        if (session.region, session.day.year, session.day.month) == LEFT_OPEN:
            typer.echo(f"  GET /cass-sessions/{session.id}  (an open CASS session)")
    for event in CATASTROPHES.values():
        typer.echo(f"  GET /catastrophes/{event.id}  ({event.name})")


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    with_demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load demo data")] = False,
) -> None:
    """Migrate, optionally load the demo data, and serve the API."""
    migrate()
    if with_demo:
        demo()
    from app.main import create_app

    typer.echo(f"API docs: http://{host}:{port}/docs")
    uvicorn.run(create_app(Settings()), host=host, port=port)


@cli.command()
def openapi(
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout")] = None,
) -> None:
    """Print the OpenAPI spec (the committed one is openapi/openapi.json)."""
    from app.main import create_app

    text = openapi_text(create_app(Settings()).openapi())
    if output:
        output.write_text(text)
    else:
        typer.echo(text, nl=False)


def openapi_text(spec: dict[str, object]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> None:
    cli()
