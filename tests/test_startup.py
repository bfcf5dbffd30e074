"""Starting a process: every missing or malformed setting named at once in one readable message,
fresh secrets printed in the format the settings read, and no traceback."""

import re
import stat
from pathlib import Path

import pytest
from api import file
from conftest import bearer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api.auth import Role
from app.api.main import create_app
from app.cli import cli
from app.settings import Settings
from app.startup import SettingsProblems, check, settings_problems

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
    value = ("0123456789abcdef" * 4)[:size]
    settings = Settings(database_url=f"sqlite:///{tmp_path}/s.sqlite3", auth_secret=value)
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
    settings = Settings(_env_file=".env", database_url=NOWHERE)  # as the service reads it
    assert settings.key_encryption_key
    assert settings.key_encryption_key in first
    assert settings_problems(settings) == []
    again = runner.invoke(cli, ["secrets", "--output", ".env"])
    assert again.exit_code == 1  # a script that asked for fresh secrets knows it got none
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


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (" " * 36, "blank (only white space)"),
        ("\t\n" * 20, "blank (only white space)"),
        ("x" * 40, "one character repeated"),
        ("x", "too short (1 bytes)"),
    ],
)
def test_a_secret_of_the_environment_that_is_no_key_is_refused(
    tmp_path: Path, value: str, problem: str
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/s.sqlite3", auth_secret=value, audit_key=value
    )
    problems = [(p.name, p.problem) for p in settings_problems(settings)]
    assert problems == [("AUTH_SECRET", problem), ("AUDIT_KEY", problem)]


def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return NO_SECRETS | {"DATABASE_URL": f"sqlite:///{tmp_path}/data/action-sociale.sqlite3"}


def test_unusable_secrets_in_the_data_folder_are_named_with_their_file_and_the_fix(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "dev-auth-secret").write_text("x")
    (data / "dev-audit-key").write_text("")
    (data / "dev-key-encryption-key").write_text(" " * 36 + "\n")
    refused = runner.invoke(cli, ["projections", "status"], env=sqlite_env(tmp_path))
    assert refused.exit_code == 2, refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    output = refused.output
    assert f"AUTH_SECRET (the file {data / 'dev-auth-secret'}): too short (1 bytes)" in output
    assert f"AUDIT_KEY (the file {data / 'dev-audit-key'}): empty" in output
    assert "KEY_ENCRYPTION_KEY (the file" in output
    assert "blank (only white space)" in output
    assert output.count("Remove the file and a fresh one is made at the next start") == 3
    assert "or set AUTH_SECRET" in output


def test_a_good_secret_file_and_a_missing_one_pass_the_check(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "dev-auth-secret").write_text("0123456789abcdef" * 3 + "\n")
    settings = Settings(database_url=f"sqlite:///{data}/action-sociale.sqlite3")
    assert settings_problems(settings) == []


def test_the_api_does_not_start_on_an_unusable_secret_file(tmp_path: Path) -> None:
    (tmp_path / "dev-auth-secret").write_text("x")
    settings = Settings(database_url=f"sqlite:///{tmp_path}/s.sqlite3")
    refused = pytest.raises(SettingsProblems, match="dev-auth-secret\\): too short")
    with refused, TestClient(create_app(settings)):
        pass  # pragma: no cover


def test_settings_that_do_not_parse_are_named_with_every_other_problem(
    runner: CliRunner, tmp_path: Path
) -> None:
    env = sqlite_env(tmp_path) | {
        "REGIONS": "notjson",
        "DATABASE_POOL_SIZE": "0",
        "RATE_LIMIT_STORAGE_URL": "foo://x",
        "RULEBOOK_FILE": str(tmp_path / "nonexistent.json"),
        "AUTH_SECRET": " " * 36,
    }
    refused = runner.invoke(cli, ["projections", "status"], env=env)
    assert refused.exit_code == 2, refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    output = refused.output
    assert "cannot start: 5 setting(s) to fix" in output
    assert (
        'REGIONS: malformed. Expected: a JSON list of region codes, such as ["bretagne"]' in output
    )
    assert "DATABASE_POOL_SIZE: malformed" in output
    assert "RATE_LIMIT_STORAGE_URL: malformed. Expected: memory:// or redis://host:port" in output
    assert "RULEBOOK_FILE: no such file" in output
    assert "AUTH_SECRET: blank" in output
    assert "notjson" not in output  # a value given is never echoed: it may be a secret


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"fci_ceiling": ', "not JSON"),
        ('{"fci_ceiling": "lots"}', "not a rulebook"),
        ("[1, 2]", "not a rulebook"),
    ],
)
def test_a_rulebook_file_that_is_no_rulebook_is_named(
    runner: CliRunner, tmp_path: Path, content: str, problem: str
) -> None:
    rulebook = tmp_path / "rulebook.json"
    rulebook.write_text(content)
    env = sqlite_env(tmp_path) | {"RULEBOOK_FILE": str(rulebook)}
    refused = runner.invoke(cli, ["projections", "status"], env=env)
    assert refused.exit_code == 2, refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert f"RULEBOOK_FILE: {problem} ({rulebook}" in refused.output


