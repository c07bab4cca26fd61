"""French dates: « 1er décembre », typed dates read as typed, impossible ones refused."""

from __future__ import annotations

from datetime import date

import pytest

from ptce_toolkit import fmt


def test_first_of_the_month_is_an_ordinal():
    assert fmt.long_date("2026-12-01") == "1er décembre 2026"
    assert fmt.long_date(date(2027, 1, 1)) == "1er janvier 2027"
    assert fmt.long_date("2026-12-11") == "11 décembre 2026"
    assert fmt.long_date("2026-11-22") == "22 novembre 2026"


@pytest.mark.parametrize("typed, expected", [
    ("15/01/2027", date(2027, 1, 15)), ("1/2/2028", date(2028, 2, 1)), ("15.01.27", date(2027, 1, 15)),
    ("15-01-2027", date(2027, 1, 15)), ("2027-01-15", date(2027, 1, 15)), (" 29/02/2028 ", date(2028, 2, 29)),
    ("", None)])
def test_typed_dates(typed, expected):
    assert fmt.parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2027", "15/13/2027", "15/01/6202", "29/02/2027", "demain", "15/01"])
def test_impossible_dates_are_refused_in_french(typed):
    with pytest.raises(ValueError) as exc:
        fmt.parse_date(typed)
    assert "n’existe pas" in str(exc.value) or "date" in str(exc.value) or "Année" in str(exc.value)


def test_plural_agrees_as_french_does():
    words = ("%n réponse reprise", "%n réponses reprises")
    assert [fmt.plural(n, *words) for n in (0, 1, 2, 12)] == [
        "0 réponse reprise", "1 réponse reprise", "2 réponses reprises", "12 réponses reprises"]
