"""The guard at the door of every guarded route, before its body is read: who calls (the bearer
token), and whether they may call again so soon (the rate limits).

A caller with a valid token is counted by its subject; a request without one is counted by its
client address, so that a flood of forged tokens is answered 429, not checked forever.
"""

import structlog
from fastapi import Request

from app.api.auth import Principal, authenticate
from app.api.problems import ProblemError
from app.api.ratelimit import RateLimits, Verdict


def too_many(verdict: Verdict) -> ProblemError:
    return ProblemError(
        429,
        "too-many-requests",
        "Too many requests",
        f"At most {verdict.limit} requests in this window: retry in {max(verdict.reset, 1)} s.",
        headers=verdict.headers(),
    )


async def guard(request: Request) -> Principal:
    """The caller, authenticated and counted; 401, 429 or 431 problems otherwise."""
    limits: RateLimits = request.app.state.rate_limits
    try:
        caller = authenticate(
            request.app.state.settings,
            request.app.state.signing_key,
            request.headers.get("authorization"),
        )
    except ProblemError:
        address = request.client.host if request.client else "unknown"
        verdict = await limits.address(address)
        request.state.rate_limit = verdict
        if not verdict.allowed:
            raise too_many(verdict) from None
        raise
    verdict = await limits.subject(caller.subject)
    request.state.rate_limit = verdict
    if not verdict.allowed:
        raise too_many(verdict)
    request.state.principal = caller
    # every log line of the request from here on says who called, and by which route
    route = getattr(request.scope.get("route"), "path", None)
    structlog.contextvars.bind_contextvars(
        subject=caller.subject, role=caller.role.value, route=route
    )
    return caller
