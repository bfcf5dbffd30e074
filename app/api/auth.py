"""Who is calling: bearer tokens (signed JWTs, checked with PyJWT) and what each role may do.

Roles are scoped: a caseworker, a commission member or an integration system acts within its
regions, and a record of another region answers as if it did not exist. The token's subject is
the actor recorded on every event.
"""

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from app.api.problems import ProblemError
from app.services.identifiers import VisibleIdentifier
from app.settings import Settings
from app.store.commanding import NotFound
from app.store.database import local_secret


class Role(StrEnum):
    CASEWORKER = "caseworker"  # instructeur: files, reviews, anonymises, notifies in its regions
    COMMISSION = "commission"  # CASS member: anonymised agendas and minutes, decisions in session
    AUDITOR = "auditor"  # reads full histories and the access log
    INTEGRATION = "integration"  # a back-office system: files and reads in its regions, the feed
    ANALYST = "analyst"  # dashboards and exports, which hold no personal data
    ADMIN = "admin"


MAX_LIFETIME_SECONDS = 24 * 3600  # a stolen token is useful for a day at most
NATIONAL = frozenset({Role.AUDITOR, Role.ANALYST, Role.ADMIN})  # every region


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    regions: frozenset[str]

    def sees(self, region: str) -> bool:
        return self.role in NATIONAL or region in self.regions

    def scope(self, asked: tuple[str, ...]) -> tuple[str, ...] | None:
        """The regions a query may cover: those asked within those allowed (None: all)."""
        if self.role in NATIONAL:
            return asked or None
        return tuple(r for r in asked if r in self.regions) if asked else tuple(self.regions)


class TokenClaims(BaseModel):
    sub: VisibleIdentifier  # the actor of every event, and a column of the exports
    role: Role
    regions: list[str] = Field(default_factory=list, max_length=50)


def signing_key(settings: Settings) -> str:
    """The shared secret (development) or the public key (production) tokens are checked with."""
    if settings.auth_public_key:
        return settings.auth_public_key
    return local_secret(settings, settings.auth_secret, "auth-secret")


def algorithms(settings: Settings) -> list[str]:
    return ["RS256", "ES256", "EdDSA"] if settings.auth_public_key else ["HS256"]


def mint_token(
    settings: Settings,
    subject: str,
    role: Role,
    regions: tuple[str, ...] = (),
    hours: float = 8,
) -> str:
    """A development token signed with the shared secret (a day at most)."""
    hours = min(hours, MAX_LIFETIME_SECONDS / 3600)
    if settings.auth_public_key:
        raise RuntimeError("tokens are minted by the identity provider when a public key is set")
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "role": role.value,
        "regions": list(regions),
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + timedelta(hours=hours),
    }
    return jwt.encode(claims, signing_key(settings), algorithm="HS256")


def unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        401,
        "unauthenticated",
        "Unauthenticated",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="action-sociale"'},
    )


bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="A signed JWT: `sub`, `role`, `regions`; `action-sociale token` mints one",
)
MAX_AUTHORIZATION = 8 * 1024  # a JWT of this service's claims is well under 2 KiB
NUMERIC_DATES = ("exp", "iat", "nbf")


