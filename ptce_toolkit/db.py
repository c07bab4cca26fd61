"""Open the SQLite database: pragmas, schema check, migrations, backups before upgrading.

Alembic is imported only when the schema must change, so opening an up-to-date file
stays cheap (see STACK_NOTES.md, start-up).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ptce_toolkit import paths
from ptce_toolkit.dbfile import SCHEMA_HEAD, SCHEMA_REVISIONS, DatabaseError, quick_check, read_revision

__all__ = ["Database", "DatabaseError", "SCHEMA_HEAD", "SCHEMA_REVISIONS", "open_database", "quick_check",
           "read_revision", "make_engine"]

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
