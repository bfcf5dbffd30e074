"""What a process needs before it starts: every setting checked at once, and one readable
message naming each one missing or malformed, its format and how to make it."""

import hmac
import json
import os
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import ValidationError
from pydantic_settings import SettingsError

from app.settings import Settings

MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key is at least as long as the hash (256 bits)
SECRET_NAMES = ("AUTH_SECRET", "AUDIT_KEY", "KEY_ENCRYPTION_KEY")
# what a process that serves the API needs: the secrets, and the scraper's credential if set
SERVING = (*SECRET_NAMES, "METRICS_TOKEN")
HOW_TO_MAKE = (
    "Make fresh secrets with `action-sociale secrets --output .env` (read from the working "
    'directory) or `eval "$(action-sociale secrets)"`; keep AUDIT_KEY and KEY_ENCRYPTION_KEY '
    "for as long as the data they sealed is kept."
)
WHAT = {
    "AUTH_SECRET": "the shared secret HS256 tokens are signed with: at least "
    f"{MIN_SECRET_BYTES} random bytes (or set AUTH_PUBLIC_KEY to the identity provider's PEM "
    "public key instead)",
    "AUDIT_KEY": f"the secret the audit chain is sealed with: at least {MIN_SECRET_BYTES} "
    "random bytes",
    "KEY_ENCRYPTION_KEY": "the secret the dossiers' keys are wrapped with: at least "
    f"{MIN_SECRET_BYTES} random bytes",
    "AUTH_PUBLIC_KEY": "the identity provider's public key, PEM (-----BEGIN PUBLIC KEY-----)",
    "DATABASE_URL": "sqlite:///path/file.sqlite3 or postgresql://user:password@host:5432/db",
    "METRICS_TOKEN": "the static credential a Prometheus scraper reads /metrics with: at least "
    f"{MIN_SECRET_BYTES} random bytes, no other secret's value (make one with `python3 -c "
    "'import secrets; print(secrets.token_urlsafe(48))'`), or no METRICS_TOKEN for admin "
    "tokens only",
    "PROMETHEUS_MULTIPROC_DIR": "an existing directory this process may write in, emptied "
    "before the service starts (prometheus-client keeps each process's counts there), or no "
    "PROMETHEUS_MULTIPROC_DIR when one process serves",
    "RULEBOOK_FILE": "a JSON object of the aids' figures (the fields of domain/rulebook.py; "
    "those left out keep their default), or no RULEBOOK_FILE for the default figures",
}
# the files the embedded store makes its secrets in, beside its database
SECRET_FILES = {
    "AUTH_SECRET": "dev-auth-secret",
    "AUDIT_KEY": "dev-audit-key",
    "KEY_ENCRYPTION_KEY": "dev-key-encryption-key",
}


@dataclass(frozen=True)
class SettingProblem:
    name: str
    problem: str
    expected: str

    def __str__(self) -> str:
        return f"  {self.name}: {self.problem}. Expected: {self.expected}."


class SettingsProblems(RuntimeError):
    """The settings a process needs are missing or malformed: each is named."""

    def __init__(self, problems: list[SettingProblem]) -> None:
        self.problems = problems
        lines = [f"action-sociale cannot start: {len(problems)} setting(s) to fix."]
        lines += [str(p) for p in problems]
        if any(p.name in SECRET_NAMES for p in problems):
            lines.append(HOW_TO_MAKE)
        super().__init__("\n".join(lines))


def secret_problem(value: str) -> str | None:
    """What makes this secret unusable, if anything: shorter than 32 bytes, blank, or one
    character repeated (none of these is a random key)."""
    size = len(value.encode())
    if not value.strip():
        return "empty" if not value else "blank (only white space)"
    if size < MIN_SECRET_BYTES:
        return f"too short ({size} bytes)"
    if len(set(value)) == 1:
        return "one character repeated"
    return None


def secret_file(settings: Settings, name: str) -> Path:
    """The file of data/ where the embedded store keeps the secret it made for this machine."""
    return settings.sqlite_path.parent / SECRET_FILES[name]


