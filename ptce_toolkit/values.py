"""One French value parser: what a person types, read one way everywhere (no Qt here).

One *widget* per kind of value, each with a symmetric pair (django-import-export style):
``parse(text)`` turns typed text into the stored value (None when empty) or raises
:class:`Invalid` with a French message; ``render(value)`` gives the text a person reads
back, and ``parse(render(v)) == v`` for every value the widget accepts. The profile page,
the workbook import and any other front end use these and nothing else.

Reading rules (the French reading, documented in docs/FORMAT-XLSX.md):

- spaces of any kind (normal, no-break U+00A0, narrow no-break U+202F, thin U+2009) group
  thousands: « 152 000 », « 152 000 » ;
- the comma is the decimal mark: « 1 234,5 » ; a dot is a decimal mark too (« 32.5 »),
  **except** when dots group thousands by threes: « 152.000 » and « 1.250.000 » are
  152 000 and 1 250 000, and « 1.234,5 » is 1 234,5 (a comma after grouping dots);
  a comma *then* a dot (« 1,234.5 », the English way) is refused as ambiguous;
- a unit that belongs to the kind may follow: « % » for a percentage, « € », « euros »,
  « k€ » (× 1 000) for an amount; any other letter is refused;
- figures are never negative (counts, amounts, shares); a percentage is 0 to 100:
  « 32,5 % » and « 32,5 » are both 32.5 (a spreadsheet's percent-formatted 0.325 is
  converted by the workbook reader with :func:`percent_from_fraction`);
- dates: « 15/01/2027 », « 15-01-2027 », « 15.01.2027 » or ISO « 2027-01-15 »; stored as
  ISO text; an impossible date (« 30/02/2027 ») is refused, never moved to another day;
- codes keep their leading zeros and are text: département « 05 » (a number 5 is
  « 05 »), « 2A », « 2B », « 971 » to « 976 » ; postcode « 05000 » ; SIRET, 14 digits
  with its check digit (Luhn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ptce_toolkit import text_limits

ACCEPTABLE, INTERMEDIATE, INVALID = "acceptable", "intermediate", "invalid"
NBSP, NNBSP = "\u00a0", "\u202f"

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")
_GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d*)?")
_PLAIN = re.compile(r"(\d+)(?:[.,](\d*))?|[.,](\d+)")
_PERCENT_UNIT = re.compile(r"\s*%$")
_MONEY_UNIT = re.compile(r"\s*(k\s*)?(€|eur|euros?)$|\s*(k)$", re.IGNORECASE)
_TYPING = re.compile(r"[\d\s\u00a0\u202f\u2009,.\-+%€kKeEuUrRoOsS]*")


class Invalid(ValueError):
    """The text is not a value of the expected kind; the message is French, one sentence."""


def _decimal_text(value) -> str:
    """The shortest exact decimal writing of a number (« 2.125 », « 152000 »), no exponent."""
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return NNBSP.join(out)


def _as_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def percent_from_fraction(fraction: int | float) -> int | float:
    """0.325 in a percent-formatted cell is 32.5 (decimal shift: no 32.500000000000004)."""
    return _as_number(Decimal(_decimal_text(fraction)).scaleb(2))


@dataclass(frozen=True)
class Number:
    """A figure: ``kind`` is integer, decimal, money or percent."""

    kind: str = "decimal"

    @property
    def example(self) -> str:
        return self.render({"percent": 32.5, "money": 152000, "decimal": 2.5}.get(self.kind, 34))

    def parse(self, text: str | None) -> int | float | None:
        raw = (text or "").strip()
        if not raw:
            return None
        body, factor = raw, 1
        if self.kind == "percent":
            body = _PERCENT_UNIT.sub("", body)
        elif self.kind == "money":
            m = _MONEY_UNIT.search(body)
            if m:
                factor = 1000 if (m.group(1) or m.group(3)) else 1
                body = body[:m.start()]
        body = _SPACES.sub("", body)
        if body.startswith("-") and re.fullmatch(r"-[\d.,]+", body):
            raise Invalid("Le nombre ne peut pas être négatif.")
        if body.startswith("+"):
            body = body[1:]
        if not body:
            raise Invalid("Saisissez un nombre.")
        if _GROUPED_DOTS.fullmatch(body):
            body = body.replace(".", "")
        elif "," in body and "." in body:
            raise Invalid(f"« {raw} » est ambigu : utilisez la virgule pour les décimales et des espaces pour les "
                          "milliers (par exemple « 1 250,5 »).")
        m = _PLAIN.fullmatch(body)
        if not m:
            raise Invalid(f"« {raw} » n’est pas un nombre (par exemple « {self.example} »).")
        d = Decimal(body.replace(",", ".").rstrip(".") or "0") if not m.group(3) else Decimal("0." + m.group(3))
        d *= factor
        if self.kind == "percent" and d > 100:
            raise Invalid("Un pourcentage ne peut pas dépasser 100\u00a0%.")
        if self.kind == "integer" and d != d.to_integral_value():
            raise Invalid("Saisissez un nombre entier (sans décimales).")
        if abs(d) > (most := text_limits.max_figure()):  # what the exports carry: beyond, a typo
            raise Invalid(f"«\u00a0{raw}\u00a0» dépasse le plus grand chiffre permis ({self.render(most)})\u00a0: "
                          "vérifiez la saisie.")
        return _as_number(d)

    def render(self, value) -> str:
        if value is None or value == "":
            return ""
        text = _decimal_text(value)
        sign = "-" if text.startswith("-") else ""
        whole, _, frac = text.lstrip("-").partition(".")
        return sign + _group(whole) + ("," + frac if frac else "")

    def check_partial(self, text: str) -> str:
        """While typing: ACCEPTABLE (a number), INTERMEDIATE (could become one: « 32, »,
        « 152 » before « 000 »…) or INVALID (a character that can never fit)."""
        if not _TYPING.fullmatch(text or ""):
            return INVALID
        try:
            self.parse(text)
        except Invalid:
            return INTERMEDIATE
        return ACCEPTABLE


@dataclass(frozen=True)
class Year:
    low: int = 1800
    high: int = 2200

    def parse(self, text: str | None) -> int | None:
        raw = (text or "").strip()
        if not raw:
            return None
        if not re.fullmatch(r"\d{4}", raw) or not self.low <= int(raw) <= self.high:
            raise Invalid(f"« {raw} » n’est pas une année (quatre chiffres, de {self.low} à {self.high}).")
        return int(raw)

    def render(self, value) -> str:
        return "" if value is None else str(value)


_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Date:
    """Typed « 15/01/2027 » or ISO; stored as ISO text « 2027-01-15 »."""

    def parse(self, text: str | None) -> str | None:
        raw = (text or "").strip()
        if not raw:
            return None
        m = _ISO.fullmatch(raw)
        if m:
            y, mo, d = (int(x) for x in m.groups())
        else:
            m = _DATE.fullmatch(raw)
            if not m:
                raise Invalid(f"« {raw} » n’est pas une date (JJ/MM/AAAA).")
            d, mo, y = (int(x) for x in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            raise Invalid(f"la date « {raw} » n’existe pas (jour {d}, mois {mo}, année {y}).") from None

    def render(self, value: str | None) -> str:
        if not value:
            return ""
        y, mo, d = value.split("-")
        return f"{d}/{mo}/{y}"


_OVERSEAS = {"971", "972", "973", "974", "975", "976"}


@dataclass(frozen=True)
class Department:
    """Code of a French département: « 01 »–« 95 » (not « 20 »), « 2A », « 2B », « 971 »–« 976 »."""

    def parse(self, text: str | None) -> str | None:
        raw = (text or "").strip()
        if not raw:
            return None
        code = raw.upper()
        if re.fullmatch(r"\d{1,3}", code):
            code = code.zfill(2)
        if code in _OVERSEAS or code in ("2A", "2B") or (re.fullmatch(r"\d{2}", code) and
                                                            "01" <= code <= "95" and code != "20"):
            return code
        if code in ("20", "020"):
            raise Invalid("« 20 » n’est plus un département : la Corse s’écrit « 2A » ou « 2B ».")
        raise Invalid(f"« {raw} » n’est pas un code de département (« 05 », « 2A », « 974 »…).")

    def from_number(self, value: int | float) -> str:
        """A spreadsheet turned « 05 » into the number 5: give the code back."""
        if isinstance(value, float) and not value.is_integer():
            raise Invalid(f"« {_decimal_text(value).replace('.', ',')} » n’est pas un code de département.")
        return self.parse(str(int(value)))

    def render(self, value: str | None) -> str:
        return value or ""


@dataclass(frozen=True)
class Postcode:
    def parse(self, text: str | None) -> str | None:
        raw = (text or "").strip()
        if not raw:
            return None
        code = _SPACES.sub("", raw)
        if re.fullmatch(r"\d{4}", code):
            code = "0" + code  # « 5000 » is what a spreadsheet left of « 05000 »
        if not re.fullmatch(r"\d{5}", code) or code.startswith("00"):
            raise Invalid(f"« {raw} » n’est pas un code postal (cinq chiffres, par exemple « 05000 »).")
        return code

    def from_number(self, value: int | float) -> str:
        return self.parse(_decimal_text(value))

    def render(self, value: str | None) -> str:
        return value or ""


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


@dataclass(frozen=True)
class Siret:
    """14 digits (spaces allowed when typed); the check digit is verified (La Poste aside)."""

    def parse(self, text: str | None) -> str | None:
        raw = (text or "").strip()
        if not raw:
            return None
        code = _SPACES.sub("", raw)
        if re.fullmatch(r"\d{13}", code):
            code = "0" + code
        if not re.fullmatch(r"\d{14}", code):
            raise Invalid(f"« {raw} » n’est pas un SIRET (quatorze chiffres).")
        if not _luhn(code) and not (code.startswith("356000000") and sum(map(int, code)) % 5 == 0):
            raise Invalid(f"SIRET « {raw} » invalide (chiffre de contrôle) : vérifiez la saisie.")
        return code

    def from_number(self, value: int | float) -> str:
        return self.parse(_decimal_text(value))

    def render(self, value: str | None) -> str:
        if not value:
            return ""
        return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"


INTEGER, DECIMAL, MONEY, PERCENT = Number("integer"), Number("decimal"), Number("money"), Number("percent")
YEAR, DATE, DEPARTMENT, POSTCODE, SIRET = Year(), Date(), Department(), Postcode(), Siret()
WIDGETS = {"integer": INTEGER, "decimal": DECIMAL, "money": MONEY, "percent": PERCENT, "year": YEAR,
           "date": DATE, "department": DEPARTMENT, "postcode": POSTCODE, "siret": SIRET}
NUMBER_KINDS = ("integer", "decimal", "money", "percent")


def widget(kind: str):
    """The widget of a kind of value (a profile field's type, an identity row's kind)."""
    try:
        return WIDGETS[kind]
    except KeyError:
        raise KeyError(f"unknown value kind {kind!r}") from None


def is_number_text(text: str) -> bool:
    """Whether ``text`` reads as a plain French number (used to warn, never to guess)."""
    try:
        return DECIMAL.parse(text) is not None
    except (Invalid, InvalidOperation):
        return False
