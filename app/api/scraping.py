"""GET /metrics, and who may read it: an admin token, or the scraper's static credential
(METRICS_TOKEN), so that Prometheus scrapes with `authorization: credentials: <token>`.

The scraper's credential is compared in constant time and is not rate-limited: a scrape is
never refused for coming often. Anything else goes through the guard like every route (401,
429 by address for a wrong credential, 431) and must be an admin's token (403 otherwise).
"""

import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

from app.api.auth import Role, bearer
from app.api.guard import guard
from app.api.problems import Problem, ProblemError

router = APIRouter(tags=["metrics"])


def is_the_scraper(authorization: str, metrics_token: str) -> bool:
    """Whether `Authorization: Bearer <token>` carries the scraper's credential. The digests
    are compared, in constant time: neither the credential nor its length leaks."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return False
    given = hashlib.sha256(token.strip().encode()).digest()
    return hmac.compare_digest(given, hashlib.sha256(metrics_token.encode()).digest())


async def scraper_or_admin(
    request: Request,
    _scheme: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],  # for the spec
) -> None:
    metrics_token = request.app.state.settings.metrics_token
    if metrics_token and is_the_scraper(request.headers.get("authorization", ""), metrics_token):
        return
    caller = await guard(request)
    if caller.role is not Role.ADMIN:
        raise ProblemError(
            403,
            "forbidden",
            "Forbidden",
            "Only admin, or the scraper with METRICS_TOKEN, may read the metrics.",
        )


METRICS_EXAMPLE = """\
# HELP action_sociale_http_requests_total HTTP requests answered, by route, method and status
# TYPE action_sociale_http_requests_total counter
action_sociale_http_requests_total{method="POST",route="/dossiers",status="201"} 42.0
"""


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "description": "The metrics, in the Prometheus text format (0.0.4)",
            "content": {
                "text/plain": {
                    "schema": {"type": "string"},
                    "example": METRICS_EXAMPLE,
                }
            },
        },
        401: {"model": Problem, "description": "No admin token, nor the scraper's credential"},
        403: {"model": Problem, "description": "The caller's role may not read the metrics"},
    },
    dependencies=[Depends(scraper_or_admin)],
    openapi_extra={"x-roles": [Role.ADMIN.value]},
)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests by route template, method and status; commands by
    operation and outcome; access-log writes; the store's head; each projection's position,
    lag (events and seconds) and rebuild. Read with an admin token, or with
    `Authorization: Bearer <METRICS_TOKEN>` (the scraper's credential, never rate-limited)."""
    body = generate_latest(request.app.state.metrics)
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4)
