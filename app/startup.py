"""What a process needs before it starts: every setting checked at once, and one readable
message naming each one missing or malformed, its format and how to make it."""

import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import ValidationError

from app.settings import Settings

MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key is at least as long as the hash (256 bits)
SECRET_NAMES = ("AUTH_SECRET", "AUDIT_KEY", "KEY_ENCRYPTION_KEY")
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


def settings_problems(settings: Settings, *, secrets_needed: bool = True) -> list[SettingProblem]:
    """Every problem of these settings, for a process that opens the store (secrets_needed)
    or only migrates it."""
    found = []
    url = settings.database_url
    if not settings.is_postgres and not url.startswith("sqlite:///"):
        found.append(
            SettingProblem("DATABASE_URL", "not a database this service uses", WHAT["DATABASE_URL"])
        )
    if not secrets_needed:
        return found
    given = {
        "AUDIT_KEY": settings.audit_key,
        "KEY_ENCRYPTION_KEY": settings.key_encryption_key,
    }
    if settings.auth_public_key:
        try:
            load_pem_public_key(settings.auth_public_key.encode())
        except (ValueError, TypeError):
            found.append(
                SettingProblem("AUTH_PUBLIC_KEY", "not a PEM public key", WHAT["AUTH_PUBLIC_KEY"])
            )
    else:
        given = {"AUTH_SECRET": settings.auth_secret} | given
    for name, value in given.items():
        if not value:
            if settings.is_postgres:  # the embedded store makes its own, in data/
                found.append(SettingProblem(name, "missing (required on PostgreSQL)", WHAT[name]))
        elif len(value.encode()) < MIN_SECRET_BYTES:
            size = len(value.encode())
            found.append(SettingProblem(name, f"too short ({size} bytes)", WHAT[name]))
    return found


def checked_settings(*, secrets_needed: bool = True) -> Settings:
    """The settings of the environment (and .env), or SettingsProblems naming every one to fix."""
    try:
        settings = Settings()
    except ValidationError as error:
        raise SettingsProblems(
            [
                SettingProblem(
                    "_".join(str(part) for part in e["loc"]).upper(),
                    "malformed",
                    e["msg"],
                )
                for e in error.errors()
            ]
        ) from None
    check(settings, secrets_needed=secrets_needed)
    return settings


def check(settings: Settings, *, secrets_needed: bool = True) -> None:
    """Raise SettingsProblems naming every problem of these settings, if any."""
    problems = settings_problems(settings, secrets_needed=secrets_needed)
    if problems:
        raise SettingsProblems(problems)


def fresh_secrets() -> str:
    """New values of every secret, as `export NAME=value` lines (for eval, or a .env file)."""
    return "".join(f"export {name}={secrets.token_urlsafe(48)}\n" for name in SECRET_NAMES)
