"""Whether this process is ready to be sent traffic: the database answers, its schema is at this
release's migrations, and no projection lags past the bounds the operator set.

Each cause is named, for the operator; none names a record or a person.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text

from app.services.projecting import Projections, Status
from app.store.migrate import release_revisions, schema_revisions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bounds:
    """How far a projection may lag and the process still be ready (0: not checked)."""

    events: int
    seconds: float


@dataclass(frozen=True)
class NotReady:
    check: str  # database, migrations, projections or projection:<name>: a bounded set
    detail: str


def not_ready(projections: Projections, bounds: Bounds) -> list[NotReady]:
    """What keeps this process from being ready; nothing when it is."""
    try:
        with projections.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            found = schema_revisions(connection)
    except Exception as error:
        log.warning("not ready: the database does not answer (%s)", type(error).__name__)
        return [NotReady("database", "the database does not answer")]
    expected = release_revisions()
    if found != expected:
        # the projections' tables may not be this release's yet: they are not looked at
        at = ", ".join(sorted(found)) or "no revision"
        return [
            NotReady(
                "migrations",
                f"the schema is at {at}, this release needs {', '.join(sorted(expected))}: "
                "run `action-sociale migrate`",
            )
        ]
    try:
        statuses = projections.status()
    except Exception as error:
        log.warning("not ready: the projections' positions unread (%s)", type(error).__name__)
        return [NotReady("projections", "the projections' positions cannot be read")]
    now = datetime.now(UTC)
    return [problem for status in statuses for problem in lagging(status, bounds, now)]


def lagging(status: Status, bounds: Bounds, now: datetime) -> list[NotReady]:
    check = f"projection:{status.projection}"
    found = []
    if bounds.events and status.lag > bounds.events:
        found.append(
            NotReady(
                check,
                f"the projection {status.projection} is {status.lag} events behind the store "
                f"(at most {bounds.events})",
            )
        )
    waited = status.lag_seconds(now)
    if bounds.seconds and waited > bounds.seconds:
        found.append(
            NotReady(
                check,
                f"the projection {status.projection} has not applied an event of "
                f"{waited:.0f} s ago (at most {bounds.seconds:g} s)",
            )
        )
    return found
