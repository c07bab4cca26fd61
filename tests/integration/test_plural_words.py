"""User-facing strings agree in number: never « réponse(s) », always « 1 réponse », « 2 réponses ».

Checked on every string literal (docstrings and comments aside, as in test_french_typography)
of cli/, exports/, ptce_toolkit/, ui/document.py and ui/workshop_session.py: the count is known
when the text is built, so ``fmt.plural`` (or ``ui.translation.plural``) picks the form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.test_french_typography import french_strings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([p for d in ("cli", "exports", "ptce_toolkit") for p in (ROOT / d).rglob("*.py")
                  if "migrations" not in p.parts] + [ROOT / "ui" / "document.py", ROOT / "ui" / "workshop_session.py"])
UNDECIDED_PLURAL = re.compile(r"\w\(s\)|\w\(es\)|\w\(x\)")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_undecided_plural(path):
    problems = [f"ligne {line} : {text[:70]!r}" for line, text, french in french_strings(path) if french and UNDECIDED_PLURAL.search(text)]
    assert not problems, "\n".join(problems)


def test_the_checker_catches_an_undecided_plural(tmp_path):
    bad = tmp_path / "mauvais.py"
    bad.write_text('A = f"{n} réponse(s) reprise(s)"\nB = "réponses reprises"\n', encoding="utf-8")
    assert sorted((line, bool(UNDECIDED_PLURAL.search(t))) for line, t, french in french_strings(bad) if french) == [(1, True), (2, False)]
