"""Rolling backups of the database file, made with SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ptce_toolkit import paths

DEFAULT_KEEP = 10


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC
    reason: str
    size: int


def make_backup(db_path: Path, *, reason: str = "demarrage", keep: int = DEFAULT_KEEP) -> Path:
    """Copy the live database consistently (even in WAL mode), then prune old copies."""
    folder = paths.backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    tmp = target.with_suffix(".part")
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, target)
    prune(db_path, keep)
    return target


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Newest first."""
    folder = paths.backups_dir(db_path)
    if not folder.is_dir():
        return []
    out = []
    for f in folder.glob(f"{db_path.stem}-*.sqlite3"):
        parts = f.stem[len(db_path.stem) + 1:].split("-", 1)
        try:
            when = datetime.strptime(parts[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        out.append(BackupInfo(f, when, parts[1] if len(parts) > 1 else "", f.stat().st_size))
    return sorted(out, key=lambda b: b.created_at, reverse=True)


def prune(db_path: Path, keep: int) -> None:
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)


def restore_backup(db_path: Path, backup_path: Path) -> Path:
    """Put a backup in place of the database; the current file is moved aside, never lost.

    Returns where the replaced file now lives.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = db_path.with_name(f"{db_path.stem}-remplacee-{stamp}{db_path.suffix}")
    if db_path.exists():
        os.replace(db_path, aside)
        for suffix in ("-wal", "-shm"):
            side = Path(str(db_path) + suffix)
            if side.exists():
                os.replace(side, Path(str(aside) + suffix))
    tmp = db_path.with_suffix(".restore-part")
    src = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, db_path)
    return aside