def file_secret_problem(settings: Settings, name: str) -> SettingProblem | None:
    """The problem of a secret the embedded store keeps in data/, if its file is there and
    unusable (an absent file is made, random, when the store first needs it)."""
    path = secret_file(settings, name)
    if not path.exists() and not path.is_symlink():
        return None
    try:
        content = path.read_text()
        problem = secret_problem(content.strip() or content)  # what the store would read
    except (OSError, UnicodeDecodeError) as error:
        problem = f"unreadable ({type(error).__name__})"
    if problem is None:
        return None
    lost = {
        "AUDIT_KEY": "; the events sealed with the old one then fail `audit verify`",
        "KEY_ENCRYPTION_KEY": "; the dossiers' keys wrapped with the old one can then no "
        "longer be read",
    }.get(name, "")
    return SettingProblem(
        f"{name} (the file {path})",
        problem,
        f"{WHAT[name]}. Remove the file and a fresh one is made at the next start{lost}; "
        f"or set {name}",
    )


def secrets_problems(settings: Settings, names: Collection[str]) -> list[SettingProblem]:
    found = []
    if "AUTH_SECRET" in names and settings.auth_public_key:
        try:
            load_pem_public_key(settings.auth_public_key.encode())
        except (ValueError, TypeError):
            found.append(
                SettingProblem("AUTH_PUBLIC_KEY", "not a PEM public key", WHAT["AUTH_PUBLIC_KEY"])
            )
        names = [n for n in names if n != "AUTH_SECRET"]
    given = {
        "AUTH_SECRET": settings.auth_secret,
        "AUDIT_KEY": settings.audit_key,
        "KEY_ENCRYPTION_KEY": settings.key_encryption_key,
    }
    for name in [n for n in SECRET_NAMES if n in names]:
        value = given[name]
        if value:
            if problem := secret_problem(value):
                found.append(SettingProblem(name, problem, WHAT[name]))
        elif settings.is_postgres:  # the embedded store makes its own, in data/
            found.append(SettingProblem(name, "missing (required on PostgreSQL)", WHAT[name]))
        elif settings.database_url.startswith("sqlite:///") and (
            in_file := file_secret_problem(settings, name)
        ):
            found.append(in_file)
    return found


def metrics_problems(settings: Settings) -> list[SettingProblem]:
    """The problems of what serving the metrics needs: the scraper's credential, if set (a
    scraper holding another secret could sign tokens or forge the audit chain), and
    prometheus-client's directory, if set (read from the environment at import, not .env)."""
    found = []
    token = settings.metrics_token
    if token:
        others = (settings.auth_secret, settings.audit_key, settings.key_encryption_key)
        problem = secret_problem(token) or (
            "the value of another secret" if token in others else None
        )
        if problem:
            found.append(SettingProblem("METRICS_TOKEN", problem, WHAT["METRICS_TOKEN"]))
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and not (os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)):
        found.append(
            SettingProblem(
                "PROMETHEUS_MULTIPROC_DIR",
                f"not a directory this process may write in ({folder})",
                WHAT["PROMETHEUS_MULTIPROC_DIR"],
            )
        )
    return found


def rulebook_problem(settings: Settings) -> SettingProblem | None:
    """Why the rulebook file cannot be used, if it cannot."""
    from app.services.reference import load_rulebook

    path = settings.rulebook_file
    if path is None:
        return None
    try:
        load_rulebook(path)
    except FileNotFoundError:
        problem = f"no such file ({path})"
    except OSError as error:
        problem = f"cannot be read ({path}: {error.strerror or type(error).__name__})"
    except json.JSONDecodeError as error:
        problem = f"not JSON ({path}, line {error.lineno}, column {error.colno}: {error.msg})"
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the whole file"
        more = f" and {error.error_count() - 1} more" if error.error_count() > 1 else ""
        problem = f"not a rulebook ({path}: {where}: {first['msg']}{more})"
    else:
        return None
    return SettingProblem("RULEBOOK_FILE", problem, WHAT["RULEBOOK_FILE"])


