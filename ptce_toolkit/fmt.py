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
    """« 22 novembre 2026 »."""
    if not value:
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    from babel.dates import format_date

    return format_date(value, format="long", locale=LOCALE)


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
