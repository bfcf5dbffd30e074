"""The SQL side of the store (read models, keys, access log) and the secrets of a deployment."""

import logging
import secrets
import sqlite3
from typing import Any

from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory
from sqlalchemy import Engine, create_engine, event, text

from app.settings import Settings
from app.store.files import private_sqlite_database, read_secret, write_new_secret

# SQLite keeps deleted content in its pages until they are reused: an erased dossier's key or
# an old row of the commission view could be read back from the file. With secure_delete on
# every writing connection, deleted content is overwritten with zeros.
SECURE_DELETE = "PRAGMA secure_delete = ON"
SQLITE_BUSY_TIMEOUT_MS = 15_000  # how long a connection waits for another's lock
CONNECT_TIMEOUT = 5  # seconds to connect to PostgreSQL, or to wait for a free connection
log = logging.getLogger(__name__)


def sql_engine(settings: Settings) -> Engine:
    """The SQLAlchemy engine of the tables beside the events (in the same database).

    Its errors and logs never show a statement's parameters: they are the caller's input, and
    may be personal data."""
    if settings.is_postgres:
        schema = settings.database_schema
        connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT}
        if schema:
            connect_args["options"] = f"-csearch_path={schema}"
        return create_engine(
            settings.sqlalchemy_url(),
            connect_args=connect_args,
            pool_size=settings.database_pool_size,
            pool_timeout=CONNECT_TIMEOUT,  # a database that stops answering is told soon
            # no ping before each use (a round trip per request): a connection the database
            # dropped fails once, and SQLAlchemy then replaces the whole pool's
            hide_parameters=True,
        )
    private_sqlite_database(settings.sqlite_path)
    engine = create_engine(
        settings.sqlalchemy_url(),
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def overwrite_deleted_content(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        dbapi_connection.execute(SECURE_DELETE)

    return engine


def forget_the_write_ahead_log(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database file and empty it: after an erasure,
    the pages that still held the destroyed key live on in the log until a checkpoint."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy, _, _ = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    if busy:  # a reader held on past the busy timeout: the next erasure's checkpoint retries
        log.warning("the SQLite write-ahead log could not be emptied after an erasure")


class SecureDeleteSQLitePool(SQLiteConnectionPool):
    """The event store's SQLite connections, overwriting what they delete."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection.cursor().execute(SECURE_DELETE)
        return connection


class SecureDeleteSQLiteFactory(SQLiteFactory):
    """The eventsourcing library's SQLite persistence, with secure_delete on its connections
    (named by PERSISTENCE_MODULE in the settings' eventsourcing environment)."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        made = self.datastore.pool  # no connection is opened before the first use
        self.datastore.pool = SecureDeleteSQLitePool(
            db_name=made.db_name, lock_timeout=made.lock_timeout
        )
        made.close()


def local_secret(settings: Settings, given: str | None, name: str) -> str:
    """A secret from the settings; with the embedded store and none given, one made once for
    this machine in the data folder, owner-only (a production store must be given its
    secrets)."""
    if given:
        return given
    if settings.is_postgres:
        raise RuntimeError(f"set {name.upper().replace('-', '_')} for a PostgreSQL deployment")
    path = settings.sqlite_path.parent / f"dev-{name}"
    if not path.exists():
        write_new_secret(path, secrets.token_urlsafe(48))  # another process may win: read it
    value = read_secret(path)
    from app.startup import secret_problem  # the start-up check names it first, with the fix

    if problem := secret_problem(value):
        raise RuntimeError(f"the secret in {path} is unusable: {problem}")
    return value
