"""How hand-typed cell values are understood: levels, yes/no, numbers, dates, lists.

Each function returns ``(value, note)`` where ``note`` says in French what was
normalised (None when the cell was already canonical), or raises :class:`Unreadable`
with the reason the value is refused. Nothing here is ever guessed: an ambiguous
value is refused.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from exports import xlsx_layout as L
from exports.xlsx_sheets import Cell
from ptce_toolkit import values

_LEVEL_NUMBER = re.compile(r"([0-4])(?:[.,]0+)?")
_LEVEL_AND_LABEL = re.compile(r"([0-4])\s*(?:[-–—:.)/]\s*|\s+)(\S.*)")
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


def ranked(cell: Cell | None, labels: dict[int, str], what: str) -> tuple[int | None, str | None]:
    """A rank written as its word (« Haute », « Forte »…, accents and case ignored) or, as
    workbooks of earlier versions wrote it, as its digit."""
    cell = plain(cell)
    if cell is None:
        return None, None
    if cell.kind == "s" and not re.fullmatch(r"\s*\d+\s*", str(cell.value)):
        value = str(cell.value).strip()
        for n, label in labels.items():
            if L.norm(value) == L.norm(label):
                return n, None if value == label else f"« {value} » lu comme « {label} »."
        allowed = ", ".join(f"« {labels[n]} »" for n in sorted(labels))
        raise Unreadable(f"{what} : « {value[:60]} » inconnue ; valeurs possibles : {allowed}.")
    return integer(cell, min(labels), max(labels), what)


def year(cell: Cell | None) -> tuple[int | None, str | None]:
    """A year: a whole number, or text read by the one French value parser (« 2014 »)."""
    cell = plain(cell)
    if cell is None:
        return None, None
    if cell.kind == "n" and float(cell.value).is_integer():
        try:
            return values.YEAR.parse(str(int(cell.value))), None
        except values.Invalid as exc:
            raise Unreadable(str(exc)) from None
    if cell.kind == "s":
        try:
            value = values.YEAR.parse(str(cell.value))
        except values.Invalid as exc:
            raise Unreadable(str(exc)) from None
        return value, (None if value is None else f"« {cell.value} » (texte) lu comme l’année {value}.")
    raise Unreadable(f"« {show(cell)} » n’est pas une année (quatre chiffres, de {values.YEAR.low} à "
                     f"{values.YEAR.high}).")


def number(cell: Cell | None, kind: str = "decimal") -> tuple[int | float | None, str | None]:
    """A figure of a profile field (``kind``: integer, decimal, money, percent).

    A number cell is taken as it is, except a percent-formatted one (« 32,5 % » typed in a
    spreadsheet is stored as 0.325): it is 32.5 in a percent field and refused elsewhere.
    Text is read by the one French value parser (:mod:`ptce_toolkit.values`), with a note."""
    cell = plain(cell)
    if cell is None:
        return None, None
    widget = values.widget(kind)
    if cell.kind == "n":
        if not cell.percent:
            return cell.value, None
        if kind != "percent":
            raise Unreadable(f"« {values.PERCENT.render(values.percent_from_fraction(cell.value))}\u00a0% » est un "
                             "pourcentage, mais ce champ n’en est pas un ; écrivez le nombre seul.")
        value = values.percent_from_fraction(cell.value)
        if not 0 <= value <= 100:
            raise Unreadable(f"« {values.PERCENT.render(value)} % » : un nombre tapé dans une cellule déjà au format "
                             "pourcentage est multiplié par 100 ; retapez-le avec « % » (par exemple « 32,5 % »).")
        return value, None
    if cell.kind == "s":
        raw = str(cell.value)
        try:
            val = widget.parse(raw)
        except values.Invalid as exc:
            raise Unreadable(f"{exc} Écrivez le chiffre seul et précisez « environ », « plus de »… dans la colonne "
                             "Qualificatif.") from None
        if val is None:
            return None, None
        return val, f"« {raw} » lu comme le nombre {widget.render(val)}."
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
        try:
            iso = values.DATE.parse(raw)
        except values.Invalid as exc:
            raise Unreadable(str(exc)) from None
        if iso is None:
            return "", None
        return iso, (None if raw == iso else f"« {raw} » lu comme le {values.DATE.render(iso)}.")
    raise Unreadable(f"« {show(cell)} » n’est pas une date (JJ/MM/AAAA).")


def department(cell: Cell | None) -> tuple[str, str | None]:
    """A département code keeps its leading zero: the number 5 a spreadsheet made of « 05 » is « 05 »."""
    cell = plain(cell)
    if cell is None:
        return "", None
    if cell.kind == "n":
        try:
            code = values.DEPARTMENT.from_number(cell.value)
        except values.Invalid as exc:
            raise Unreadable(str(exc)) from None
        return code, f"nombre {show(cell)} lu comme le code de département « {code} »."
    raw, note = text(cell)
    try:
        code = values.DEPARTMENT.parse(raw)
    except values.Invalid:
        return raw, (note or f"« {raw[:60]} » n’est pas un code de département connu ; gardé tel quel.")
    return (code or ""), (None if code == raw or code is None else f"« {raw} » lu comme le code « {code} ».")


def free_text(cell: Cell | None) -> tuple[str, str | None]:
    """Free text (comment, evidence, item…). Text typed with a leading « = » that the spreadsheet
    turned into a formula (often in error, « Err:509 ») is read as what was typed — never
    computed, its cached value never used — with a warning."""
    if cell is not None and cell.formula not in (None, "="):
        return cell.formula, (f"formule « {cell.formula[:60]} » lue comme le texte saisi (jamais calculée) ; "
                              "vérifiez-le : le tableur a pu en changer la casse ou les espaces.")
    return text(cell)


def aliases(cell: Cell | None) -> tuple[list[str], str | None]:
    """Other names, one per line; the export writes a JSON list when a name holds a line break or
    surrounding spaces, so that every name comes back exactly."""
    value, note = free_text(cell)
    if value.startswith("["):
        try:
            names = json.loads(value)
        except ValueError:
            names = None
        if isinstance(names, list) and all(isinstance(x, str) for x in names):
            return names, note
    return [x.strip() for x in value.split("\n") if x.strip()], note


def write_aliases(names: list[str]) -> str:
    """Inverse of :func:`aliases`."""
    plain_names = all(x and x == x.strip() and "\n" not in x and "\r" not in x for x in names)
    if plain_names and not (names and names[0].startswith("[")):
        return "\n".join(names)
    return json.dumps(names, ensure_ascii=False)


def choice(cell: Cell | None, choices: dict[str, str], what: str,
           former: dict[str, str] | None = None) -> tuple[str, str | None]:
    """``choices`` maps id -> label; the label (or the id) is accepted, accents and case ignored;
    ``former`` maps labels of earlier versions to ids."""
    value, note = text(cell)
    if not value.strip():
        return "", note
    if value in choices.values():
        return next(k for k, lab in choices.items() if lab == value), note
    for cid, label in [*choices.items(), *((i, lab) for lab, i in (former or {}).items())]:
        if L.norm(value) in (L.norm(label), L.norm(cid)):
            return cid, f"« {value} » lu comme « {choices[cid]} »."
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
