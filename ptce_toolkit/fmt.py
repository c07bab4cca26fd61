"""French formatting of numbers and dates, shared by the CLI, reports and workbooks.

The text is Babel's for the fr_FR locale (CLDR: narrow no-break space between thousands,
decimal comma, « 22 novembre 2026 »), written here for the few patterns the toolkit uses:
importing Babel and loading its French data cost ≈ 23 ms at every start of a command
(a twelfth of ``ptce report``). tests/core/test_fmt_babel.py checks every function against
Babel itself, on thousands of values.
"""

from __future__ import annotations

from datetime import date, datetime

LOCALE = "fr_FR"
GROUP = "\u202f"  # CLDR fr: narrow no-break space between groups of three digits
DECIMAL = ","
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _decimal(value, digits: int, scale: int = 0) -> str:
    """Babel's NumberPattern.apply for « #,##0.00… » (``digits`` decimals, none for 0): the value
    through ``str`` to a Decimal, times 10**scale, rounded half to even; « - » when it is signed."""
    from decimal import Decimal

    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if scale:
        d = d.scaleb(scale)
    negative = d.is_signed()
    d = abs(d).normalize()
    if d.is_infinite():
        return ("-" if negative else "") + "∞"
    if d.is_nan():
        return "NaN"
    whole, _, frac = f"{d.quantize(Decimal(1).scaleb(-digits)):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.append(whole[-3:])
        whole = whole[:-3]
    text = GROUP.join([whole] + groups[::-1])
    if digits:
        text += DECIMAL + frac.ljust(digits, "0")[:digits]
    return ("-" if negative else "") + text


def number(value: float | int | None, digits: int = 1, *, empty: str = "—") -> str:
    """« 2,8 », « 152 000 » (the narrow no-break space between thousands)."""
    if value is None:
        return empty
    if isinstance(value, int) or float(value).is_integer() and digits == 0:
        return _decimal(value, 0)
    return _decimal(value, digits)


def plural(n: int, one: str, many: str) -> str:
    """French agreement for code without Qt (CLI, exports): « 0 réponse », « 1 réponse »,
    « 2 réponses » — the singular for 0 and 1; ``%n`` becomes the number (as ui.translation.plural)."""
    return (one if abs(n) < 2 else many).replace("%n", str(n))


def score(value: float | None) -> str:
    """A score or a difference of scores, rounded by the core's one rule (scoring.rounded)."""
    from ptce_toolkit.scoring import DIGITS, rounded

    return number(rounded(value), DIGITS)


def signed_score(value: float | None, *, empty: str = "—") -> str:
    """« +0,2 », « −0,1 » (true minus sign), « 0,0 »: for differences already rounded once."""
    if value is None:
        return empty
    if value > 0:
        return "+" + score(value)
    if value < 0:
        return "−" + score(-value)
    return score(0.0)


def percent(fraction: float | None, digits: int = 0, *, empty: str = "—") -> str:
    """0.325 -> « 32,5 % » (no-break space before %)."""
    if fraction is None:
        return empty
    return _decimal(fraction, digits, scale=2) + "\u00a0%"


def money(value: float | int | None, *, empty: str = "—") -> str:
    if value is None:
        return empty
    return _decimal(value, 0) + "\u00a0€"


def long_date(value: str | date | datetime | None, *, empty: str = "—") -> str:
    """« 22 novembre 2026 », « 1er décembre 2026 » (French writes the first of the month as an ordinal)."""
    if not value:
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: str | date | None, *, empty: str = "") -> str:
    """« 22/11/2026 »."""
    if not value:
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def parse_date(text: str) -> date | None:
    """A date as a French user types it: « 15/01/2027 », « 15.1.2027 », « 15-01-27 »,
    or ISO « 2027-01-15 ». Empty text is None; anything else raises ValueError with a
    French message (« 31/02/2027 n’existe pas »)."""
    import re

    s = (text or "").strip()
    if not s:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    m = re.fullmatch(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})", s)
    if iso:
        y, mo, d = (int(g) for g in iso.groups())
    elif m:
        d, mo, y = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            y += 2000
    else:
        raise ValueError(f"« {s} » n’est pas une date : écrivez-la jj/mm/aaaa, par exemple 15/01/2027.")
    if not 1900 <= y <= 2200:
        raise ValueError(f"Année {y} hors de portée : écrivez-la jj/mm/aaaa, par exemple 15/01/2027.")
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"Le {d:02d}/{mo:02d}/{y} n’existe pas.") from None
