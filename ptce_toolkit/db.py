"""Open the SQLite database: pragmas, schema check, migrations, backups before upgrading.

Alembic is imported only when the schema must change, so opening an up-to-date file
stays cheap (see STACK_NOTES.md, start-up).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from ptce_toolkit import paths
from ptce_toolkit.dbfile import SCHEMA_HEAD, SCHEMA_REVISIONS, DatabaseError, quick_check, read_revision

__all__ = ["Database", "DatabaseError", "NewerDatabase", "SCHEMA_HEAD", "SCHEMA_REVISIONS", "open_database", "quick_check",
           "read_revision", "make_engine"]

BUSY_TIMEOUT_MS = 5000


def _pragmas(busy_timeout_ms: int):
    def set_pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss,
        # and an answer shown as saved must survive the power cord (docs/FIABILITE.md).
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    return set_pragmas


def make_engine(path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _pragmas(busy_timeout_ms))
    return engine


class NewerDatabase(DatabaseError):
    """The file was written by a newer version of the app; it is left untouched."""

    def __init__(self, path: Path, revision: str):
        self.path, self.revision = path, revision
        super().__init__(
            f"La base «\u00a0{path}\u00a0» a été créée par une version plus récente de PTCE Toolkit "
            f"(schéma {revision}). Elle n’a pas été modifiée\u00a0; mettez l’application à jour pour l’ouvrir."
        )


def _storage_error(exc: BaseException, path: Path):
    """A SaveError (French, says the edit is kept) for disk full / read-only / locked…"""
    from ptce_toolkit import save_errors

    return save_errors.from_exception(exc, path)


class Database:
    """One SQLite file. Every service call opens its own short transaction.

    ``lock=True`` (the GUI, CLI commands that write) takes the single-instance lock
    first (``instance_lock.AlreadyOpen`` if another process has the file).
    ``startup_backup=True`` makes a rolling backup when the data changed since the
    newest one. A damaged file raises ``integrity.DamagedDatabase`` naming the newest
    intact backup; a file from a newer version raises ``NewerDatabase``.
    """

    def __init__(self, path: str | Path, *, check: bool = True, lock: bool = False,
                 startup_backup: bool = False, keep: int | None = None,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path)
        self.lock = None
        self.startup_backup: Path | None = None
        self.warnings: list[str] = []  # French sentences the front end should show
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if lock:
            from ptce_toolkit import instance_lock

            self.lock = instance_lock.acquire(self.path)
        try:
            self._open(check, startup_backup, keep, busy_timeout_ms)
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            raise

    def _open(self, check: bool, startup_backup: bool, keep: int | None, busy_timeout_ms: int) -> None:
        if check:
            from ptce_toolkit import integrity

            integrity.check(self.path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        revision = read_revision(self.path)
        if revision is not None and revision not in SCHEMA_REVISIONS:
            raise NewerDatabase(self.path, revision)
        self.engine = make_engine(self.path, busy_timeout_ms=busy_timeout_ms)
        if revision != SCHEMA_HEAD:
            self._migrate(existed, keep)
        elif existed and startup_backup:
            self._startup_backup(keep)

    def _migrate(self, existed: bool, keep: int | None) -> None:
        from ptce_toolkit import backup, migrate

        made = None
        if existed:  # no backup, no upgrade: a failure here stops the opening
            made = backup.make_backup(self.path, reason=backup.BEFORE_MIGRATION, keep=keep)
        try:
            migrate.upgrade(self.engine)
        except Exception as exc:  # the upgrade runs in one transaction: nothing was changed
            self.engine.dispose()
            saved = f" Une sauvegarde a été faite avant l’essai\u00a0: «\u00a0{made.name}\u00a0»." if made else ""
            raise DatabaseError(
                f"La mise à jour de la base «\u00a0{self.path}\u00a0» a échoué ({exc})\u00a0; la base n’a pas été "
                f"modifiée et reste utilisable avec la version précédente de PTCE Toolkit.{saved}"
            ) from exc

    def _startup_backup(self, keep: int | None) -> None:
        from ptce_toolkit import backup, save_errors

        try:
            self.startup_backup = backup.backup_if_changed(self.path, keep=keep)
        except (OSError, sqlite3.Error, DatabaseError) as exc:  # the base itself is fine: open it, but say so
            self.warnings.append(save_errors.describe(exc, paths.backups_dir(self.path), during="backup"))

    # Disk full, read-only folder, file locked… become SaveError (a French sentence);
    # nothing was committed, and the caller still holds the edit to try again.
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short ORM transaction: committed on success, rolled back on error."""
        try:
            with Session(self.engine, expire_on_commit=False) as s:
                try:
                    yield s
                    s.commit()
                except BaseException:
                    s.rollback()
                    raise
        except DBAPIError as exc:
            err = _storage_error(exc, self.path)
            if err is None:
                raise
            raise err from exc

    @contextmanager
    def connection(self):
        """A short Core transaction (fast path for autosave and bulk import)."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as exc:
            err = _storage_error(exc, self.path)
            if err is None:
                raise
            raise err from exc

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def open_database(path: str | Path | None = None, **options) -> Database:
    """Options: see ``Database`` (check, lock, startup_backup, keep, busy_timeout_ms)."""
    return Database(paths.default_db_path(path), **options)
