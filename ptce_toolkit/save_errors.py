"""Why a save failed, in plain French: disk full, read-only folder, file locked…

SQLite reports these as numbered errors wrapped by SQLAlchemy; the user needs one
sentence that says what happened, that the edit on screen is not lost, and what to do.
``Database.session()`` / ``Database.connection()`` turn such errors into ``SaveError``;
the service call raises, so the caller still holds the edit and can try again.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from ptce_toolkit.dbfile import DatabaseError

# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

FULL, READ_ONLY, LOCKED, DAMAGED, CANT_OPEN, IO = "plein", "lecture-seule", "verrouille", "endommage", "inaccessible", "io"

_KEEP = "La dernière modification n’a pas été enregistrée ; elle reste affichée et pourra l’être dès que possible."
_ADVICE = {
    FULL: "Le disque est plein. " + _KEEP + " Libérez de l’espace disque, puis réessayez.",
    READ_ONLY: "Le dossier de la base est en lecture seule{where}. " + _KEEP
    + " Rendez le dossier modifiable (ou choisissez un autre emplacement), puis réessayez.",
    LOCKED: "La base est verrouillée par un autre programme (sauvegarde, synchronisation, autre fenêtre). "
    + _KEEP + " Réessayez dans un instant.",
    DAMAGED: "La base semble endommagée. " + _KEEP
    + " Fermez l’application puis restaurez la dernière sauvegarde (ptce backups).",
    CANT_OPEN: "La base est inaccessible{where} : dossier supprimé, déconnecté ou en lecture seule. " + _KEEP
    + " Vérifiez le dossier, puis réessayez.",
    IO: "Le disque a refusé l’écriture{where} (erreur matérielle ou support retiré). " + _KEEP
    + " Vérifiez le disque, puis réessayez.",
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
    """Data could not be written. ``kind`` is one of the constants above; ``str()`` is French."""

    def __init__(self, kind: str, path: Path | None = None, original: BaseException | None = None):
        self.kind = kind
        self.path = path
        self.original = original
        where = f" (« {path} »)" if path else ""
        super().__init__(_ADVICE[kind].format(where=where))


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


def from_exception(exc: BaseException, path: Path | None = None) -> SaveError | None:
    kind = classify(exc)
    if kind is None:
        return None
    if isinstance(exc, SaveError):
        return exc
    if isinstance(exc, OSError) and exc.filename:
        path = Path(exc.filename)
    return SaveError(kind, path, exc)


def describe(exc: BaseException, path: Path | None = None) -> str:
    """One French sentence for any error met while saving or writing a file."""
    err = from_exception(exc, path)
    if err is not None:
        return str(err)
    if isinstance(exc, DatabaseError):
        return str(exc)
    return f"L’enregistrement a échoué ({type(exc).__name__} : {exc}). " + _KEEP
