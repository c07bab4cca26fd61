"""Why a save failed, in plain French: disk full, read-only folder, file locked…

SQLite reports these as numbered errors wrapped by SQLAlchemy; the user needs one
sentence that says what happened, that the edit on screen is not lost, and what to do.
``Database.session()`` / ``Database.connection()`` turn such errors into ``SaveError``;
the service call raises, so the caller still holds the edit and can try again.
"""

from __future__ import annotations

import errno
import sqlite3
import tempfile
from pathlib import Path

from ptce_toolkit.dbfile import DatabaseError

# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

FULL, READ_ONLY, LOCKED, DAMAGED, CANT_OPEN, IO = "plein", "lecture-seule", "verrouille", "endommage", "inaccessible", "io"
READ_ONLY_FILE, READ_ONLY_MEDIUM, VANISHED = "fichier-lecture-seule", "support-lecture-seule", "disparue"

NB = "\u00a0"
_KEEP = f"La dernière modification n’a pas été enregistrée{NB}; elle reste affichée et pourra l’être dès que possible."
# what did not happen, by what was being done
CONSEQUENCES = {
    "save": _KEEP,
    "open": "La base n’a pas été ouverte.",
    "file": f"Le fichier n’a pas été écrit{NB}; sa version précédente, s’il y en avait une, est intacte.",
    "backup": f"La sauvegarde n’a pas été faite{NB}; la base elle-même est intacte.",
}
_CAUSE = {
    FULL: "Le disque qui contient le dossier {where} est plein.",
    READ_ONLY: "Le dossier {where} est en lecture seule.",
    LOCKED: "La base est verrouillée par un autre programme (sauvegarde, synchronisation, autre fenêtre).",
    DAMAGED: "La base semble endommagée.",
    CANT_OPEN: "Le dossier {where} est introuvable ou inaccessible (supprimé, renommé ou support déconnecté).",
    IO: "Le disque a refusé l’écriture dans le dossier {where} (erreur matérielle ou support retiré).",
    READ_ONLY_FILE: "Le fichier de la base {file} est en lecture seule (le dossier, lui, est modifiable).",
    READ_ONLY_MEDIUM: "Le support qui contient {where} est en lecture seule.",
    VANISHED: ("La base {file} a disparu ou a été remplacée pendant que l’application l’utilisait "
               "(dossier supprimé ou renommé, clé USB retirée, partage réseau perdu)."),
}
_ADVICE = {
    FULL: "Libérez de l’espace disque, puis réessayez.",
    READ_ONLY: "Rendez ce dossier modifiable ou choisissez un autre emplacement, puis réessayez.",
    LOCKED: "Réessayez dans un instant.",
    DAMAGED: "Fermez l’application puis restaurez la dernière sauvegarde (ptce backups).",
    CANT_OPEN: "Vérifiez le dossier, puis réessayez.",
    IO: "Vérifiez le disque, puis réessayez.",
    READ_ONLY_FILE: "Rendez ce fichier modifiable (propriétés du fichier), puis réessayez.",
    READ_ONLY_MEDIUM: "Choisissez un emplacement modifiable, puis réessayez.",
    VANISHED: ("Remettez le dossier ou le support en place, puis réessayez\u00a0; pour repartir d’ailleurs, "
               "fermez puis rouvrez l’application, qui ne recréera jamais une base vide à la place de celle-ci."),
}

_BY_SQLITE_CODE = {
    SQLITE_FULL: FULL, SQLITE_READONLY: READ_ONLY, SQLITE_BUSY: LOCKED, SQLITE_LOCKED: LOCKED,
    SQLITE_CORRUPT: DAMAGED, SQLITE_NOTADB: DAMAGED, SQLITE_CANTOPEN: CANT_OPEN, SQLITE_IOERR: IO,
}
_BY_ERRNO = {
    errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY, errno.EIO: IO, errno.ENOENT: CANT_OPEN,
}


class SaveError(DatabaseError):
    """Data could not be written. ``during`` says what was being done (a key of
    CONSEQUENCES); ``kind`` is one of the constants above; ``str()`` is the French message."""

    def __init__(self, kind: str, path: Path | None = None, original: BaseException | None = None,
                 during: str = "save"):
        self.kind = kind
        self.path = path
        self.original = original
        self.during = during
        folder = (path.parent if path.suffix else path) if path else None
        where = f"«{NB}{folder}{NB}»" if folder else "de la base"
        file = f"«{NB}{path}{NB}»" if path else ""
        super().__init__(f"{_CAUSE[kind].format(where=where, file=file)} {CONSEQUENCES[during]} {_ADVICE[kind]}")


