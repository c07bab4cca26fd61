"""Open the SQLite database: pragmas, schema check, migrations, backups before upgrading.

Alembic is imported only when the schema must change, so opening an up-to-date file
stays cheap (see STACK_NOTES.md, start-up). SQLAlchemy too is imported only when the
first ORM session or Core connection is asked for: opening the file (checks, lock,
backups) and reading it (``reading``, plain sqlite3) need neither, so the app can show
the assessment while the ORM is imported in the background.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ptce_toolkit import dbfile, paths
from ptce_toolkit.dbfile import SCHEMA_HEAD, SCHEMA_REVISIONS, DatabaseError, quick_check, read_revision

__all__ = ["Database", "DatabaseError", "NewerDatabase", "SCHEMA_HEAD", "SCHEMA_REVISIONS", "open_database", "quick_check",
           "read_revision", "make_engine"]

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

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
    from sqlalchemy import create_engine, event

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
    newest one; ``startup_backup="later"`` leaves it to ``backup_if_due()``, which the
    caller must run before its first write (the GUI: while the services are imported;
    comparing and copying a network's base takes ≈0.1 s). A damaged file raises ``integrity.DamagedDatabase`` naming the newest
    intact backup; a file from a newer version raises ``NewerDatabase``.
    """

    def __init__(self, path: str | Path, *, check: bool = True, lock: bool = False,
                 startup_backup: bool | str = False, keep: int | None = None,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path)
        self.lock = None
        self.startup_backup: Path | None = None
        self._backup_due: tuple[int | None] | None = None  # (keep,) while a start-up backup waits
        self.warnings: list[str] = []  # French sentences the front end should show
        self._identity: tuple[int, int] | None = None
        self._busy_timeout_ms = busy_timeout_ms
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._readers = threading.local()   # one plain sqlite3 connection per thread (``reading``)
        self._reader_list: list[sqlite3.Connection] = []
        from ptce_toolkit import backup

        if not self.path.exists() and not backup.restore_pending(self.path) and dbfile.was_known(self.path):
            raise VanishedDatabase(self.path)  # never a fresh empty base where one used to be
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if lock:
            from ptce_toolkit import instance_lock

            self.lock = instance_lock.acquire(self.path)
        try:
            self._open(check, startup_backup, keep, busy_timeout_ms)
            self._identity = _identity(self.path)
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            raise
        dbfile.remember(self.path)

    def _open(self, check: bool, startup_backup: bool | str, keep: int | None, busy_timeout_ms: int) -> None:
        from ptce_toolkit import backup

        note = backup.recover_at_opening(self.path)  # a restore killed midway is finished first
        if note:
            self.warnings.append(note)
        if check:
            from ptce_toolkit import integrity

            integrity.check(self.path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        revision = read_revision(self.path)
        if revision is not None and revision not in SCHEMA_REVISIONS:
            raise NewerDatabase(self.path, revision)
        if revision != SCHEMA_HEAD:
            self._migrate(existed, keep)
        elif existed and startup_backup == "later":
            self._backup_due = (keep,)
        elif existed and startup_backup:
            self._startup_backup(keep)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) on first use; any thread."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    self._engine = make_engine(self.path, busy_timeout_ms=self._busy_timeout_ms)
        return self._engine

    def dispose(self) -> None:
        """Drop every open connection (ORM pool and plain readers); the next use opens anew."""
        if self._engine is not None:
            self._engine.dispose()
        readers, self._reader_list = self._reader_list, []
        self._readers = threading.local()
        for con in readers:
            try:
                con.close()
            except sqlite3.Error:
                pass

    def _migrate(self, existed: bool, keep: int | None) -> None:
        from ptce_toolkit import backup, migrate

        made = None
        if existed:  # no backup, no upgrade: a failure here stops the opening
            made = backup.make_backup(self.path, reason=backup.BEFORE_MIGRATION, keep=keep)
        try:
            migrate.upgrade(self.engine)
        except Exception as exc:  # the upgrade runs in one transaction: nothing was changed
            self.dispose()
            saved = f" Une sauvegarde a été faite avant l’essai\u00a0: «\u00a0{made.name}\u00a0»." if made else ""
            raise DatabaseError(
                f"La mise à jour de la base «\u00a0{self.path}\u00a0» a échoué ({exc})\u00a0; la base n’a pas été "
                f"modifiée et reste utilisable avec la version précédente de PTCE Toolkit.{saved}"
            ) from exc

    def backup_if_due(self) -> None:
        """The start-up backup left for later (``startup_backup="later"``), once."""
        due, self._backup_due = self._backup_due, None
        if due is not None:
            self._startup_backup(*due)

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
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        self.check_identity()
        try:
            with Session(self.engine, expire_on_commit=False) as s:
                try:
                    yield s
                    s.commit()
                except BaseException:
                    s.rollback()
                    raise
        except DBAPIError as exc:
            err = self._storage_failure(exc)
            if err is exc:
                raise
            raise err from exc
        self.check_identity()  # committed into a file that is gone: not acknowledged

    @contextmanager
    def connection(self):
        """A short Core transaction (fast path for autosave and bulk import)."""
        from sqlalchemy.exc import DBAPIError

        with self._guarded(DBAPIError), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection for reading (``quickread``), without SQLAlchemy: the
        start-up path and the re-reading after each edit."""
        with self._guarded(sqlite3.Error):
            yield self._plain()

    @contextmanager
    def _guarded(self, errors):
        """The file's identity checked before and after; a storage failure among ``errors``
        becomes the SaveError that names it (``_storage_failure``)."""
        self.check_identity()
        try:
            yield
        except errors as exc:
            err = self._storage_failure(exc)
            if err is exc:
                raise
            raise err from exc
        self.check_identity()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction on a plain sqlite3 connection with the engine's pragmas
        (WAL, synchronous=FULL, foreign keys, busy timeout): committed on success, rolled
        back on error, storage failures as in ``connection``. The autosave of answers
        (``services.answers``) runs here, without SQLAlchemy."""
        with self.reading() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    try:
                        con.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the connection is dropped with the failure (``_storage_failure``)
                raise

    def _plain(self) -> sqlite3.Connection:
        """This thread's plain connection (``reading``, ``writing``), opened on first use."""
        con = getattr(self._readers, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            _pragmas(self._busy_timeout_ms)(con, None)
            self._readers.con = con
            self._reader_list.append(con)
        return con

    def check_identity(self) -> None:
        """Raise SaveError (kind VANISHED) when the file this base was opened on is gone or
        replaced (folder deleted, USB key pulled): SQLite would go on writing into the
        unlinked file, or create an empty one. Writes resume once the same file is back."""
        if self._identity is None:
            return
        now = _identity(self.path)
        if now == self._identity:
            if self._vanished:
                self._vanished = False
                self.dispose()  # connections to the old mount are stale: open anew
            return
        from ptce_toolkit import save_errors

        if not self._vanished:
            self._vanished = True
            self.dispose()
        raise save_errors.SaveError(save_errors.VANISHED, self.path)

    _vanished = False

    def _storage_failure(self, exc: BaseException) -> BaseException:
        err = _storage_error(exc, self.path)
        if err is None:
            return exc
        # A connection opened while the file was read-only (or the disk full) stays so in
        # the pool: drop them all, so the same edit succeeds once the cause is gone.
        self.dispose()
        _repair_side_files(self.path)
        return err

    def close(self) -> None:
        self.dispose()
        if self.lock is not None:
            self.lock.release()


def _identity(path: Path) -> tuple[int, int] | None:
    import os

    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _repair_side_files(path: Path) -> None:
    """A -wal or -shm that SQLite created while the base was read-only keeps its mode
    (SQLite copies the base's permissions) and fails every later write once the base is
    writable again: give them the base's mode back. Only our own files; never raises."""
    import os
    import stat

    try:
        if not os.access(path, os.W_OK):
            return
        mode = stat.S_IMODE(os.stat(path).st_mode)
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists() and not os.access(side, os.W_OK) and side.stat().st_uid == os.stat(path).st_uid:
                os.chmod(side, mode)
    except OSError:
        pass


class VanishedDatabase(DatabaseError):
    """The base used at this path is gone (folder deleted, support removed); an empty one
    is never created in its place."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"La base «\u00a0{path}\u00a0» est introuvable alors qu’elle a déjà été utilisée sur ce poste "
            "(dossier supprimé ou renommé, clé USB ou partage réseau absent)\u00a0; une base vide n’a pas été créée "
            "à sa place. Rebranchez le support ou remettez le dossier en place, puis rouvrez-la."
        )


def open_database(path: str | Path | None = None, **options) -> Database:
    """Options: see ``Database`` (check, lock, startup_backup, keep, busy_timeout_ms)."""
    return Database(paths.default_db_path(path), **options)
