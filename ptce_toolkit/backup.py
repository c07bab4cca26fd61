"""Rolling backups of the database file, made with SQLite's online backup API.

Backups live in ``<base>-sauvegardes/`` beside the database, one self-contained file
each (journal mode DELETE, no -wal beside it), named ``<base>-<UTC stamp>-<reason>.sqlite3``.
A restore never overwrites anything: the file it replaces is moved into the same folder
under the reason ``remplacee`` and is never pruned.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ptce_toolkit import atomic, paths
from ptce_toolkit.dbfile import DatabaseError

DEFAULT_KEEP = 10
KEEP_ENV = "PTCE_TOOLKIT_SAUVEGARDES"  # how many rolling backups to keep (setting)
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_STALE_PART_S = 3600  # an unfinished copy older than this belongs to no running backup

STARTUP, BEFORE_MIGRATION, MANUAL, BEFORE_RESTORE, REPLACED = (
    "demarrage", "avant-migration", "manuelle", "avant-restauration", "remplacee")
REASON_LABELS = {
    STARTUP: "au démarrage",
    BEFORE_MIGRATION: "avant une mise à jour",
    MANUAL: "à la demande",
    BEFORE_RESTORE: "avant une restauration",
    REPLACED: "base mise de côté lors d’une restauration",
}
_NEVER_PRUNED = {REPLACED}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def label(self) -> str:
        """French line for a list: « 23 novembre 2026 à 10:12 — au démarrage »."""
        from ptce_toolkit import fmt

        local = self.created_at.astimezone()
        reason = REASON_LABELS.get(self.reason, self.reason)
        return f"{fmt.long_date(local.date())} à {local:%H:%M} — {reason}"


class BackupError(DatabaseError):
    """A backup cannot be made or restored; the message is French."""


def configured_keep() -> int:
    """Number of rolling backups to keep: the setting, else ``DEFAULT_KEEP`` (at least 1)."""
    try:
        return max(1, int(os.environ.get(KEEP_ENV, DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def _copy(src_path: Path, dst_path: Path) -> None:
    """Consistent copy through the backup API (reads committed WAL content too), then made
    a single self-contained file."""
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(dst_path)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _write_image(image: bytes, dst_path: Path) -> None:
    """A snapshot from ``database_image`` written as a self-contained file: the same pages
    the backup API would copy, marked rollback-journal (header bytes 18–19 = 1, as
    ``journal_mode=DELETE`` sets them) so that it needs no -wal beside it."""
    head = bytearray(image[:100])
    head[18] = head[19] = 1
    with open(dst_path, "wb") as fh:
        fh.write(head)
        fh.write(memoryview(image)[100:])


def make_backup(db_path: Path, *, reason: str = STARTUP, keep: int | None = None,
                image: bytes | None = None) -> Path:
    """Copy the live database consistently (even in WAL mode), then prune old copies.
    ``image``: a snapshot of it just taken (``database_image``), written as it is."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"La base «\u00a0{db_path}\u00a0» est introuvable\u00a0; aucune sauvegarde n’a été faite.")
    folder = paths.backups_dir(db_path)
    stamp = datetime.now(timezone.utc).strftime(STAMP_FORMAT)
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic.atomic_path(target) as tmp:
            if image is not None and len(image) >= 100:
                _write_image(image, tmp)
            else:
                _copy(db_path, tmp)
    except (OSError, sqlite3.Error) as exc:  # disk full, read-only, support removed: one French sentence
        raise _backup_error(exc, folder) from exc
    prune(db_path, keep if keep is not None else configured_keep())
    return target


