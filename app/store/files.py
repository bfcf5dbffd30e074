"""Files of the embedded store that only the service's own user may read: its folder, the SQLite
database (its -wal and -shm follow the database's mode), the secrets made for this machine and
the locks its processes take.

Each is created owner-only from the start (`os.open` with O_CREAT | O_EXCL and 0o600, `mkdir`
with 0o700), never created open and tightened after: there is no moment when another user of the
machine could open it. The process umask is left alone: it is shared by every thread.
"""

import fcntl
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700


def private_dir(path: Path) -> None:
    """Make the folder (and missing parents) owner-only; an existing folder is left as it is
    (it may be shared, /tmp for instance), a folder made here is 0700."""
    if path.is_dir():
        return
    private_dir(path.parent)
    try:
        path.mkdir(mode=OWNER_ONLY_DIR)
    except FileExistsError:
        return  # made by another process just now
    path.chmod(OWNER_ONLY_DIR)  # mkdir's mode is filtered by the umask; 0700 is what we want


def private_file(path: Path) -> None:
    """Create the file empty and owner-only if it is not there; tighten it if it is (a file
    made by an earlier version was 0644)."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(OWNER_ONLY_FILE)


def private_sqlite_database(path: Path) -> None:
    """The database file and its companions owner-only. SQLite takes an empty file as an empty
    database and creates -wal and -shm with the database file's mode."""
    private_file(path)
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(OWNER_ONLY_FILE)


def write_new_secret(path: Path, value: str) -> bool:
    """Write a secret to a file that did not exist, owner-only from its first byte; False if
    the file exists already (its content is kept). Written whole under a temporary name, then
    linked into place: a reader never sees it half-written, two writers never both win."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(value)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)


def read_secret(path: Path) -> str:
    """A secret file's content; a file made by an earlier version is made owner-only first."""
    if path.stat().st_mode & 0o077:
        path.chmod(OWNER_ONLY_FILE)
    return path.read_text().strip()


@contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on the file (made empty and owner-only) if no other holder has
    it: True while held, False at once otherwise. The system releases it when its process dies,
    even by SIGKILL, so a lock is never left behind."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY_FILE)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True  # closing the descriptor releases it
    finally:
        os.close(descriptor)
