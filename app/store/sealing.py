"""Personal data sealed at rest, a key per dossier held apart from the events, and erasure by
destroying that key (crypto-shredding).

The identifying fields of a dossier's events (the applicant, and the free texts that speak of
them) are stored encrypted with AES-GCM under the dossier's own key, kept in `dossier_keys`.
Erasing a dossier's personal data deletes its key: the events remain, whole and chained, but
those fields can never be read again and read as erased.
"""

import base64
import hashlib
import os
import threading
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.store.database import forget_the_write_ahead_log
from app.store.tables import dossier_keys
from domain.anonymisation import ERASED

# What an erased field reads as: the domain still folds, and nobody can tell who it was.
ERASED_VALUES: dict[str, Any] = {
    "applicant": {
        "last_name": ERASED,
        "first_name": ERASED,
        "birth_date": date(1900, 1, 1).isoformat(),
        "siret": "00000000000000",
        "email": "efface@invalid",
        "phone": "0000000000",
        "address": {"line1": ERASED, "postal_code": "00000", "city": ERASED},
        "nir": None,
    },
    "own_account": ERASED,
    "findings": ERASED,
    "reason": ERASED,
    "activity.description": ERASED,
    "summary.situation": ERASED,
}
# Which fields of which events speak of the person, and whose key seals them: the stream's own
# (a dossier's events) or the dossier the event names (a session's agenda).
SEALED_FIELDS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "DossierFiled": (None, ("applicant", "own_account", "activity.description")),
    "DocumentsRequested": (None, ("reason",)),
    "DossierReviewed": (None, ("findings",)),
    "DossierAnonymised": (None, ("summary.situation",)),
    "DossierTakenOffAgenda": (None, ("reason",)),
    "DossierDecided": (None, ("reason",)),
    "DossierWithdrawn": (None, ("reason",)),
    "DossierClosedWithoutFollowUp": (None, ("reason",)),
    "ReExaminationRequested": (None, ("reason",)),
    "DossierPutOnAgenda": ("dossier_id", ("summary.situation",)),
    "DossierRemovedFromAgenda": ("dossier_id", ("reason",)),
}
SEALED = "$sealed"


def locate(data: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    """The dict holding a dotted field, and the field's last name (None if absent)."""
    *parents, name = path.split(".")
    for parent in parents:
        data = data.get(parent)  # type: ignore[assignment]
        if not isinstance(data, dict):
            return None
    return (data, name) if name in data else None


class KeyErased(Exception):
    """The dossier's key was destroyed: its personal data can no longer be read."""


class KeyStore:
    """The dossiers' keys, in their own table, wrapped with the deployment's key-encryption key
    (a dump of the database alone opens nothing), cached for a second: another process sees an
    erasure within that second, this one at once.

    A key read before an erasure of this process committed is never cached after it: a thread
    that was reading it (a projection's batch) would otherwise put it back for a second."""

    def __init__(self, engine: Engine, wrapping_key: bytes, ttl: float = 1.0) -> None:
        self.engine = engine
        self.wrapping = AESGCM(hashlib.sha256(wrapping_key).digest())
        self.ttl = ttl
        self.cache: dict[UUID, tuple[bytes | None, float]] = {}
        self.erased: dict[UUID, float] = {}  # when this process erased a key, for a while
        self.lock = threading.Lock()

    def _remember(self, found: dict[UUID, bytes | None], asked_at: float) -> None:
        """Cache keys read by a query that started at `asked_at`, but none erased since."""
        now = time.monotonic()
        with self.lock:
            if len(self.cache) > 4096:  # a long-lived process touches many dossiers
                self.cache = {k: v for k, v in self.cache.items() if now - v[1] < self.ttl}
            for dossier_id, key in found.items():
                if self.erased.get(dossier_id, -1.0) < asked_at:
                    self.cache[dossier_id] = (key, now)

    def key_for(self, dossier_id: UUID, *, create: bool) -> bytes:
        with self.lock:
            cached = self.cache.get(dossier_id)
        if cached and time.monotonic() - cached[1] < self.ttl:
            key = cached[0]
        else:
            asked_at = time.monotonic()
            key = self._read(dossier_id, create=create)
            self._remember({dossier_id: key}, asked_at)
        if key is None:
            raise KeyErased(dossier_id)
        return key

    def prefetch(self, dossier_ids: Iterable[UUID]) -> None:
        """Read the keys of many dossiers in one query, before decoding a batch of events."""
        wanted = list(set(dossier_ids))
        if not wanted:
            return
        query = select(dossier_keys).where(dossier_keys.c.dossier_id.in_(wanted))
        asked_at = time.monotonic()
        with self.engine.connect() as connection:
            rows = list(connection.execute(query))
        self._remember({row.dossier_id: self.unwrap(row) for row in rows}, asked_at)

    def unwrap(self, row: Any) -> bytes | None:
        if row.erased_at or row.key is None:
            return None
        wrapped = bytes(row.key)
        unwrapped: bytes = self.wrapping.decrypt(wrapped[:12], wrapped[12:], row.dossier_id.bytes)
        return unwrapped

    def _read(self, dossier_id: UUID, *, create: bool) -> bytes | None:
        if create:  # a key is asked for a dossier's first events: make it, read it if it exists
            return self._create(dossier_id)
        query = select(dossier_keys).where(dossier_keys.c.dossier_id == dossier_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else self.unwrap(row)

    def _create(self, dossier_id: UUID) -> bytes | None:
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        wrapped = nonce + self.wrapping.encrypt(nonce, key, dossier_id.bytes)
        try:  # one statement, atomic by itself: autocommit spares two round trips
            autocommit = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            with autocommit as connection:
                connection.execute(
                    insert(dossier_keys).values(
                        dossier_id=dossier_id, key=wrapped, created_at=datetime.now(UTC)
                    )
                )
        except IntegrityError:  # the dossier has its key already (or it was erased)
            return self._read(dossier_id, create=False)
        return key

    def erase(self, dossier_id: UUID) -> bool:
        """Destroy the dossier's key; whether there was one to destroy."""
        with self.engine.begin() as connection:
            done = connection.execute(
                update(dossier_keys)
                .where(dossier_keys.c.dossier_id == dossier_id, dossier_keys.c.erased_at.is_(None))
                .values(key=None, erased_at=datetime.now(UTC))
            )
        now = time.monotonic()
        with self.lock:
            self.cache.pop(dossier_id, None)
            self.erased = {k: t for k, t in self.erased.items() if now - t < 60.0}
            self.erased[dossier_id] = now
        forget_the_write_ahead_log(self.engine)  # the key's old bytes leave the WAL too
        return bool(done.rowcount)


def seal(key: bytes, plaintext: bytes, associated: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, associated)).decode()


def unseal(key: bytes, sealed: str, associated: bytes) -> bytes:
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:12], raw[12:], associated)
