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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, select, update

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


@dataclass(frozen=True)
class NewKey:
    """A dossier's key made for the append under way, stored with its events or not at all."""

    dossier_id: UUID
    key: bytes
    wrapped: bytes
    created_at: datetime  # UTC, without its offset, as the table keeps it


class KeyStore:
    """The dossiers' keys, in their own table, wrapped with the deployment's key-encryption key
    (a dump of the database alone opens nothing), cached for a second: another process sees an
    erasure within that second, this one at once.

    A new dossier's key is made when its first events are sealed and written in the same
    transaction as them (app.store.recorders): until then it is this thread's alone.

    A key read before an erasure of this process committed is never cached after it: a thread
    that was reading it (a projection's batch) would otherwise put it back for a second."""

    def __init__(self, engine: Engine, wrapping_key: bytes, ttl: float = 1.0) -> None:
        self.engine = engine
        # a key is read by one statement: in autocommit, no BEGIN and ROLLBACK around it (three
        # round trips become one, for every command and read of a dossier not in the cache)
        self.reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        # the event store's own way to read key rows, where it has one (PostgreSQL)
        self.rows: Callable[[Sequence[UUID]], Sequence[Any]] | None = None
        self.wrapping = AESGCM(hashlib.sha256(wrapping_key).digest())
        self.ttl = ttl
        self.cache: dict[UUID, tuple[bytes | None, float]] = {}
        self.erased: dict[UUID, float] = {}  # when this process erased a key, for a while
        self.lock = threading.Lock()
        self.unit = threading.local()  # the keys made for the append under way in a thread

    def _remember(self, found: dict[UUID, bytes | None], asked_at: float) -> None:
        """Cache keys read by a query that started at `asked_at`, but none erased since."""
        now = time.monotonic()
        with self.lock:
            if len(self.cache) > 4096:  # a long-lived process touches many dossiers
                self.cache = {k: v for k, v in self.cache.items() if now - v[1] < self.ttl}
            for dossier_id, key in found.items():
                if self.erased.get(dossier_id, -1.0) < asked_at:
                    self.cache[dossier_id] = (key, now)

    def key_for(self, dossier_id: UUID, *, create: bool, fresh: bool = False) -> bytes:
        """The dossier's key; with `create`, one made for the append under way if it has none
        yet (KeyErased if it had one and it was erased). `fresh`: the append starts the
        dossier's stream, so it has no key yet (keys are only ever stored with the events that
        start it) and none is looked for."""
        made = self.new_keys_made().get(dossier_id)
        if made is not None:
            return made.key
        if fresh and create:
            return self._make(dossier_id).key
        with self.lock:
            cached = self.cache.get(dossier_id)
        if cached and time.monotonic() - cached[1] < self.ttl:
            key = cached[0]
        else:
            asked_at = time.monotonic()
            found, key = self._read(dossier_id)
            if not found and create:
                return self._make(dossier_id).key
            if found:  # a key that does not exist yet is looked for again next time
                self._remember({dossier_id: key}, asked_at)
        if key is None:
            raise KeyErased(dossier_id)
        return key

    def new_keys_made(self) -> dict[UUID, NewKey]:
        """The keys made in this thread for the append under way (the recorder stores them)."""
        made: dict[UUID, NewKey] | None = getattr(self.unit, "made", None)
        if made is None:
            made = self.unit.made = {}
        return made

    def settle(self, *, stored: bool) -> None:
        """The append under way ended: its new keys were stored with it, or never will be."""
        made = self.new_keys_made()
        self.unit.made = {}
        if stored:
            self._remember({k.dossier_id: k.key for k in made.values()}, time.monotonic())

    def forget(self, dossier_ids: Iterable[UUID]) -> None:
        """Keys destroyed by a committed append: never read from the cache again."""
        now = time.monotonic()
        with self.lock:
            self.erased = {k: t for k, t in self.erased.items() if now - t < 60.0}
            for dossier_id in dossier_ids:
                self.cache.pop(dossier_id, None)
                self.erased[dossier_id] = now

    def prefetch(self, dossier_ids: Iterable[UUID]) -> None:
        """Read the keys of many dossiers in one query, before decoding a batch of events."""
        wanted = list(set(dossier_ids))
        if not wanted:
            return
        asked_at = time.monotonic()
        rows = self._rows(wanted)
        self._remember({row.dossier_id: self.unwrap(row) for row in rows}, asked_at)

    def unwrap(self, row: Any) -> bytes | None:
        if row.erased_at or row.key is None:
            return None
        wrapped = bytes(row.key)
        unwrapped: bytes = self.wrapping.decrypt(wrapped[:12], wrapped[12:], row.dossier_id.bytes)
        return unwrapped

    def _read(self, dossier_id: UUID) -> tuple[bool, bytes | None]:
        """Whether the dossier has a key row, and its key (None once erased)."""
        rows = self._rows([dossier_id])
        return (False, None) if not rows else (True, self.unwrap(rows[0]))

    def _rows(self, dossier_ids: Sequence[UUID]) -> Sequence[Any]:
        if self.rows is not None:
            return self.rows(dossier_ids)
        query = select(dossier_keys).where(dossier_keys.c.dossier_id.in_(dossier_ids))
        with self.reader.connect() as connection:
            return list(connection.execute(query))

    def _make(self, dossier_id: UUID) -> NewKey:
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        wrapped = nonce + self.wrapping.encrypt(nonce, key, dossier_id.bytes)
        made = NewKey(dossier_id, key, wrapped, datetime.now(UTC).replace(tzinfo=None))
        self.new_keys_made()[dossier_id] = made
        return made

    def erase(self, dossier_id: UUID) -> bool:
        """Destroy the dossier's key on its own (an erasure recorded before the key went with
        it); whether there was one to destroy."""
        with self.engine.begin() as connection:
            done = connection.execute(
                update(dossier_keys)
                .where(dossier_keys.c.dossier_id == dossier_id, dossier_keys.c.erased_at.is_(None))
                .values(key=None, erased_at=datetime.now(UTC))
            )
        self.forget([dossier_id])
        forget_the_write_ahead_log(self.engine)  # the key's old bytes leave the WAL too
        return bool(done.rowcount)


def seal(key: bytes, plaintext: bytes, associated: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, associated)).decode()


def unseal(key: bytes, sealed: str, associated: bytes) -> bytes:
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:12], raw[12:], associated)