def _backup_error(exc: BaseException, folder: Path) -> BackupError:
    from ptce_toolkit import save_errors

    return BackupError(save_errors.describe(exc, folder, during="backup"))


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Newest first."""
    db_path = Path(db_path)
    folder = paths.backups_dir(db_path)
    if not folder.is_dir():
        return []
    out = []
    for f in folder.glob(f"{db_path.stem}-*.sqlite3"):
        parts = f.stem[len(db_path.stem) + 1:].split("-", 1)
        try:
            when = datetime.strptime(parts[0], STAMP_FORMAT).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        out.append(BackupInfo(f, when, parts[1] if len(parts) > 1 else "", f.stat().st_size))
    return sorted(out, key=lambda b: b.created_at, reverse=True)


def find_backup(db_path: Path, name: str) -> BackupInfo | None:
    """A backup by file name (or full path), as the user typed it."""
    return next((b for b in list_backups(db_path) if name in (b.path.name, str(b.path))), None)


def prune(db_path: Path, keep: int) -> None:
    """Keep the ``keep`` newest rolling backups, and sweep copies a crash cut short."""
    from ptce_toolkit import instance_lock

    rolling = [b for b in list_backups(db_path) if b.reason not in _NEVER_PRUNED]
    for old in rolling[max(1, keep):]:
        old.path.unlink(missing_ok=True)
    # A half-written copy can only be in progress in the lock holder; if that is us, any
    # other is the remains of a killed instance. Otherwise leave recent ones alone.
    ours = instance_lock.held_here(db_path)
    for part in paths.backups_dir(db_path).glob(".*.part"):
        try:
            if ours or time.time() - part.stat().st_mtime > _STALE_PART_S:
                part.unlink()
        except OSError:
            pass


def is_good(path: Path) -> bool:
    """Does SQLite find this file intact (and is it a database with tables at all)?"""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            return ok and con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.Error:
        return False


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    """Newest backup that SQLite finds intact (a damaged one is skipped, never offered)."""
    return next((b for b in list_backups(db_path) if is_good(b.path)), None)


# Header bytes that differ between a base and its backup although the data are the same:
# journal mode (18–19: WAL in the base, rollback in the copy), file change counter
# (24–27), schema cookie (40–43, the backup API bumps it in the copy), version-valid-for
# and the SQLite version that wrote last (92–99). Everything else, page by page, is what
# the backup API copied verbatim.
_HEADER_NOISE = ((18, 20), (24, 28), (40, 44), (92, 100))


def _masked_header(image: bytes) -> bytes:
    head = bytearray(image[:100])
    for start, end in _HEADER_NOISE:
        head[start:end] = bytes(end - start)
    return bytes(head)


def database_image(path: Path) -> bytes:
    """The base as SQLite sees it, page by page (committed WAL content included), read in
    one read transaction (``sqlite3_serialize``): a consistent snapshot."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.serialize()
    finally:
        con.close()


_CHUNK = 1 << 20  # the backup is read and compared by 1 Mo pieces: only the base's image is in memory


def same_content(image: bytes, backup_path: Path) -> bool:
    """Is this backup file, byte for byte, a copy of the base whose ``image`` is given
    (header noise aside)? A damaged, truncated or missing backup, or one with a journal
    beside it (its bytes are then not all of its content), is not."""
    if len(image) < 100 or any(_side(backup_path, s).exists() for s in ("-wal", "-journal")):
        return False
    view = memoryview(image)
    try:
        with open(backup_path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size != len(image):
                return False
            head = fh.read(100)
            if len(head) != 100 or _masked_header(head) != _masked_header(image):
                return False
            at = 100
            while at < len(image):
                piece = fh.read(min(_CHUNK, len(image) - at))
                if not piece or piece != view[at:at + len(piece)]:
                    return False
                at += len(piece)
            return not fh.read(1)
    except OSError:
        return False


# Above this size (the base and its -wal), the start-up backup no longer takes the base's
# image in memory to compare it: it copies the base each time (never one backup less).
IMAGE_LIMIT = 256 << 20


def _live_size(db_path: Path) -> int:
    return sum(p.stat().st_size for p in (Path(db_path), _side(Path(db_path), "-wal")) if p.exists())


def backup_if_changed(db_path: Path, *, keep: int | None = None) -> Path | None:
    """Start-up backup: only when the data differ from the newest backup.

    The base's pages are compared with the newest backup's file (≈30 ms on a network's
    8 Mo base, against ≈0.15–0.6 s to hash every row of both): the backup API copies
    pages verbatim, so the same data mean the same bytes but for a few header fields.
    Any insert, update or delete rewrites at least one page, so it is never missed; a
    write that changed nothing visible (a value set to itself, a delete then the same
    insert) may differ in page layout and costs one more backup, never one less. Nothing
    to maintain in the write paths, and the backup itself is checked at the same time:
    a damaged newest backup no longer matches, so a fresh one is made. The snapshot read
    for the comparison is what is written (no second read of the base).
    """
    image = None
    if _live_size(db_path) > IMAGE_LIMIT:  # too big to hold in memory: copied at every start instead
        return make_backup(db_path, reason=STARTUP, keep=keep)
    try:
        image = database_image(db_path)
    except sqlite3.Error:
        pass  # the copy below says what is wrong with the base, in French
    latest = next(iter(list_backups(db_path)), None)
    if image is not None and latest is not None and same_content(image, latest.path):
        return None
    return make_backup(db_path, reason=STARTUP, keep=keep, image=image)


def _aside_name(db_path: Path) -> Path:
    folder = paths.backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        stamp = datetime.now(timezone.utc).strftime(STAMP_FORMAT)
        aside = folder / f"{db_path.stem}-{stamp}-{REPLACED}.sqlite3"
        if not aside.exists():
            return aside


KILL_ENV = "PTCE_TOOLKIT_TEST_KILL_AT"  # tests only: die (SIGKILL) at this step of a restore
RESTORE_STEPS = ("copie", "journal", "journal-a-cote", "base-de-cote", "remplacee")


def _kill_point(step: str) -> None:
    """Tests kill the process here to prove every step can be interrupted safely."""
    if os.environ.get(KILL_ENV) == step:
        import signal

        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _journal_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.restauration.json")


def _staged_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.restauration")


def _side(path: Path, suffix: str) -> Path:
    return Path(str(path) + suffix)


def _fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _move_aside(db_path: Path, aside: Path) -> None:
    """The current base and its journal files into ``aside`` (idempotent)."""
    # -wal first: once the main file has moved, nobody may pick up its journal.
    for suffix in ("-wal", "-shm"):
        if _side(db_path, suffix).exists():
            os.replace(_side(db_path, suffix), _side(aside, suffix))
    _kill_point("journal-a-cote")
    if db_path.exists():
        os.replace(db_path, aside)
    _fsync_dir(db_path.parent)
    if aside.parent != db_path.parent:
        _fsync_dir(aside.parent)


def recover_interrupted_restore(db_path: str | os.PathLike) -> str | None:
    """Finish or undo a restore that was killed midway, before anything opens the base.

    The journal (``.<base>.restauration.json``) is written only once the staged copy is
    complete and on disk: with a journal, the restore is completed (roll forward); without
    one, a staged copy left behind is removed and the base is untouched. Returns a French
    sentence saying what was done, or None when there was nothing to do. The caller holds
    the instance lock (``Database`` does, and ``restore_backup``).
    """
    db_path = Path(db_path)
    journal, staged = _journal_path(db_path), _staged_path(db_path)
    if not journal.exists():
        if staged.exists():  # killed while copying: the base was never touched
            staged.unlink(missing_ok=True)
            return "Une restauration interrompue pendant la copie a été abandonnée\u00a0; la base n’avait pas été modifiée."
        return None
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        aside = db_path.parent / entry["aside"]
        source = entry.get("backup", "")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"Le journal de restauration «\u00a0{journal}\u00a0» est illisible\u00a0; rien n’a été "
                          "modifié. Vérifiez la base et le dossier des sauvegardes avant de le supprimer.") from exc
    if staged.exists():
        _move_aside(db_path, aside)
        os.replace(staged, db_path)
        _fsync_dir(db_path.parent)
        done = (f"La restauration de «\u00a0{source}\u00a0», interrompue, a été menée à son terme\u00a0; "
                f"l’ancienne base est conservée sous «\u00a0{aside.name}\u00a0».")
    elif db_path.exists():  # the last rename was done: only the journal was left
        done = None
    else:  # should not happen (the staged copy disappeared): put the old base back
        if aside.exists():
            for suffix in ("-wal", "-shm"):
                if _side(aside, suffix).exists():
                    os.replace(_side(aside, suffix), _side(db_path, suffix))
            os.replace(aside, db_path)
            _fsync_dir(db_path.parent)
        done = "Une restauration interrompue a été annulée\u00a0; la base est revenue à son état d’avant."
    journal.unlink(missing_ok=True)
    _fsync_dir(db_path.parent)
    return done


