"""The embedded store on disk: its folder, database and secrets readable by the service's own
user alone, from the moment each is made (PostgreSQL's files are the server's to guard)."""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.api.auth import signing_key
from app.settings import Settings
from app.store.eventstore import open_event_store
from app.store.files import write_new_secret
from app.store.migrate import migrate

ROOT = Path(__file__).parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def no_secrets_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the environment nor a .env file gives secrets: the store makes its own."""
    monkeypatch.chdir(tmp_path)
    for name in ("AUTH_SECRET", "AUTH_PUBLIC_KEY", "AUDIT_KEY", "KEY_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """A umask that lets every file be created world-readable, as some hosts have."""
    before = os.umask(0)
    yield
    os.umask(before)


@contextmanager
def embedded_store(data: Path) -> Iterator[None]:
    """What `serve` does to a data folder: migrate, open the store, read the token secret."""
    settings = Settings(database_url=f"sqlite:///{data}/action-sociale.sqlite3")
    migrate(settings)
    application = open_event_store(settings)
    try:
        application.recorder.max_notification_id()  # a connection in WAL mode: -wal and -shm
        signing_key(settings)
        yield
    finally:
        application.close()


@pytest.mark.usefixtures("permissive_umask")
def test_the_data_folder_its_database_and_its_secrets_are_owner_only_from_birth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing may be made open and closed after: with chmod doing nothing, a file created
    # world-readable would stay so.
    monkeypatch.setattr(Path, "chmod", lambda *args, **kwargs: None)
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)
    data = tmp_path / "data"
    with embedded_store(data):
        files = {path.name: mode(path) for path in data.iterdir()}
    assert mode(data) == 0o700
    assert {"action-sociale.sqlite3", "action-sociale.sqlite3-wal"} <= set(files)
    assert {"dev-auth-secret", "dev-audit-key", "dev-key-encryption-key"} <= set(files)
    assert {name: m for name, m in files.items() if m != 0o600} == {}


def test_a_store_made_by_an_earlier_version_is_made_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("action-sociale.sqlite3", "dev-audit-key"):
        (data / name).write_text("" if name.endswith("sqlite3") else "an-audit-key-" + "k" * 40)
        (data / name).chmod(0o644)
    with embedded_store(data):
        pass
    assert {path.name: mode(path) for path in data.iterdir() if mode(path) != 0o600} == {}
    assert (data / "dev-audit-key").read_text().startswith("an-audit-key-")  # kept


def test_a_secret_file_is_written_once_and_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "dev-audit-key"
    assert write_new_secret(path, "first")
    assert not write_new_secret(path, "second")
    assert path.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["dev-audit-key"]  # no temporary left


def test_git_ignores_the_dotenv_file_that_holds_secrets() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored
