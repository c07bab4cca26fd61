"""Start-up checks: is the database file intact, and which backup to offer when it is not.

Called by ``Database`` before anything else touches the file. A damaged, truncated or
emptied file raises ``DamagedDatabase``, which names the newest backup SQLite finds
intact, so that the app and the CLI offer the way back instead of crashing or quietly
starting on an empty base. A file that cannot be read because of its folder
(read-only, missing, locked) is not called damaged: that raises ``SaveError``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ptce_toolkit import backup
from ptce_toolkit.dbfile import DatabaseError


class DamagedDatabase(DatabaseError):
    """The file is damaged. ``backup`` is the newest intact backup (or None)."""

    def __init__(self, db_path: Path, problem: str, latest: backup.BackupInfo | None):
        self.db_path = db_path
        self.problem = problem
        self.backup = latest
        text = f"La base «\u00a0{db_path}\u00a0» est endommagée ({problem})\u00a0; elle n’a pas été ouverte. "
        if latest is not None:
            text += (
                f"La dernière sauvegarde intacte date du {latest.label()}. Restaurez-la (en ligne de commande\u00a0: "
                f"«\u00a0ptce backups --restore {latest.name}\u00a0»)\u00a0: la base endommagée sera mise de côté, "
                "jamais effacée."
            )
        else:
            text += ("Aucune sauvegarde intacte n’a été trouvée. Ne supprimez pas ce fichier\u00a0: "
                     "faites-en une copie et demandez de l’aide pour en récupérer le contenu.")
        super().__init__(text)


class MissingDatabase(DamagedDatabase):
    """The file is gone but intact backups sit beside it: a lost base, not a first start."""

    def __init__(self, db_path: Path, latest: backup.BackupInfo):
        self.db_path, self.problem, self.backup = db_path, "le fichier a disparu", latest
        DatabaseError.__init__(
            self,
            f"La base «\u00a0{db_path}\u00a0» est introuvable alors que des sauvegardes existent à côté\u00a0; une base "
            f"vide n’a pas été créée à sa place. La dernière sauvegarde intacte date du {latest.label()}. "
            f"Restaurez-la (en ligne de commande\u00a0: «\u00a0ptce backups --restore {latest.name}\u00a0»), ou "
            "remettez le fichier en place.")


def _problem(db_path: Path) -> str | None:
    """SQLite's own diagnosis of the file, or None when it is intact."""
    from ptce_toolkit import save_errors

    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check(3)").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        kind = save_errors.classify(exc)
        if kind == save_errors.DAMAGED:
            return _plain(str(exc))
        if kind is not None:  # folder read-only, missing, locked: not the file's fault
            raise save_errors.from_exception(exc, db_path, during="open") from exc
        raise
    result = [r[0] for r in rows]
    return None if result == ["ok"] else _plain("; ".join(result))


def _plain(sqlite_text: str) -> str:
    """SQLite speaks English; the user gets French with the detail kept for support."""
    text = sqlite_text.lower()
    if "not a database" in text:
        return "ce n’est plus un fichier de base de données"
    if "malformed" in text or "corrupt" in text:
        return "contenu illisible"
    return f"anomalie détectée\u00a0: {sqlite_text[:160]}"


def check(db_path: str | Path) -> None:
    """Raise ``DamagedDatabase`` unless the file is intact or does not exist yet.

    An empty file is taken as new only if there is no backup to lose; with backups
    beside it, an empty file is a truncated base, not a fresh start.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        latest = backup.latest_good_backup(db_path)
        if latest is not None:
            raise MissingDatabase(db_path, latest)
        return
    if db_path.stat().st_size == 0:
        latest = backup.latest_good_backup(db_path)
        if latest is not None:
            raise DamagedDatabase(db_path, "le fichier est vide", latest)
        return
    problem = _problem(db_path)
    if problem is not None:
        raise DamagedDatabase(db_path, problem, backup.latest_good_backup(db_path))


def full_check(db_path: str | Path) -> list[str]:
    """``PRAGMA integrity_check`` (slower, complete) plus foreign keys: empty list when all is well."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        problems += [f"clé étrangère invalide\u00a0: {r}" for r in con.execute("PRAGMA foreign_key_check")]
    finally:
        con.close()
    return problems
