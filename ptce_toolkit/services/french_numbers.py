"""Numbers typed the French way: «\u00a0152\u00a0000\u00a0», « 32,5 % », « 1 200 € », « 150 k€ ».

Used by the profile page to validate as the user types (no Qt here). Rules:
- spaces of any kind (normal, no-break, narrow no-break) group thousands;
- the comma is the decimal mark; a dot is accepted as a decimal mark too, except when
  it groups thousands (« 152.000 » is 152 000, as often written in France);
- a trailing unit matching the field is allowed: % for percentages, € / euros / k€ for
  amounts (k multiplies by 1 000).
"""

from __future__ import annotations

import re

KINDS = ("integer", "decimal", "money", "percent")
ACCEPTABLE, INTERMEDIATE, INVALID = "acceptable", "intermediate", "invalid"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_UNIT = {
    "percent": re.compile(r"\s*%\s*$"),
    "money": re.compile(r"\s*(k\s*)?(€|eur|euros?)?\s*$", re.IGNORECASE),
}
_THOUSANDS_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_ALLOWED = re.compile(r"^[\d\s\u00a0\u202f\u2009,.\-+%€kKeEuUrRoOsS]*$")


class NumberError(ValueError):
    """The text is not a number of the expected kind; the message is French."""


def _strip_unit(text: str, kind: str) -> tuple[str, int]:
    factor = 1
    unit = _UNIT.get(kind)
    if unit is not None:
        m = unit.search(text)
        if m and m.group(0):
            if kind == "money" and m.group(1):
                factor = 1000
            text = text[:m.start()]
    return text, factor


def parse_number(text: str, kind: str = "decimal") -> int | float | None:
    """The value of ``text`` (None when empty); raises NumberError with a French message."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    raw = (text or "").strip()
    if not raw:
        return None
    body, factor = _strip_unit(raw, kind)
    body = _SPACES.sub("", body)
    if not body:
        raise NumberError("Saisissez un nombre.")
    if _THOUSANDS_DOTS.match(body):
        body = body.replace(".", "")
    elif "," in body:
        if "." in body:
            raise NumberError("Utilisez la virgule pour les décimales et des espaces pour les milliers "
                              "(par exemple « 1 250,5 »).")
        body = body.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", body):
        raise NumberError(f"« {raw} » n’est pas un nombre (par exemple « 152 000 » ou « 32,5 »).")
    value = float(body) * factor
    if value < 0:
        raise NumberError("Le nombre ne peut pas être négatif.")
    if kind == "percent" and value > 100:
        raise NumberError("Un pourcentage ne peut pas dépasser 100\u00a0%.")
    if kind == "integer":
        if not value.is_integer():
            raise NumberError("Saisissez un nombre entier (sans décimales).")
        return int(value)
    if kind == "money" and value.is_integer():
        return int(value)
    return value


def check_partial(text: str, kind: str = "decimal") -> str:
    """For validation while typing: ACCEPTABLE (a number), INTERMEDIATE (could become one:
    « 32, », « 152 » before « 000 »…) or INVALID (a character that can never fit)."""
    if not _ALLOWED.match(text or ""):
        return INVALID
    try:
        parse_number(text, kind)
    except NumberError:
        return INTERMEDIATE
    return ACCEPTABLE


def format_number(value, kind: str = "decimal") -> str:
    """How a stored value is shown back in the field, the French way."""
    if value is None or value == "":
        return ""
    from ptce_toolkit import fmt

    if kind == "integer" or (isinstance(value, (int, float)) and float(value).is_integer()):
        return fmt.number(int(value), 0)
    return fmt.number(float(value), 2).rstrip("0").rstrip(",")