def database_problem(settings: Settings) -> SettingProblem | None:
    """On PostgreSQL, whether the database answers (a few seconds at most); never the password."""
    if not settings.is_postgres:
        return None
    import psycopg

    url = urlsplit(settings.database_url)
    try:
        where = f"{url.hostname or '127.0.0.1'}:{url.port or 5432}"
    except ValueError:
        return SettingProblem("DATABASE_URL", "not a database URL", WHAT["DATABASE_URL"])
    try:
        psycopg.connect(settings.database_url, connect_timeout=5).close()
    except psycopg.Error as error:
        lines = str(error).strip().splitlines() or [type(error).__name__]
        reason = lines[0].rsplit("failed: ", 1)[-1].strip()
        if url.password:
            reason = reason.replace(url.password, "***")
        answered = reason.startswith("FATAL")  # the server answered, and said no
        problem = "refuses the connection at" if answered else "does not answer at"
        return SettingProblem(
            "DATABASE_URL",
            f"the database {problem} {where} ({reason.removeprefix('FATAL:').strip()})",
            "a PostgreSQL server that answers there, with the database and user of the URL",
        )
    return None


def settings_problems(
    settings: Settings,
    *,
    secrets_needed: Collection[str] = SERVING,
    rulebook_needed: bool = True,
) -> list[SettingProblem]:
    """Every problem of these settings, for a process needing these secrets (none to migrate,
    the signing secret alone to mint a token; METRICS_TOKEN: it serves the API) and the rulebook
    or not. Connects to nothing."""
    found = []
    url = settings.database_url
    if not settings.is_postgres and not url.startswith("sqlite:///"):
        found.append(
            SettingProblem("DATABASE_URL", "not a database this service uses", WHAT["DATABASE_URL"])
        )
    found += secrets_problems(settings, secrets_needed)
    if "METRICS_TOKEN" in secrets_needed:
        found += metrics_problems(settings)
    if rulebook_needed and (rulebook := rulebook_problem(settings)):
        found.append(rulebook)
    return found


def malformed(error: ValidationError) -> tuple[list[SettingProblem], dict[str, Any]]:
    """The problems of settings that do not parse, and the defaults that stand in for them so
    that the other settings can be checked too."""
    problems, stand_ins = [], {}
    for e in error.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        reason = str(e["msg"]).removeprefix("Value error, ")
        problems.append(SettingProblem(field.upper() or "settings", "malformed", reason))
        if field in Settings.model_fields:
            stand_ins[field] = Settings.model_fields[field].get_default(call_default_factory=True)
    return problems, stand_ins


def checked_settings(
    *,
    secrets_needed: Collection[str] = SERVING,
    rulebook_needed: bool = True,
    database_needed: bool = True,
) -> Settings:
    """The settings of the environment (and .env), or SettingsProblems naming every one to fix:
    those that do not parse, the others' problems, and (database_needed) whether the database
    answers."""
    problems: list[SettingProblem] = []
    try:
        settings = Settings()
    except SettingsError as error:  # a source that cannot be read at all
        raise SettingsProblems([SettingProblem("settings", "unreadable", str(error))]) from None
    except ValidationError as error:
        problems, stand_ins = malformed(error)
        try:
            settings = Settings(**stand_ins)
        except (ValidationError, SettingsError):
            raise SettingsProblems(problems) from None
    problems += settings_problems(
        settings, secrets_needed=secrets_needed, rulebook_needed=rulebook_needed
    )
    if database_needed and (unreachable := database_problem(settings)):
        problems.append(unreachable)
    if (
        database_needed
        and not problems
        and {"AUDIT_KEY", "KEY_ENCRYPTION_KEY"} <= set(secrets_needed)
    ):
        problems = stored_data_problems(settings)
    if problems:
        raise SettingsProblems(problems)
    return settings


# what a serving process needs: the secrets, and the scraper's credential if it is set
SERVED_SECRETS = ("AUTH_SECRET", "AUDIT_KEY", "KEY_ENCRYPTION_KEY", "METRICS_TOKEN")
SAMPLE = 20  # stored keys and heads tried, for a store sealed before its key checks were kept
SEALING_SECRETS = {
    "AUDIT_KEY": "does not verify the audit chain this store holds",
    "KEY_ENCRYPTION_KEY": "does not open the dossiers' keys this store holds",
}


