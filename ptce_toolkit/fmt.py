"""French formatting of numbers and dates (Babel), shared by the CLI, reports and workbooks."""

from __future__ import annotations

from datetime import date, datetime

LOCALE = "fr_FR"


def number(value: float | int | None, digits: int = 1, *, empty: str = "—") -> str:
    """« 2,8 », « 152 000 » (Babel puts the narrow no-break space between thousands)."""
    if value is None:
        return empty
    from babel.numbers import format_decimal

    if isinstance(value, int) or float(value).is_integer() and digits == 0:
        return format_decimal(value, format="#,##0", locale=LOCALE)
    return format_decimal(value, format="#,##0." + "0" * digits, locale=LOCALE)


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
    from babel.numbers import format_percent

    return format_percent(fraction, format="#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%", locale=LOCALE)


def money(value: float | int | None, *, empty: str = "—") -> str:
    if value is None:
        return empty
    from babel.numbers import format_currency

    return format_currency(value, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False)


def long_date(value: str | date | datetime | None, *, empty: str = "—") -> str:
    """« 22 novembre 2026 », « 1er décembre 2026 » (French writes the first of the month as an ordinal)."""
    if not value:
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    from babel.dates import format_date

    text = format_date(value, format="long", locale=LOCALE)
    return "1er" + text[1:] if value.day == 1 and text.startswith("1 ") else text


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
