"""The one French value parser: each widget reads what people type and renders it back."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptce_toolkit import values
from ptce_toolkit.values import (
    ACCEPTABLE, DATE, DECIMAL, DEPARTMENT, INTEGER, INTERMEDIATE, INVALID, MONEY, PERCENT, POSTCODE, SIRET, YEAR,
    Invalid,
)


@pytest.mark.parametrize("text, widget, expected", [
    ("152 000", INTEGER, 152000),
    ("152\u00a0000", INTEGER, 152000),
    ("152\u202f000", INTEGER, 152000),
    ("152\u2009000", MONEY, 152000),
    ("152.000", INTEGER, 152000),          # dots grouping by threes: the French reading
    ("1.250.000 €", MONEY, 1250000),
    ("1.234,5", DECIMAL, 1234.5),          # grouping dots then a decimal comma
    ("1 234,5", DECIMAL, 1234.5),
    ("32,5 %", PERCENT, 32.5),
    ("32,5\u00a0%", PERCENT, 32.5),
    ("32,5", PERCENT, 32.5),
    ("100 %", PERCENT, 100),
    ("32.5", DECIMAL, 32.5),
    ("2,5", DECIMAL, 2.5),
    (",5", DECIMAL, 0.5),
    ("+7", INTEGER, 7),
    ("150 k€", MONEY, 150000),
    ("150k", MONEY, 150000),
    ("152 000 euros", MONEY, 152000),
    ("12 EUR", MONEY, 12),
    ("2,0", DECIMAL, 2),
    ("0", INTEGER, 0),
    ("32,", DECIMAL, 32),
    ("", DECIMAL, None),
    ("   ", INTEGER, None),
    (None, MONEY, None),
])
def test_numbers_typed_the_french_way(text, widget, expected):
    value = widget.parse(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text, widget, words", [
    ("2,5", INTEGER, "entier"),
    ("120 %", PERCENT, "100"),
    ("-3", INTEGER, "négatif"),
    ("1,234.5", DECIMAL, "ambigu"),        # English grouping: never guessed
    ("douze", INTEGER, "n’est pas un nombre"),
    ("12 %", INTEGER, "n’est pas un nombre"),
    ("€", MONEY, "Saisissez un nombre"),
    ("1.2.3", DECIMAL, "n’est pas un nombre"),
    ("1 000 000 000 000 001", INTEGER, "dépasse le plus grand chiffre permis \\(1\u202f000\u202f000"),
    ("1 000 000 000 000 000,5", DECIMAL, "dépasse le plus grand chiffre permis"),
    ("1 000 000 000 001 k€", MONEY, "dépasse le plus grand chiffre permis"),  # the unit counts
])
def test_refused_with_a_french_message(text, widget, words):
    with pytest.raises(Invalid, match=words):
        widget.parse(text)


@pytest.mark.parametrize("text, kind, state", [
    ("152", "integer", ACCEPTABLE),
    ("152 ", "integer", ACCEPTABLE),
    ("32,", "decimal", ACCEPTABLE),
    ("32,5 ", "percent", ACCEPTABLE),
    (",", "decimal", INTERMEDIATE),
    ("1.250,", "decimal", ACCEPTABLE),
    ("1,250.", "decimal", INTERMEDIATE),
    ("12a", "integer", INVALID),
    ("12$", "money", INVALID),
])
def test_check_while_typing(text, kind, state):
    assert values.widget(kind).check_partial(text) == state


def test_the_largest_figure_is_the_one_the_exports_carry():
    """10¹⁵ itself passes (the JSON schema's bound, which the workbook import also applies)."""
    assert MONEY.parse("1 000 000 000 000 000 €") == MONEY.parse("1 000 000 000 000 k€") == 10**15
    assert DECIMAL.parse("999 999 999 999 999,5") == 999_999_999_999_999.5


def test_render_the_french_way():
    assert INTEGER.render(152000) == "152\u202f000"
    assert PERCENT.render(32.5) == "32,5"
    assert DECIMAL.render(2.25) == "2,25"
    assert DECIMAL.render(-1234.5) == "-1\u202f234,5"
    assert MONEY.render(1e20) == "100\u202f000\u202f000\u202f000\u202f000\u202f000\u202f000"
    assert DECIMAL.render(0.0) == "0"
    assert INTEGER.render(None) == INTEGER.render("") == ""
    assert [values.widget(k).example for k in values.NUMBER_KINDS] == ["34", "2,5", "152\u202f000", "32,5"]


@given(st.one_of(st.integers(0, 10**15), st.floats(0, 1e15, allow_nan=False), st.decimals(0, 10**9, places=3)
                 .map(float)))
def test_parse_of_render_is_identity(value):
    for widget in (DECIMAL, MONEY):
        assert widget.parse(widget.render(value)) == value
    if value <= 100:
        assert PERCENT.parse(PERCENT.render(value)) == value


@pytest.mark.parametrize("fraction, percent", [(0.325, 32.5), (0.07, 7), (1, 100), (0.0001, 0.01), (0.333, 33.3)])
def test_percent_formatted_cell_values(fraction, percent):
    assert values.percent_from_fraction(fraction) == percent


@given(st.decimals(0, 100, places=4).map(float))
def test_percent_shift_is_exact(value):
    from decimal import Decimal

    fraction = float(Decimal(repr(value)).scaleb(-2))
    assert values.percent_from_fraction(fraction) == value


def test_the_profile_page_and_the_workbook_read_numbers_alike():
    """Issue 11: « 152.000 » was 152000 in one and 152.0 in the other."""
    from exports.xlsx_sheets import Cell
    from exports.xlsx_values import number

    for text in ("152.000", "152 000", "1.234,5", "32,5 %", "150 k€"):
        kind = "percent" if "%" in text else "money" if "k" in text else "decimal"
        assert number(Cell("s", text), kind)[0] == values.widget(kind).parse(text), text


@pytest.mark.parametrize("text, expected", [
    ("15/01/2027", "2027-01-15"), ("5/1/2027", "2027-01-05"), ("15-01-2027", "2027-01-15"),
    ("15.01.2027", "2027-01-15"), ("2027-01-15", "2027-01-15"), ("29/02/2028", "2028-02-29"), ("", None),
])
def test_dates(text, expected):
    assert DATE.parse(text) == expected


@pytest.mark.parametrize("text, words", [("30/02/2027", "n’existe pas"), ("2027-13-01", "n’existe pas"),
                                          ("29/02/2027", "n’existe pas"), ("demain", "JJ/MM/AAAA")])
def test_impossible_dates_are_refused(text, words):
    with pytest.raises(Invalid, match=words):
        DATE.parse(text)


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_date_round_trip(d):
    assert DATE.parse(DATE.render(d.isoformat())) == d.isoformat()
    assert DATE.render(None) == ""


def test_years():
    assert YEAR.parse(" 2014 ") == 2014 and YEAR.parse("") is None
    assert YEAR.render(2014) == "2014" and YEAR.render(None) == ""
    for bad in ("14", "3000", "deux mille"):
        with pytest.raises(Invalid, match="année"):
            YEAR.parse(bad)


@pytest.mark.parametrize("text, code", [("05", "05"), ("5", "05"), (" 5 ", "05"), ("2a", "2A"), ("2B", "2B"),
                                        ("974", "974"), ("971", "971"), ("976", "976"), ("95", "95"), ("", None)])
def test_departments_keep_their_leading_zero(text, code):
    assert DEPARTMENT.parse(text) == code
    assert DEPARTMENT.render(code) == (code or "")


@pytest.mark.parametrize("text, words", [("20", "2A"), ("96", "n’est pas un code"), ("00", "n’est pas un code"),
                                         ("977", "n’est pas un code"), ("Doubs", "n’est pas un code")])
def test_impossible_departments(text, words):
    with pytest.raises(Invalid, match=words):
        DEPARTMENT.parse(text)


def test_department_from_a_number_a_spreadsheet_made():
    assert DEPARTMENT.from_number(5) == "05" and DEPARTMENT.from_number(5.0) == "05"
    assert DEPARTMENT.from_number(974) == "974"
    with pytest.raises(Invalid):
        DEPARTMENT.from_number(5.5)


def test_postcodes():
    assert POSTCODE.parse("05000") == "05000" and POSTCODE.parse("5000") == "05000"
    assert POSTCODE.parse("75 001") == "75001" and POSTCODE.parse("") is None
    assert POSTCODE.from_number(5000) == "05000" and POSTCODE.render("05000") == "05000"
    assert POSTCODE.render(None) == ""
    for bad in ("123", "00100", "ABCDE"):
        with pytest.raises(Invalid, match="code postal"):
            POSTCODE.parse(bad)


def test_siret():
    assert SIRET.parse("732 829 320 00074") == "73282932000074"  # a valid SIRET (Luhn)
    assert SIRET.parse("35600000000010") == "35600000000010"  # La Poste: digit sum a multiple of 5, not Luhn
    assert SIRET.from_number(73282932000074) == "73282932000074"
    assert SIRET.parse("") is None
    assert SIRET.render("73282932000074") == "732 829 320 00074" and SIRET.render(None) == ""
    assert SIRET.parse(SIRET.render("73282932000074")) == "73282932000074"
    assert SIRET.parse("1234567890128") == "01234567890128"  # a number lost its leading zero
    with pytest.raises(Invalid, match="contrôle"):
        SIRET.parse("73282932000075")
    with pytest.raises(Invalid, match="quatorze"):
        SIRET.parse("1234")


def test_widgets_by_kind():
    assert values.widget("percent") is PERCENT and values.widget("date") is DATE
    with pytest.raises(KeyError):
        values.widget("couleur")
    assert values.is_number_text("1 234,5") and not values.is_number_text("abc")
