"""User-facing strings in the code follow French typography.

Checked on every string literal of ptce_toolkit/, exports/ and ui/ except docstrings
(developer documentation, in English): no ordinary space before : ; ! ? (a no-break
space is required), no straight apostrophe inside a French word (’ is required), and
no ordinary space just inside « guillemets ».
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for d in ("ptce_toolkit", "exports", "ui") for p in (ROOT / d).rglob("*.py")
                 if "migrations" not in p.parts)

SPACE_BEFORE_PUNCT = re.compile(r"\w ([:;!?])(\s|$)")
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
            if FRENCH_HINT.search(text) and not re.search(r"\b(SELECT|INSERT|UPDATE|PRAGMA|WHERE)\b", text):
                yield node.lineno, text


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_typography(path):
    problems = []
    for line, text in french_strings(path):
        for rx, why in ((SPACE_BEFORE_PUNCT, "espace ordinaire avant : ; ! ?"),
                        (STRAIGHT_APOSTROPHE, "apostrophe droite"),
                        (GUILLEMET_SPACE, "espace ordinaire dans les guillemets")):
            if rx.search(text):
                problems.append(f"ligne {line} ({why}) : {text[:70]!r}")
    assert not problems, "\n".join(problems)


def test_the_checker_catches_mistakes(tmp_path):
    bad = tmp_path / "mauvais.py"
    bad.write_text('MSG = "Erreur : l\'import a échoué !"\nOK = "Erreur\\u00a0: l’import a échoué\\u00a0!"\n',
                   encoding="utf-8")
    found = [t for _, t in french_strings(bad)]
    assert len(found) == 2
    assert SPACE_BEFORE_PUNCT.search(found[0]) and STRAIGHT_APOSTROPHE.search(found[0])
    assert not SPACE_BEFORE_PUNCT.search(found[1]) and not STRAIGHT_APOSTROPHE.search(found[1])
