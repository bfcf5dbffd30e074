"""ASGI middleware of the edge: each request's id and its log line, the release on every
answer, the RateLimit headers on every answer, HEAD answered as GET without its body. A client
that leaves before its answer is logged as what it is: an event, not a server error."""

import logging
import re
import time
from uuid import uuid4

import structlog
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.api.ratelimit import Verdict

log = logging.getLogger(__name__)
RATE_LIMIT_STATE = "rate_limit"  # request.state.rate_limit, set by the guard
REQUEST_ID_STATE = "request_id"  # request.state.request_id, quoted in every problem
REQUEST_ID = "X-Request-ID"
# An id a caller or a proxy chose is kept if it is a plain token: nothing that could forge a
# log line or carry a sentence.
GIVEN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")
UNMATCHED = "unmatched"  # the route of a path no route has: never the raw path
CLIENT_GONE = 499  # the status logged when the caller left before its answer (as nginx does)
VERSION_HEADER = "X-Service-Version"
ASKED_METHOD = "action_sociale.asked_method"  # the method asked, in the scope HEAD is served as GET


def route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class RequestContext:
    """Gives each request an id (the caller's `X-Request-ID` when it is a plain token, else a
    new one), answers it, binds it to every log line written meanwhile, and ends with one
    `request` line: method, route template, status, latency, the caller's subject and role."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        given_id = given.decode("latin-1")
        request_id = given_id if GIVEN_REQUEST_ID.fullmatch(given_id) else uuid4().hex
        scope.setdefault("state", {})[REQUEST_ID_STATE] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:  # the caller left: an event of its own, not a server error
            self.log(scope, CLIENT_GONE, started, "client disconnected")
            return
        except Exception:
            self.log(scope, 500, started)
            raise
        self.log(scope, status, started)

    @staticmethod
    def log(scope: Scope, status: int, started: float, event: str = "request") -> None:
        fields = {
            "method": scope["method"],
            "route": route_of(scope),
            "status": status,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        level = logging.ERROR if 500 <= status < CLIENT_GONE else logging.INFO
        log.log(level, event, extra=fields)


class ServiceVersion:
    """Names the release on every answer (`X-Service-Version`): which code answered, for
    whoever reports a problem and for the operator rolling a release out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.header = (VERSION_HEADER.lower().encode(), __version__.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), self.header]}
            await send(message)

        await self.app(scope, receive, send_with_version)


class RateLimitHeaders:
    """Adds the RateLimit headers to every answer of a limited route, problems included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        state = scope.setdefault("state", {})  # the request's state: copies of scope share it

        async def send_with_headers(message: Message) -> None:
            verdict = state.get(RATE_LIMIT_STATE)
            if message["type"] == "http.response.start" and isinstance(verdict, Verdict):
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.lower().encode(), value.encode())
                    for name, value in verdict.headers().items()
                    if name.lower().encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD is answered wherever GET is, with GET's status and headers and no body
    (RFC 9110, 9.3.2)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        as_get = {**scope, "method": "GET", ASKED_METHOD: "HEAD"}
        try:
            await self.app(as_get, receive, without_body)
        finally:
            if "route" in as_get:  # for the request's log line, outside this copy
                scope["route"] = as_get["route"]
