"""Starting a process: every missing or malformed setting named at once in one readable message,
fresh secrets printed in the format the settings read, and no traceback."""

import re
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import Settings
from app.startup import SettingsProblems, settings_problems

NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"  # nothing listens: nothing may connect
NO_SECRETS = {"AUTH_SECRET": "", "AUTH_PUBLIC_KEY": "", "AUDIT_KEY": "", "KEY_ENCRYPTION_KEY": ""}
SECRET_LINE = re.compile(r"export (AUTH_SECRET|AUDIT_KEY|KEY_ENCRYPTION_KEY)=([A-Za-z0-9_-]{32,})")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no .env of the working tree is read
    return CliRunner()


def public_key() -> str:
    key = Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def test_serve_on_postgresql_without_secrets_names_every_missing_one_at_once(
    runner: CliRunner,
) -> None:
    env = NO_SECRETS | {"DATABASE_URL": NOWHERE, "AUDIT_KEY": "too-short"}
    started = runner.invoke(cli, ["serve", "--port", "8104"], env=env)
    assert started.exit_code == 2, started.output
    output = started.output
    assert "AUTH_SECRET: missing" in output
    assert "AUDIT_KEY: too short (9 bytes)" in output
    assert "KEY_ENCRYPTION_KEY: missing" in output
    assert "at least 32 random bytes" in output
    assert "action-sociale secrets" in output
    assert "Traceback" not in output
    assert "API docs" not in output


def test_projection_workers_check_their_settings_the_same_way(runner: CliRunner) -> None:
    refused = runner.invoke(cli, ["projections", "run"], env=NO_SECRETS | {"DATABASE_URL": NOWHERE})
    assert refused.exit_code == 2
    assert "KEY_ENCRYPTION_KEY: missing" in refused.output


def test_migrating_needs_no_secret_but_a_database_it_knows(runner: CliRunner) -> None:
    refused = runner.invoke(cli, ["migrate"], env=NO_SECRETS | {"DATABASE_URL": "mysql://x/y"})
    assert refused.exit_code == 2
    assert "DATABASE_URL: not a database this service uses" in refused.output
    assert "AUTH_SECRET" not in refused.output


def test_a_malformed_setting_is_named_without_a_traceback(runner: CliRunner) -> None:
    refused = runner.invoke(cli, ["migrate"], env={"DATABASE_POOL_SIZE": "five"})
    assert refused.exit_code == 2
    assert "DATABASE_POOL_SIZE: malformed" in refused.output
    assert "Traceback" not in refused.output


@pytest.mark.parametrize(("size", "refused"), [(1, True), (31, True), (32, False)])
def test_an_hs256_secret_is_at_least_32_bytes(tmp_path: Path, size: int, refused: bool) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/s.sqlite3", auth_secret="k" * size)
    problems = [(p.name, p.problem) for p in settings_problems(settings)]
    assert problems == ([("AUTH_SECRET", f"too short ({size} bytes)")] if refused else [])


def test_the_api_refuses_to_start_with_a_short_secret(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/s.sqlite3", auth_secret="1")
    refused = pytest.raises(SettingsProblems, match=r"AUTH_SECRET: too short \(1 bytes\)")
    with refused, TestClient(create_app(settings)):
        pass  # pragma: no cover


def test_a_public_key_replaces_the_shared_secret_but_must_be_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/s.sqlite3"
    assert settings_problems(Settings(database_url=url, auth_public_key=public_key())) == []
    [problem] = settings_problems(Settings(database_url=url, auth_public_key="not a key"))
    assert (problem.name, problem.problem) == ("AUTH_PUBLIC_KEY", "not a PEM public key")


def test_the_secrets_command_prints_fresh_values_the_settings_accept(runner: CliRunner) -> None:
    printed = [runner.invoke(cli, ["secrets"]) for _ in range(2)]
    assert all(p.exit_code == 0 for p in printed)
    lines = printed[0].output.splitlines()
    found = [m for line in lines if (m := SECRET_LINE.fullmatch(line))]
    values = {m[1]: m[2] for m in found}
    assert sorted(values) == ["AUDIT_KEY", "AUTH_SECRET", "KEY_ENCRYPTION_KEY"]
    assert len(values) == len(lines)
    assert printed[0].output != printed[1].output
    settings = Settings(
        database_url=NOWHERE,
        auth_secret=values["AUTH_SECRET"],
        audit_key=values["AUDIT_KEY"],
        key_encryption_key=values["KEY_ENCRYPTION_KEY"],
    )
    assert settings_problems(settings) == []


def test_the_secrets_written_to_a_dotenv_file_are_owner_only_and_kept(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in NO_SECRETS:
        monkeypatch.delenv(name, raising=False)
    written = runner.invoke(cli, ["secrets", "--output", ".env"])
    assert written.exit_code == 0, written.output
    dotenv = tmp_path / ".env"
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    first = dotenv.read_text()
    settings = Settings(database_url=NOWHERE)  # reads .env of the working directory
    assert settings.key_encryption_key
    assert settings.key_encryption_key in first
    assert settings_problems(settings) == []
    again = runner.invoke(cli, ["secrets", "--output", ".env"])
    assert again.exit_code == 0
    assert "kept" in again.output
    assert dotenv.read_text() == first  # never replaced: the data sealed with them stays readable


def test_serve_demo_with_a_public_key_says_why_in_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    env = NO_SECRETS | {
        "DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite3",
        "AUTH_PUBLIC_KEY": public_key(),
    }
    refused = runner.invoke(cli, ["serve", "--demo", "--port", "8104"], env=env)
    assert refused.exit_code == 2
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    [line] = refused.output.splitlines()
    assert "AUTH_PUBLIC_KEY" in line
    assert "shared secret" in line
