"""Real `action-sociale` processes for the tests that run the service as an operator does: on
free ports, their output kept in a file, stopped (or killed) at the end whatever happens."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
from conftest import TEST_SECRET

from app.settings import Settings

COMMAND = str(Path(sys.executable).parent / "action-sociale")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def store_env(settings: Settings) -> dict[str, str]:
    """The environment naming this store and its secrets, as an operator would set it."""
    return {
        "DATABASE_URL": settings.database_url,
        "DATABASE_SCHEMA": settings.database_schema,
        "AUTH_SECRET": settings.auth_secret or TEST_SECRET,
        "AUDIT_KEY": settings.audit_key or TEST_SECRET,
        "KEY_ENCRYPTION_KEY": settings.key_encryption_key or TEST_SECRET,
    }


@contextmanager
def launched(folder: Path, name: str, *args: str, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`action-sociale ARGS` started in `folder`, its output in `folder/NAME.log`; terminated at
    the end if it still runs (killed if it does not stop in time)."""
    with (folder / f"{name}.log").open("wb") as output:
        process = subprocess.Popen(
            [COMMAND, *args],
            env=os.environ | env,
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def serve_args(port: int, *args: str) -> tuple[str, ...]:
    return ("serve", "--port", str(port), *args)


def until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until the server answers /health (it fails the test if it stops or takes too long)."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"the server stopped ({process.returncode})"
        assert time.monotonic() < deadline, "the server did not answer in time"
        try:
            if httpx2.get(f"{url}/health").status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.1)


def workers_of(parent: int) -> list[int]:
    """The uvicorn worker processes a `serve --workers N` process started."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command_line = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue  # not a process, or gone meanwhile
        parent_pid = int(stat.rsplit(")", 1)[1].split()[1])
        if parent_pid == parent and b"--multiprocessing-fork" in command_line:
            found.append(int(entry.name))
    return sorted(found)


def stopped(process: subprocess.Popen[bytes], signum: int = signal.SIGTERM) -> int:
    """Send the signal and wait for the process to exit: its exit status."""
    process.send_signal(signum)
    return process.wait(timeout=40)
