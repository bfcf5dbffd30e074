"""An event a thread may wait for in `select()`, beside sockets: how the event store tells the
projection runner of this process that it appended, and how a runner is told to stop."""

import contextlib
import os
import threading
import weakref


class Alarm(threading.Event):
    """A `threading.Event` that a `select()` also sees: setting it makes a pipe readable, so a
    thread asleep on a socket wakes at once. Safe to set from a signal handler."""

    def __init__(self) -> None:
        super().__init__()
        self._read, self._write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        # closed with the object: whoever can still set it holds it, so no write ever goes
        # to a descriptor number the system has given to another file since
        weakref.finalize(self, _close, self._read, self._write)

    def set(self) -> None:
        if self.is_set():  # readable already; with nobody clearing it, a set costs nothing more
            return
        super().set()
        with contextlib.suppress(BlockingIOError):  # full: it is readable already
            os.write(self._write, b"!")

    def clear(self) -> None:
        super().clear()
        with contextlib.suppress(BlockingIOError):  # empty now
            while os.read(self._read, 4096):
                pass

    def fileno(self) -> int:
        return self._read


def _close(*descriptors: int) -> None:
    for descriptor in descriptors:
        os.close(descriptor)
