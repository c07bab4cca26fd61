"""The database file seen with the standard sqlite3 module only (no SQLAlchemy).

Used before the engine exists (schema version, damage check) and by read-only commands
that must start fast, such as ``ptce score``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Alembic revisions in order; the last one is the schema this code writes.
# tests/test_migrations.py checks this list against the migration scripts.
SCHEMA_REVISIONS = ("0001", "0002")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]


class DatabaseError(RuntimeError):
    """The database cannot be opened or used; the message is for the user (French)."""


KNOWN_FILE = "bases-connues.txt"  # in the data folder: every base opened on this machine
MAX_KNOWN = 200


def _known_file() -> Path:
    from ptce_toolkit import paths

    return paths.data_dir() / KNOWN_FILE


def _key(path: Path) -> str:
    import os

    return os.path.normcase(os.path.abspath(path))


def _known() -> list[str]:
    try:
        return [line for line in _known_file().read_text(encoding="utf-8").splitlines() if line]
    except (OSError, UnicodeDecodeError):
        return []


def was_known(path: Path) -> bool:
    """Was a base opened at this path on this machine? (Then its absence is a loss, not
    a first start.)"""
    return _key(path) in _known()


def remember(path: Path) -> None:
    """Note that a base lives at ``path``; a failure to note it never stops anything."""
    from ptce_toolkit import atomic

    key = _key(path)
    known = _known()
    if key in known:
        return
    known = (known + [key])[-MAX_KNOWN:]
    try:
        atomic.write_bytes(_known_file(), ("\n".join(known) + "\n").encode("utf-8"))
    except OSError:
        pass


def forget(path: Path) -> None:
    """The user chose to start again with an empty base at ``path``."""
    from ptce_toolkit import atomic

    key = _key(path)
    known = [k for k in _known() if k != key]
    try:
        atomic.write_bytes(_known_file(), ("\n".join(known) + "\n").encode("utf-8"))
    except OSError:
        pass


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
                        f"Le fichier « {path} » n’est pas une base PTCE Toolkit (aucune version de schéma)."
                    )
                return None
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return rev[0] if rev else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Le fichier « {path} » est illisible ou endommagé ({exc}). "
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
            f"La base « {path} » est endommagée ({result}). Restaurez la dernière sauvegarde (ptce backups)."
        )


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to a database of a schema this code knows."""
    path = Path(path)
    if any(path.with_name(f".{path.name}.restauration{x}").exists() for x in ("", ".json")):
        from ptce_toolkit import backup  # late: only a restore killed midway needs it

        backup.recover_at_opening(path)
    if not path.exists():
        raise DatabaseError(f"La base « {path} » n’existe pas.")
    revision = read_revision(path)
    if revision is not None and revision not in SCHEMA_REVISIONS:
        raise DatabaseError(
            f"La base « {path} » a été créée par une version plus récente de PTCE Toolkit "
            f"(schéma {revision}). Elle n’a pas été modifiée ; mettez l’application à jour."
        )
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con