GIVEN = {name: "0123456789abcdef" * 3 for name in NO_SECRETS if name != "AUTH_PUBLIC_KEY"}


@pytest.mark.parametrize("command", [["migrate"], ["projections", "status"], ["erase-due"]])
def test_a_database_that_does_not_answer_is_said_in_one_line_without_its_password(
    runner: CliRunner, command: list[str]
) -> None:
    env = NO_SECRETS | GIVEN | {"DATABASE_URL": "postgresql://app:hunter2@127.0.0.1:1/nowhere"}
    refused = runner.invoke(cli, command, env=env)
    assert refused.exit_code == 2, refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    [problem] = [line for line in refused.output.splitlines() if "DATABASE_URL" in line]
    assert "DATABASE_URL: the database does not answer at 127.0.0.1:1" in problem
    assert "hunter2" not in refused.output
    assert len(refused.output.splitlines()) == 2


def test_minting_a_token_needs_the_signing_secret_alone(runner: CliRunner) -> None:
    env = NO_SECRETS | {"DATABASE_URL": NOWHERE, "AUTH_SECRET": GIVEN["AUTH_SECRET"]}
    args = ["token", "--subject", "agent-1", "--role", "caseworker", "--region", "bretagne"]
    minted = runner.invoke(cli, args, env=env)
    assert minted.exit_code == 0, minted.output
    assert minted.output.count(".") == 2  # a JWT: header.payload.signature
    refused = runner.invoke(cli, args, env=NO_SECRETS | {"DATABASE_URL": NOWHERE})
    assert refused.exit_code == 2
    assert "AUTH_SECRET: missing" in refused.output
    assert "AUDIT_KEY:" not in refused.output
    assert "KEY_ENCRYPTION_KEY:" not in refused.output


def test_secrets_that_do_not_open_what_the_store_holds_are_named_before_it_serves(
    fresh_settings: Settings,
) -> None:
    with TestClient(
        create_app(fresh_settings), headers=bearer(fresh_settings, Role.ADMIN, "a")
    ) as c:
        assert file(c).status_code == 201  # the store holds a dossier's key and a stream head
    others = {"key_encryption_key": "k" + "e" * 40 + "y", "audit_key": "a" + "u" * 40 + "dit"}
    for name, other in others.items():
        changed = fresh_settings.model_copy(update={name: other})
        with pytest.raises(SettingsProblems, match=name.upper()):
            check(changed)
        with pytest.raises(SettingsProblems, match=name.upper()), TestClient(create_app(changed)):
            pass  # pragma: no cover
    check(fresh_settings)  # its own secrets open it


def test_the_embedded_store_does_not_start_on_the_secrets_of_another_deployment(
    runner: CliRunner, tmp_path: Path
) -> None:
    """As when the README's PostgreSQL block left a .env of its own beside the embedded store."""
    env = sqlite_env(tmp_path)
    assert runner.invoke(cli, ["migrate"], env=env).exit_code == 0
    assert runner.invoke(cli, ["demo"], env=env).exit_code == 0  # its secrets made in data/
    another = dict(SECRET_LINE.findall(runner.invoke(cli, ["secrets"]).output))
    refused = runner.invoke(cli, ["projections", "status"], env=env | another)
    assert refused.exit_code == 2, refused.output
    assert "KEY_ENCRYPTION_KEY: does not open the dossiers' keys this store holds" in refused.output
    assert "AUDIT_KEY: does not verify the audit chain this store holds" in refused.output
    assert runner.invoke(cli, ["projections", "status"], env=env).exit_code == 0