class CheckedTokens:
    """Tokens already checked, kept until they expire: a caller sends the same token with every
    request, and checking its signature and claims again each time costs more than the rest of
    a read. Only valid tokens are kept, each until its `exp` (less the leeway), a bounded
    number of them."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self.checked: dict[tuple[str, ...], tuple[Principal, float]] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Principal | None:
        found = self.checked.get(key)
        if found is None or time.time() >= found[1]:
            return None
        return found[0]

    def keep(self, key: tuple[str, ...], caller: Principal, until: float) -> None:
        with self.lock:
            if len(self.checked) >= self.size:
                now = time.time()
                self.checked = {k: v for k, v in self.checked.items() if v[1] > now}
                while len(self.checked) >= self.size:  # all still valid: forget the oldest
                    self.checked.pop(next(iter(self.checked)))
            self.checked[key] = (caller, until)


CHECKED = CheckedTokens()


def authenticate(settings: Settings, key: str, authorization: str | None) -> Principal:
    """The caller named by an `Authorization: Bearer <token>` header; 401 when absent or not
    valid, 431 when the header is too long to be a token of ours (it is not decoded)."""
    if authorization is not None and len(authorization) > MAX_AUTHORIZATION:
        raise ProblemError(
            431,
            "header-too-large",
            "Request header fields too large",
            f"The Authorization header is longer than {MAX_AUTHORIZATION} bytes.",
        )
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("Send Authorization: Bearer <token>.")
    # what the token was checked against is part of the key: another deployment's settings
    # (or a test's) never take a token checked under these
    checked_as = (key, settings.auth_issuer, settings.auth_audience, token)
    known = CHECKED.get(checked_as)
    if known is not None:
        return known
    try:
        claims = jwt.decode(
            token.strip(),
            key,
            algorithms=algorithms(settings),
            audience=settings.auth_audience,
            issuer=settings.auth_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=settings.auth_leeway_seconds,
        )
        # RFC 7519: exp, iat and nbf are NumericDate, JSON numbers; "1767225600" is not one.
        if any(
            name in claims and (type(claims[name]) not in (int, float)) for name in NUMERIC_DATES
        ):
            raise ValueError("a date claim is not a number")
        if claims["iat"] > time.time() + settings.auth_leeway_seconds:
            raise ValueError("the token was issued in the future")
        # A token meant for other services too could be replayed by any of them: only ours.
        if claims["aud"] not in (settings.auth_audience, [settings.auth_audience]):
            raise ValueError("the token is not meant for this service alone")
        parsed = TokenClaims.model_validate(claims)
        lifetime = float(claims["exp"]) - float(claims["iat"])
    except (jwt.PyJWTError, ValueError, TypeError):
        raise unauthenticated(
            "The token is not valid (signature, issuer, audience, expiry or claims)."
        ) from None
    if lifetime > MAX_LIFETIME_SECONDS:
        raise unauthenticated("The token lives longer than a day: ask for a shorter one.")
    caller = Principal(parsed.sub, parsed.role, frozenset(parsed.regions))
    # kept while it is valid without the leeway, and never past the time a check would pass
    CHECKED.keep(checked_as, caller, float(claims["exp"]))
    return caller


async def principal(
    request: Request,
    _scheme: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],  # for the spec
) -> Principal:
    """The caller, from `Authorization: Bearer <token>`; 401 when absent or not valid.

    Guarded routes authenticate before reading the body (`StrictJSONRoute`): the caller found
    then is the one used here."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    return authenticate(
        request.app.state.settings,
        request.app.state.signing_key,
        request.headers.get("authorization"),
    )


Caller = Annotated[Principal, Depends(principal)]


class RoleCheck:
    """A route's dependency: only these roles may call it (403 otherwise, saying `refusal` or
    which roles may). The route class calls it too, before it reads the body."""

    def __init__(self, roles: tuple[Role, ...], admin: bool, refusal: str | None) -> None:
        self.roles, self.admin, self.refusal = roles, admin, refusal
        self.everyone = sorted({*roles, *([Role.ADMIN] if admin else [])})

    async def __call__(self, caller: Caller) -> None:
        self.check(caller)

    def check(self, caller: Principal) -> None:
        if caller.role not in self.everyone:
            names = [
                *(r.value for r in self.roles if r is not Role.ADMIN),
                *(["admin"] if self.admin else []),
            ]
            who = ", ".join(names)
            raise ProblemError(
                403, "forbidden", "Forbidden", self.refusal or f"Only {who} may do this."
            )


def allowed(*roles: Role, admin: bool = True, refusal: str | None = None) -> dict[str, Any]:
    """Route arguments: only these roles may call it (403 otherwise, saying `refusal` or which
    roles may); an admin too unless `admin` is false. The spec says which (`x-roles`)."""
    check = RoleCheck(roles, admin, refusal)
    everyone = check.everyone

    return {
        "dependencies": [Depends(check)],
        "openapi_extra": {"x-roles": [r.value for r in everyone]},
    }


def in_region(caller: Principal, region: str, kind: str, record_id: Any) -> None:
    """A record of a region the caller does not act in is, for them, not there."""
    if not caller.sees(region):
        raise NotFound(kind, record_id)
