"""How often a caller may call: per-caller limits counted by the `limits` library, in memory or
in a store the API processes share (Redis), answered with the IETF draft's RateLimit headers.

The headers follow draft-ietf-httpapi-ratelimit-headers-07: `RateLimit-Limit` (requests in the
window), `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the window starts afresh).
"""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter

from app.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window starts afresh

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(self.reset, 1))
        return headers


def storage_for(settings: Settings) -> Storage:
    """In memory (one process), or Redis shared by every process (RATE_LIMIT_STORAGE_URL)."""
    url = settings.rate_limit_storage_url
    if url.startswith(("redis://", "rediss://")):
        return RedisStorage(
            "async+" + url, implementation="redispy", key_prefix=settings.rate_limit_key_prefix
        )
    if url == "memory://":
        return MemoryStorage()
    raise ValueError("RATE_LIMIT_STORAGE_URL must be memory:// or redis://host:port")


class RateLimits:
    """The limits of authenticated callers (by subject) and of the others (by address)."""

    def __init__(self, settings: Settings) -> None:
        self.storage = storage_for(settings)
        self.limiter = FixedWindowRateLimiter(self.storage)
        # When the shared store does not answer, each process counts on its own: the limits
        # still hold per process, and the service stays up rather than failing every request.
        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self.shared_store_down = False
        self.authenticated: RateLimitItem = parse(settings.rate_limit)
        self.unauthenticated: RateLimitItem = parse(settings.rate_limit_unauthenticated)

    async def hit(self, item: RateLimitItem, *key: str) -> Verdict:
        try:
            verdict = await self._hit(self.limiter, item, *key)
        except Exception as error:  # the storage's own errors: connection, timeout, protocol
            if not self.shared_store_down:
                log.warning(
                    "rate-limit store unavailable (%s): counting in this process until it answers",
                    type(error).__name__,
                )
            self.shared_store_down = True
            return await self._hit(self.fallback, item, *key)
        if self.shared_store_down:
            log.info("rate-limit store answers again")
            self.shared_store_down = False
        return verdict

    @staticmethod
    async def _hit(limiter: FixedWindowRateLimiter, item: RateLimitItem, *key: str) -> Verdict:
        allowed = await limiter.hit(item, *key)
        stats = await limiter.get_window_stats(item, *key)
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed, item.amount, stats.remaining, reset)

    async def subject(self, subject: str) -> Verdict:
        return await self.hit(self.authenticated, "subject", subject)

    async def address(self, address: str) -> Verdict:
        return await self.hit(self.unauthenticated, "address", address)
