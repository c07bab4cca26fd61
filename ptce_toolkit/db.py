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
from sqlmodel import Session

from ptce_toolkit import paths

# Alembic revisions in order; the last one is the schema this code writes.
# tests/test_migrations.py checks this list against the migration scripts.
SCHEMA_REVISIONS = ("0001",)
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]


class DatabaseError(RuntimeError):
    """The database cannot be opened or used; the message is for the user (French)."""


def _set_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def read_revision(path: Path) -> str | None:
    """The Alembic revision stored in the file, or None for a new or empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not row:
                tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                if tables:
                    raise DatabaseError(
                        f"Le fichier « {path} » n’est pas une base PTCE Toolkit (aucune version de schéma)."
                    )
                return None
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return rev[0] if rev else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Le fichier « {path} » est illisible ou endommagé ({exc}). "
            "Restaurez la dernière sauvegarde (ptce backups)."
        ) from exc


def quick_check(path: Path) -> None:
    """Raise DatabaseError if SQLite finds the file damaged."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise DatabaseError(
            f"La base « {path} » est endommagée ({result}). Restaurez la dernière sauvegarde (ptce backups)."
        )


class Database:
    """One SQLite file. Every service call opens its own short transaction."""

    def __init__(self, path: str | Path, *, check: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed and check:
            quick_check(self.path)
        revision = read_revision(self.path)
        if revision is not None and revision not in SCHEMA_REVISIONS:
            raise DatabaseError(
                f"La base « {self.path} » a été créée par une version plus récente de PTCE Toolkit "
                f"(schéma {revision}). Elle n’a pas été modifiée ; mettez l’application à jour."
            )
        self.engine = make_engine(self.path)
        if revision != SCHEMA_HEAD:
            self._migrate(existed)

    def _migrate(self, existed: bool) -> None:
        from ptce_toolkit import backup, migrate

        if existed:
            backup.make_backup(self.path, reason="avant-migration")
        migrate.upgrade(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short ORM transaction: committed on success, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    @contextmanager
    def connection(self):
        """A short Core transaction (fast path for autosave and bulk import)."""
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: str | Path | None = None, *, check: bool = True) -> Database:
    return Database(paths.default_db_path(path), check=check)
