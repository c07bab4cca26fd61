"""User-facing strings in the code follow French typography.

Checked on every string literal of ptce_toolkit/, exports/, ui/ and cli/ except docstrings
(developer documentation, in English) and SQL: no ordinary space before : ; ! ? (a no-break
space is required) in any literal, pieces of f-strings included (« Erreur : » carries no
accent, so no French hint can be asked for); in literals that read as French, no straight
apostrophe inside a word (’ is required) and no ordinary space just inside « guillemets ».
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for d in ("ptce_toolkit", "exports", "ui", "cli") for p in (ROOT / d).rglob("*.py")
                 if "migrations" not in p.parts)

SPACE_BEFORE_PUNCT = re.compile(r"(?:\w|^) ([:;!?])(\s|$)")  # also a piece that starts « : … »
STRAIGHT_APOSTROPHE = re.compile(r"\b(?:[ldnjmtsc]|qu|jusqu|lorsqu|puisqu)'[aeiouyhéèêàâîôûœ]", re.IGNORECASE)
GUILLEMET_SPACE = re.compile(r"« | »")
FRENCH_HINT = re.compile(r"[éèêàùçôîœ’«»]|\b(le|la|les|des|une|est|pas|pour|avec|dans)\b", re.IGNORECASE)


def _docstring_nodes(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def french_strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if not re.search(r"\b(SELECT|INSERT|UPDATE|PRAGMA|WHERE)\b", text):
                yield node.lineno, text, bool(FRENCH_HINT.search(text))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_typography(path):
    problems = []
    for line, text, french in french_strings(path):
        for rx, why, everywhere in ((SPACE_BEFORE_PUNCT, "espace ordinaire avant : ; ! ?", True),
                                    (STRAIGHT_APOSTROPHE, "apostrophe droite", False),
                                    (GUILLEMET_SPACE, "espace ordinaire dans les guillemets", False)):
            if (french or everywhere) and rx.search(text):
                problems.append(f"ligne {line} ({why}) : {text[:70]!r}")
    assert not problems, "\n".join(problems)


def test_the_checker_catches_mistakes(tmp_path):
    bad = tmp_path / "mauvais.py"
    bad.write_text('MSG = "Erreur : l\'import a échoué !"\nOK = "Erreur\\u00a0: l’import a échoué\\u00a0!"\n'
                   'F = f"Erreur : {MSG}"\n', encoding="utf-8")
    found = [(t, french) for _, t, french in french_strings(bad)]
    assert len(found) == 3
    assert SPACE_BEFORE_PUNCT.search(found[0][0]) and STRAIGHT_APOSTROPHE.search(found[0][0])
    assert not SPACE_BEFORE_PUNCT.search(found[1][0]) and not STRAIGHT_APOSTROPHE.search(found[1][0])
    assert ("Erreur : ", False) in found and SPACE_BEFORE_PUNCT.search("Erreur : ")
    # a piece of an f-string that starts with the space: « f"{lieu} : {message}" »
    assert SPACE_BEFORE_PUNCT.search(" : suite") and SPACE_BEFORE_PUNCT.search(" ; ")
    assert not SPACE_BEFORE_PUNCT.search("\u00a0: suite") and not SPACE_BEFORE_PUNCT.search("\u00a0; ")
