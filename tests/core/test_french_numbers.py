"""French number entry for the profile figures."""

from __future__ import annotations

import pytest

from ptce_toolkit.services.french_numbers import (
    ACCEPTABLE, INTERMEDIATE, INVALID, NumberError, check_partial, format_number, parse_number,
)


@pytest.mark.parametrize("text, kind, expected", [
    ("152 000", "integer", 152000),
    ("152\u00a0000", "integer", 152000),
    ("152\u202f000", "integer", 152000),
    ("152.000", "integer", 152000),
    ("1.250.000 €", "money", 1250000),
    ("32,5 %", "percent", 32.5),
    ("32,5\u00a0%", "percent", 32.5),
    ("32.5", "decimal", 32.5),
    ("2,5", "decimal", 2.5),
    ("150 k€", "money", 150000),
    ("152 000 euros", "money", 152000),
    ("0", "integer", 0),
    ("", "decimal", None),
    ("   ", "integer", None),
])
def test_parse(text, kind, expected):
    value = parse_number(text, kind)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text, kind", [
    ("2,5", "integer"),          # an integer field refuses decimals
    ("120 %", "percent"),        # no more than 100 %
    ("-3", "integer"),
    ("1.250,5", "decimal"),      # mixed marks are ambiguous
    ("douze", "integer"),
    ("12 %", "integer"),         # a unit that does not belong to the field
])
def test_refused_with_a_french_message(text, kind):
    with pytest.raises(NumberError) as err:
        parse_number(text, kind)
    assert str(err.value)


@pytest.mark.parametrize("text, kind, state", [
    ("152", "integer", ACCEPTABLE),
    ("152 ", "integer", ACCEPTABLE),
    ("32,", "decimal", ACCEPTABLE),      # « 32, » already reads as 32
    ("32,5 ", "percent", ACCEPTABLE),
    (",", "decimal", INTERMEDIATE),
    ("1.250,", "decimal", INTERMEDIATE),
    ("12a", "integer", INVALID),
    ("12$", "money", INVALID),
])
def test_check_while_typing(text, kind, state):
    assert check_partial(text, kind) == state


def test_format_back_the_french_way():
    assert format_number(152000, "integer") == "152\u202f000"
    assert format_number(32.5, "percent") == "32,5"
    assert format_number(2.25, "decimal") == "2,25"
    assert format_number(None, "integer") == ""