def restore_pending(db_path: str | os.PathLike) -> bool:
    db_path = Path(db_path)
    return _journal_path(db_path).exists() or _staged_path(db_path).exists()


def recover_at_opening(db_path: str | os.PathLike) -> str | None:
    """``recover_interrupted_restore`` under the instance lock (taken here unless this
    process holds it). Another process holding it is restoring right now: refused."""
    from ptce_toolkit import instance_lock

    db_path = Path(db_path)
    if not restore_pending(db_path):
        return None
    if instance_lock.held_here(db_path):
        return recover_interrupted_restore(db_path)
    try:
        with instance_lock.acquire(db_path):
            return recover_interrupted_restore(db_path)
    except instance_lock.AlreadyOpen:
        raise BackupError(f"Une restauration de la base «\u00a0{db_path}\u00a0» est en cours dans une autre "
                          "fenêtre\u00a0; réessayez quand elle sera terminée.") from None


def restore_backup(db_path: Path, backup_path: Path) -> Path:
    """Put a backup in place of the database; the current file is moved aside, never lost.

    Crash-safe at every step: the backup is first copied beside the base and synced,
    then a journal naming the copy and the aside name is written, then the renames are
    done; a restore killed anywhere is completed (or, before the journal, forgotten) by
    ``recover_interrupted_restore`` at the next opening. The database must be closed in
    this process, and no other instance may hold it (``instance_lock.AlreadyOpen``
    otherwise). Returns where the replaced file now lives.
    """
    from ptce_toolkit import instance_lock

    db_path, backup_path = Path(db_path), Path(backup_path)
    if not is_good(backup_path):
        raise BackupError(f"La sauvegarde «\u00a0{backup_path.name}\u00a0» est elle-même illisible ou "
                          "endommagée\u00a0; choisissez-en une autre.")
    if instance_lock.held_here(db_path):
        raise BackupError("Fermez la base avant de la restaurer (elle est encore ouverte dans cette fenêtre).")
    with instance_lock.acquire(db_path):
        recover_interrupted_restore(db_path)
        staged, journal = _staged_path(db_path), _journal_path(db_path)
        try:
            # Copy first: if the disk fills up now, the current base is still in place.
            _copy(backup_path, staged)
            with open(staged, "rb+") as fh:
                os.fsync(fh.fileno())
            _kill_point("copie")
            aside = _aside_name(db_path)
            rel = os.path.relpath(aside, db_path.parent)
            atomic.write_bytes(journal, json.dumps({"backup": backup_path.name, "aside": rel},
                                                   ensure_ascii=False).encode("utf-8"))
            _fsync_dir(db_path.parent)
        except BaseException:
            staged.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            raise
        _kill_point("journal")
        _move_aside(db_path, aside)
        _kill_point("base-de-cote")
        os.replace(staged, db_path)
        _fsync_dir(db_path.parent)
        _kill_point("remplacee")
        journal.unlink()
        _fsync_dir(db_path.parent)
    return aside
