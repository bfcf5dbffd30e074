"""Read-your-writes: a read waits (bounded) until its view has applied the store position a
command answered with. The wait is async, so a waiting request holds no worker thread, and one
caller may hold only a few waits at once (READ_WAITS_PER_CALLER, per process)."""

from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool

from app.api.auth import Caller
from app.api.problems import ProblemError
from app.services.projecting import Projections

MAX_WAIT = 30.0


class Waits:
    """How many waits each caller holds now. Touched only from the event loop: no lock."""

    def __init__(self, per_caller: int) -> None:
        self.per_caller = per_caller
        self.held: Counter[str] = Counter()

    @property
    def pending(self) -> int:
        return self.held.total()

    @contextmanager
    def hold(self, subject: str) -> Iterator[None]:
        if self.held[subject] >= self.per_caller:
            raise ProblemError(
                429,
                "too-many-requests",
                "Too many waits",
                f"You already wait for {self.per_caller} views at once: "
                "retry when one has answered.",
                headers={"Retry-After": "1"},
            )
        self.held[subject] += 1
        try:
            yield
        finally:
            self.held[subject] -= 1
            if not self.held[subject]:
                del self.held[subject]


def read_your_writes(name: str) -> Callable[..., Awaitable[None]]:
    """A dependency: answer only once the projection `name` reflects `min_position`."""

    async def caught_up(
        request: Request,
        caller: Caller,
        min_position: Annotated[
            int | None,
            Query(ge=0, description="Answer only once the view reflects this store position"),
        ] = None,
        wait: Annotated[
            float, Query(ge=0, le=MAX_WAIT, description="How long to wait for it, in seconds")
        ] = 5.0,
    ) -> None:
        if min_position is None:
            return
        projections: Projections = request.app.state.projections
        head = await run_in_threadpool(projections.head)
        if min_position > head:  # no command answered it: waiting could not help
            raise ProblemError(
                422,
                "invalid-input",
                "Invalid input",
                f"min_position {min_position} is beyond the store's last position {head}.",
                errors=[
                    {
                        "field": "query.min_position",
                        "reason": f"beyond the store's last position ({head})",
                    }
                ],
            )
        waits: Waits = request.app.state.waits
        with waits.hold(caller.subject):
            reached = await projections.reach(name, min_position, wait)
        if not reached:
            raise ProblemError(
                503,
                "projection-behind",
                "Not caught up yet",
                f"The {name} view has not reached position {min_position} within "
                f"{wait} s: retry shortly.",
                headers={"Retry-After": "1"},
            )

    return caught_up
