"""What a database file holds, row by row, blind to page layout: for comparing a base with
its backups (the app itself compares pages, ``ptce_toolkit.backup.same_content``)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def rows_of(path: Path) -> dict[str, list]:
    """Every row of every table (rowid first), by table name."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: con.execute(f'SELECT rowid, * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        con.close()


def fingerprint(path: Path) -> str:
    """Hash of the schema (tables and indexes) and every row: equal for two copies of the
    same data."""
    h = hashlib.sha256()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table','index') "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY type, name"):
            h.update(f"{name}\0{sql}\0".encode())
    finally:
        con.close()
    h.update(repr(sorted(rows_of(path).items())).encode())
    return h.hexdigest()
