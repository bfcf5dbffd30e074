"""ASGI middleware of the edge: the release on every answer, the RateLimit headers on every
answer, HEAD answered as GET without its body, and clients that leave before their answer logged
as what they are (an event, not a server error)."""

import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.api.ratelimit import Verdict

log = logging.getLogger(__name__)
RATE_LIMIT_STATE = "rate_limit"  # request.state.rate_limit, set by the guard
VERSION_HEADER = "X-Service-Version"
ASKED_METHOD = "action_sociale.asked_method"  # the method asked, in the scope HEAD is served as GET


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


class ClientGone:
    """A client that disconnects mid-request is one INFO line, not an ERROR traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            if scope["type"] == "http":
                log.info("client disconnected: %s %s", scope["method"], scope["path"])


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

        await self.app({**scope, "method": "GET", ASKED_METHOD: "HEAD"}, receive, without_body)