def key_check(name: str, secret: str) -> str:
    """What the store keeps of a secret: an HMAC of a fixed text under it, never the secret."""
    return hmac.new(
        secret.encode(), f"action-sociale key check {name}".encode(), "sha256"
    ).hexdigest()


def stored_data_problems(settings: Settings) -> list[SettingProblem]:
    """Whether the secrets that seal data are the ones the store's data was sealed with (its
    key checks: AUDIT_KEY, KEY_ENCRYPTION_KEY). Another deployment's secrets, or a `.env` read
    by the embedded store, would otherwise fail on the first read of a dossier. A store without
    key checks yet keeps those of the secrets it is given, once they open what it holds (a
    dossier's key, a stream head's seal); one not migrated yet says nothing."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from app.store.database import local_secret, sql_engine
    from app.store.tables import key_checks

    engine = sql_engine(settings)
    given = {
        "AUDIT_KEY": local_secret(settings, settings.audit_key, "audit-key"),
        "KEY_ENCRYPTION_KEY": local_secret(
            settings, settings.key_encryption_key, "key-encryption-key"
        ),
    }
    found = []
    try:
        with engine.connect() as connection:
            kept = dict(connection.execute(select(key_checks.c.name, key_checks.c.value)).all())
            fresh = {name: key_check(name, given[name]) for name in given if name not in kept}
            opened = _open_what_is_held(connection, given) if fresh else set()
            for name, problem in SEALING_SECRETS.items():
                if kept.get(name, fresh.get(name)) != key_check(name, given[name]) or (
                    name in fresh and name not in opened
                ):
                    found.append(
                        SettingProblem(
                            name,
                            f"{problem} (another deployment's, or changed since it sealed it)",
                            f"the {name} this store's data was sealed with",
                        )
                    )
            if fresh and not found:
                _keep(connection, fresh)
                connection.commit()
    except SQLAlchemyError:
        return []
    finally:
        engine.dispose()
    return found


def _open_what_is_held(connection: Any, given: dict[str, str]) -> set[str]:
    """The secrets that open what the store holds already, or that it holds nothing for."""
    from cryptography.exceptions import InvalidTag
    from sqlalchemy import select

    from app.store.recorders import head_seal
    from app.store.sealing import KeyStore
    from app.store.tables import dossier_keys, stream_heads

    held = select(dossier_keys).where(dossier_keys.c.key.is_not(None)).limit(SAMPLE)
    keys = list(connection.execute(held))
    heads = list(connection.execute(select(stream_heads).limit(SAMPLE)))
    store = KeyStore(connection.engine, given["KEY_ENCRYPTION_KEY"].encode())

    def opens(key: Any) -> bool:
        try:
            return store.unwrap(key) is not None
        except InvalidTag:
            return False

    audit_key = given["AUDIT_KEY"].encode()
    opened = set()
    if not keys or any(opens(key) for key in keys):
        opened.add("KEY_ENCRYPTION_KEY")
    if not heads or any(
        h.seal == head_seal(audit_key, h.stream_id, h.version, h.mac) for h in heads
    ):
        opened.add("AUDIT_KEY")
    return opened


def _keep(connection: Any, checks: dict[str, str]) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from app.store.tables import key_checks

    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    rows = [{"name": name, "value": value} for name, value in checks.items()]
    connection.execute(insert(key_checks).on_conflict_do_nothing(), rows)


def check(settings: Settings) -> None:
    """Raise SettingsProblems naming every problem of these settings, if any, and of the
    secrets against what the store holds."""
    problems = settings_problems(settings)
    if not problems:
        problems = stored_data_problems(settings)
    if problems:
        raise SettingsProblems(problems)


def fresh_secrets() -> str:
    """New values of every secret, as `export NAME=value` lines (for eval, or a .env file)."""
    return "".join(f"export {name}={secrets.token_urlsafe(48)}\n" for name in SECRET_NAMES)