def _folder_refuses_writes(folder: Path) -> str | None:
    """SQLite says only "unable to open": find out whether the folder is missing or read-only."""
    if not folder.is_dir():
        return CANT_OPEN
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as exc:
        return _BY_ERRNO.get(exc.errno, CANT_OPEN)


def _what_is_read_only(path: Path) -> str:
    """SQLite says only "readonly": the file itself, its folder, or the whole support?"""
    import os

    if path.suffix and path.is_file():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)  # opening changes nothing in the file
            os.close(fd)
        except OSError as exc:
            return READ_ONLY_MEDIUM if exc.errno == errno.EROFS else READ_ONLY_FILE
    folder = path.parent if path.suffix else path
    kind = _folder_refuses_writes(folder)
    if kind == READ_ONLY:
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            if exc.errno == errno.EROFS:
                return READ_ONLY_MEDIUM
    return READ_ONLY


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error inside a SQLAlchemy error (or the error itself)."""
    while exc is not None:
        if isinstance(exc, sqlite3.Error):
            return exc
        exc = getattr(exc, "orig", None) or exc.__cause__
    return None


def classify(exc: BaseException) -> str | None:
    """The kind of storage failure, or None when ``exc`` is not one (e.g. a constraint)."""
    if isinstance(exc, SaveError):
        return exc.kind
    err = _sqlite_error(exc)
    if err is not None:
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None:
            return _BY_SQLITE_CODE.get(code & 0xFF)
        text = str(err).lower()  # very old sqlite3 modules carry no code: fall back on the text
        for needle, kind in (("full", FULL), ("readonly", READ_ONLY), ("locked", LOCKED),
                             ("malformed", DAMAGED), ("not a database", DAMAGED), ("unable to open", CANT_OPEN)):
            if needle in text:
                return kind
        return None
    if isinstance(exc, OSError):
        return _BY_ERRNO.get(exc.errno)
    return None


def from_exception(exc: BaseException, path: Path | None = None, during: str = "save") -> SaveError | None:
    kind = classify(exc)
    if kind is None:
        return None
    if isinstance(exc, SaveError):
        return exc
    if isinstance(exc, OSError) and exc.filename:
        path = Path(exc.filename)
    if kind == CANT_OPEN and path is not None:
        kind = _folder_refuses_writes(path.parent if path.suffix else path) or CANT_OPEN
    if kind == READ_ONLY and path is not None:
        kind = _what_is_read_only(path)
    return SaveError(kind, path, exc, during)


def describe(exc: BaseException, path: Path | None = None, during: str = "save") -> str:
    """French message for any error met while saving, opening, or writing a file
    (PDF, workbook, JSON: ``during="file"``)."""
    err = from_exception(exc, path, during)
    if err is not None:
        return str(err)
    if isinstance(exc, DatabaseError):
        return str(exc)
    from ptce_toolkit import atomic

    if isinstance(exc, atomic.TargetError):
        return f"{exc} {CONSEQUENCES[during]}"
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename not in (None, "") else (str(path) if path else "")
        what = f" à «{NB}{name}{NB}»" if name else ""
        reason = _ERRNO_FR.get(exc.errno, f"erreur système {exc.errno}" if exc.errno else "erreur système")
        return f"Accès impossible{what} ({reason}). {CONSEQUENCES[during]}"
    if isinstance(exc, sqlite3.Error):
        return f"La base a refusé l’opération ({getattr(exc, 'sqlite_errorname', None) or 'erreur SQLite'}). " \
               f"{CONSEQUENCES[during]}"
    # no English text (nor SQL) on the user's screen: the type is enough for a report
    return f"L’opération a échoué ({type(exc).__name__}). {CONSEQUENCES[during]}"


_ERRNO_FR = {
    errno.ENOENT: "fichier ou dossier introuvable", errno.EACCES: "accès refusé", errno.EPERM: "opération non permise",
    errno.EROFS: "support en lecture seule", errno.ENOSPC: "disque plein", errno.EISDIR: "c’est un dossier",
    errno.ENOTDIR: "un élément du chemin n’est pas un dossier", errno.EBUSY: "ressource occupée",
    errno.ENAMETOOLONG: "nom trop long", errno.EIO: "erreur d’entrée-sortie du disque",
    errno.EEXIST: "le fichier existe déjà", errno.EXDEV: "déplacement entre deux disques impossible",
    errno.EINVAL: "nom ou opération invalide", errno.EMFILE: "trop de fichiers ouverts",
}
