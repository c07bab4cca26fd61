"""How hand-typed cell values are understood: levels, yes/no, numbers, dates, lists.

Each function returns ``(value, note)`` where ``note`` says in French what was
normalised (None when the cell was already canonical), or raises :class:`Unreadable`
with the reason the value is refused. Nothing here is ever guessed: an ambiguous
value is refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from exports import xlsx_layout as L
from exports.xlsx_sheets import Cell

_LEVEL_NUMBER = re.compile(r"([0-4])(?:[.,]0+)?")
_LEVEL_AND_LABEL = re.compile(r"([0-4])\s*(?:[-–—:.)/]\s*|\s+)(\S.*)")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_TRUE = {"oui", "x", "o", "yes", "vrai", "true", "1", "prioritaire"}
_FALSE = {"non", "no", "faux", "false", "0", "n"}


class Unreadable(ValueError):
    pass


def show(cell: Cell) -> str:
    """The value as the person typed it, for messages."""
    v = cell.value
    if cell.formula:
        return cell.formula[:60]
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).replace(".", ",") if isinstance(v, float) else str(v)[:60]


def plain(cell: Cell | None) -> Cell | None:
    """Refuse formulas and error values where a value is expected; None for an empty cell."""
    if cell is None:
        return None
    if cell.formula is not None:
        raise Unreadable(f"formule « {cell.formula[:60]} » là où une valeur est attendue (les formules ne sont "
                         "jamais calculées à l’import) ; remplacez-la par sa valeur.")
    if cell.kind == "e":
        raise Unreadable(f"valeur d’erreur « {cell.value} » ; saisissez une valeur.")
    return None if cell.is_empty else cell


def level(cell: Cell | None, ref) -> tuple[tuple[str, int | None], str | None]:
    """(status, level) from the Niveau column; empty means unanswered, never 0."""
    cell = plain(cell)
    if cell is None:
        return ("unanswered", None), None
    v = cell.value
    if cell.kind == "n":
        if float(v).is_integer() and 0 <= v <= 4:
            return ("answered", int(v)), None
        if float(v).is_integer():
            raise Unreadable(f"niveau {show(cell)} hors de l’échelle (0 à 4, « {ref.not_applicable.label} » ou "
                             f"« {ref.unknown.label} »).")
        raise Unreadable(f"niveau {show(cell)} ambigu : l’échelle n’a pas de demi-niveau ; choisissez un entier de 0 à 4.")
    if cell.kind != "s":
        raise Unreadable(f"« {show(cell)} » n’est pas un niveau (0 à 4, « {ref.not_applicable.label} » ou "
                         f"« {ref.unknown.label} »).")
    raw = str(v)
    text = L.norm(raw)
    if not text:
        return ("unanswered", None), None
    for status, special in (("not_applicable", ref.not_applicable), ("unknown", ref.unknown)):
        if raw == special.label:
            return (status, None), None
        if text in {L.norm(s) for s in special.spellings} or text == L.norm(special.label):
            return (status, None), f"« {raw} » lu comme « {special.label} »."
    m = _LEVEL_NUMBER.fullmatch(text)
    if m:
        return ("answered", int(m.group(1))), f"« {raw} » (texte) lu comme le niveau {m.group(1)}."
    m = _LEVEL_AND_LABEL.fullmatch(text)
    if m and L.norm(ref.levels[int(m.group(1))].label) == m.group(2).strip():
        return ("answered", int(m.group(1))), f"« {raw} » lu comme le niveau {m.group(1)}."
    for lv in ref.levels:
        if text == L.norm(lv.label):
            return ("answered", lv.value), f"« {raw} » lu comme le niveau {lv.value}."
    raise Unreadable(f"niveau « {raw[:60]} » ambigu ou inconnu : écrivez un seul chiffre de 0 à 4, "
                     f"« {ref.not_applicable.label} » ou « {ref.unknown.label} ».")


def yes_no(cell: Cell | None) -> tuple[bool, str | None]:
    cell = plain(cell)
    if cell is None:
        return False, None
    if cell.kind == "b":
        return bool(cell.value), f"{'VRAI' if cell.value else 'FAUX'} lu comme « {L.YES if cell.value else L.NO} »."
    text = L.norm(show(cell))
    if text in (L.YES, L.NO):
        return text == L.YES, None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE, f"« {show(cell)} » lu comme « {L.YES if text in _TRUE else L.NO} »."
    raise Unreadable(f"« {show(cell)} » : répondez « oui » ou laissez vide.")


def text(cell: Cell | None) -> tuple[str, str | None]:
    cell = plain(cell)
    if cell is None:
        return "", None
    if cell.kind == "s":
        return str(cell.value), None
    if cell.kind == "d":
        return cell.value.date().isoformat(), f"date lue comme le texte « {cell.value.date().isoformat()} »."
    if cell.kind == "b":
        return ("VRAI" if cell.value else "FAUX"), "valeur logique lue comme du texte."
    return show(cell), f"nombre {show(cell)} lu comme du texte."


def key(cell: Cell | None) -> tuple[str, str | None]:
    """A mark in a locked column (criterion id, AFOM mark, number): a number is its text."""
    cell = plain(cell)
    if cell is None:
        return "", None
    return (show(cell) if cell.kind == "n" else str(cell.value)).strip(), None


def integer(cell: Cell | None, low: int, high: int, what: str) -> tuple[int | None, str | None]:
    cell = plain(cell)
    if cell is None:
        return None, None
    if cell.kind == "n" and float(cell.value).is_integer() and low <= cell.value <= high:
        return int(cell.value), None
    if cell.kind == "s" and re.fullmatch(r"\d+", str(cell.value).strip()):
        n = int(str(cell.value).strip())
        if low <= n <= high:
            return n, f"« {cell.value} » (texte) lu comme {n}."
    raise Unreadable(f"{what} : « {show(cell)} » n’est pas un entier de {low} à {high}.")


def number(cell: Cell | None) -> tuple[int | float | None, str | None]:
    """A figure; French hand-typed forms (« 48 000 », « 2,5 », « 32,5 % », « 152 000 € ») are accepted."""
    cell = plain(cell)
    if cell is None:
        return None, None
    if cell.kind == "n":
        return cell.value, None
    if cell.kind == "s":
        raw = str(cell.value)
        compact = re.sub(r"[\s\u00a0\u202f€%]", "", raw)
        if _NUMBER.fullmatch(compact) and not ("," in compact and "." in compact):
            val = float(compact.replace(",", "."))
            val = int(val) if val.is_integer() and "," not in compact and "." not in compact else val
            return val, f"« {raw} » lu comme le nombre {show(Cell('n', val))}."
    raise Unreadable(f"« {show(cell)} » n’est pas un nombre ; écrivez le chiffre seul et précisez "
                     "« environ », « plus de »… dans la colonne Qualificatif.")


def iso_date(cell: Cell | None) -> tuple[str, str | None]:
    cell = plain(cell)
    if cell is None:
        return "", None
    if cell.kind == "d":
        return cell.value.date().isoformat(), None
    if cell.kind == "s":
        raw = str(cell.value).strip()
        for fmt_ in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                d = datetime.strptime(raw, fmt_).date()
            except ValueError:
                continue
            return d.isoformat(), (None if fmt_ == "%Y-%m-%d" else f"« {raw} » lu comme le {d:%d/%m/%Y}.")
    raise Unreadable(f"« {show(cell)} » n’est pas une date (JJ/MM/AAAA).")


def choice(cell: Cell | None, choices: dict[str, str], what: str) -> tuple[str, str | None]:
    """``choices`` maps id -> label; the label (or the id) is accepted, accents and case ignored."""
    value, note = text(cell)
    if not value.strip():
        return "", note
    if value in choices.values():
        return next(k for k, lab in choices.items() if lab == value), note
    for cid, label in choices.items():
        if L.norm(value) in (L.norm(label), L.norm(cid)):
            return cid, f"« {value} » lu comme « {label} »."
    allowed = ", ".join(f"« {x} »" for x in choices.values())
    raise Unreadable(f"{what} « {value[:60]} » inconnu ; valeurs possibles : {allowed}.")


def id_list(cell: Cell | None) -> list[str]:
    value, _ = text(cell)
    return [x for x in re.split(r"[\s,;]+", value.strip()) if x]


def mojibake_repair(value: str) -> str | None:
    """« PÃ´le » → « Pôle »: UTF-8 read as Windows-1252 somewhere on the way; None if the text looks sane."""
    if not value or value.isascii():
        return None
    try:
        repaired = value.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return repaired if repaired != value else None


def is_blank(cell: Cell | None) -> bool:
    return cell is None or cell.is_empty


def as_date(value) -> date | None:
    return value.date() if isinstance(value, datetime) else value
