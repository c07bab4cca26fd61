"""Checks made on an untrusted workbook before any XML is parsed.

Size of the file, kind of file (an .xls, a PDF or a CSV renamed .xlsx get their own
message), zip integrity, member count and declared uncompressed sizes (a zip bomb is
refused before it is inflated: ``zipfile`` never returns more than the declared size).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ptce_toolkit.exchange import ImportRefused, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 300
MAX_MEMBER_BYTES = 40 * 1024 * 1024
MAX_TOTAL_BYTES = 120 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, for members above 1 MB
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookRefused(ImportRefused):
    """A workbook was refused; nothing was written. Problems name the sheet and the cell."""


def refuse(source: str, message: str, where: str = "") -> WorkbookRefused:
    return WorkbookRefused(source, [Problem(where, message)])


def _sniff(head: bytes) -> str | None:
    """A French explanation when the bytes are clearly not an .xlsx, else None."""
    if head.startswith(OLE2):
        return ("ancien format Excel 97-2003 (.xls) ou classeur protégé par un mot de passe : ouvrez-le et "
                "enregistrez-le au format « Classeur Excel (.xlsx) » sans mot de passe.")
    if head.startswith(b"%PDF"):
        return "c’est un document PDF, pas un classeur : demandez le fichier .xlsx d’origine."
    if head.startswith(b"PK"):
        return None
    if head.startswith((b"{\\rtf", b"<?xml", b"<html", b"<!DOCTYPE", b"<HTML")):
        return "c’est un document texte ou une page web renommé en .xlsx, pas un classeur."
    try:
        head.decode("utf-8")
        text = True
    except UnicodeDecodeError as exc:
        text = exc.start > len(head) - 4  # a multi-byte character cut at the end of the sample
    if text or all(b >= 9 for b in head[:512]):
        return ("c’est un fichier texte (CSV ?) renommé en .xlsx : ouvrez-le dans Excel ou LibreOffice "
                "et enregistrez-le au format .xlsx.")
    return "ce fichier n’est pas un classeur Excel (.xlsx)."


def detect(path: str | Path) -> str:
    """What ``ptce import`` was given, by content, never by extension: "xlsx", "ods" or "json";
    anything else is refused with a French sentence that says what the file is."""
    path = Path(path)
    name = path.name
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise refuse(name, f"fichier introuvable ou illisible ({exc.strerror}).") from None
    if not head:
        raise refuse(name, "le fichier est vide (0 octet) ; il a peut-être été mal enregistré ou mal transmis.")
    if head.startswith(b"PK"):
        return "ods" if head[30:38] == b"mimetype" and b"opendocument.spreadsheet" in head[:100] else "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"%PDF"):
        raise refuse(name, "c’est un document PDF (un rapport ?), pas un fichier d’échange : importez le classeur "
                           "(.xlsx, .ods) ou le fichier .json exporté par PTCE Toolkit.")
    reason = _sniff(head)
    if reason and "CSV" in reason:
        first = head.split(b"\n", 1)[0]
        what = "un fichier CSV" if first.count(b";") + first.count(b",") + first.count(b"\t") else "un fichier texte"
        raise refuse(name, f"c’est {what}, pas un classeur ni un fichier d’échange de PTCE Toolkit : importez le "
                           "classeur (.xlsx, .ods) ou le fichier .json exporté par l’application.")
    raise refuse(name, reason or "ce fichier n’est ni un classeur (.xlsx, .ods) ni un fichier d’échange .json.")


def open_checked(path: str | Path) -> zipfile.ZipFile:
    """Return the open zip of an .xlsx that passed every check, or raise WorkbookRefused."""
    zf, kind = open_spreadsheet(path)
    if kind == "ods":
        zf.close()
        raise refuse(Path(path).name, "classeur LibreOffice (.ods) : enregistrez-le au format « Excel 2007-365 (.xlsx) ».")
    return zf


def open_spreadsheet(path: str | Path) -> tuple[zipfile.ZipFile, str]:
    """The open zip of an .xlsx or .ods that passed every check (size, kind, zip integrity, member
    count and declared sizes) and its kind, "xlsx" or "ods"; or raise WorkbookRefused."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise refuse(name, f"fichier introuvable ou illisible ({exc.strerror}).") from None
    if size == 0:
        raise refuse(name, "le fichier est vide (0 octet) ; il a peut-être été mal enregistré ou mal transmis.")
    if size > MAX_FILE_BYTES:
        raise refuse(name, f"fichier trop volumineux ({size / 1e6:.0f} Mo ; maximum {MAX_FILE_BYTES // 2**20} Mo).")
    with open(path, "rb") as fh:
        head = fh.read(2048)
    reason = _sniff(head)
    if reason:
        raise refuse(name, reason)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse(name, "archive tronquée ou abîmée : le fichier est incomplet (envoi interrompu ?). "
                           "Demandez-en une nouvelle copie.") from None
    try:
        return zf, _check_members(zf, infos, name)
    except WorkbookRefused:
        zf.close()
        raise


def _check_members(zf: zipfile.ZipFile, infos, name: str) -> str:
    names = {i.filename for i in infos}
    kind = "xlsx"
    if "mimetype" in names:
        try:
            mimetype = zf.read("mimetype")[:100] if zf.getinfo("mimetype").file_size < 200 else b""
        except Exception:  # noqa: BLE001 - any failure here means "not an ods we can name"
            mimetype = b""
        if not mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise refuse(name, "document OpenDocument (texte, présentation…), pas un classeur : importez un "
                               "classeur .xlsx ou .ods.")
        kind = "ods"
    if len(infos) > MAX_MEMBERS:
        raise refuse(name, f"archive anormale ({len(infos)} éléments) : refusée par prudence.")
    total = 0
    for i in infos:
        if i.flag_bits & 0x1:
            raise refuse(name, "classeur chiffré : enregistrez-le sans mot de passe.")
        total += i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > MAX_MEMBER_BYTES or (i.file_size > 2**20 and ratio > MAX_RATIO):
            raise refuse(name, f"contenu anormalement volumineux une fois décompressé (« {i.filename} », "
                               f"{i.file_size / 1e6:.0f} Mo) : refusé par prudence (bombe de décompression ?).")
    if total > MAX_TOTAL_BYTES:
        raise refuse(name, f"contenu anormalement volumineux une fois décompressé ({total / 1e6:.0f} Mo) : "
                           "refusé par prudence.")
    if kind == "ods":
        if "content.xml" not in names:
            raise refuse(name, "classeur .ods incomplet (contenu absent) : enregistrez-le de nouveau dans LibreOffice.")
        return kind
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        what = "un document Word" if "word/document.xml" in names else (
            "une présentation" if "ppt/presentation.xml" in names else "une archive zip")
        raise refuse(name, f"c’est {what}, pas un classeur Excel (.xlsx).")
    return kind
