"""The words for coded values live in ptce_toolkit/vocabulary.py and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ptce_toolkit import vocabulary as v

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("ptce_toolkit", "exports", "ui", "cli") for p in (ROOT / d).rglob("*.py")
           if p.name != "vocabulary.py"]
# « Moyenne » also names a mean (workshop and synthesis columns): not a label table.
LABELS = sorted({*v.ACTION_STATUS_LABELS.values(), *v.ASSESSMENT_STATUS_LABELS.values(), v.PRIORITY_LABELS[1],
                 v.PRIORITY_LABELS[3], *v.IMPORTANCE_LABELS.values(), *v.OPTION_KIND_LABELS.values(),
                 v.OPTION_UNLINKED, v.OPTION_INTERNAL_ONLY, v.OPTION_EXTERNAL_ONLY} - {"Moyenne"})


@pytest.mark.parametrize("label", LABELS)
def test_label_is_defined_once(label):
    literal = re.compile(r"""(["'])""" + re.escape(label) + r"\1", re.IGNORECASE)
    again = [str(p.relative_to(ROOT)) for p in SOURCES if literal.search(p.read_text(encoding="utf-8"))]
    assert not again, f"« {label} » est redéfini dans {again} : importez-le de ptce_toolkit.vocabulary"


def test_quadrant_order_is_the_storage_order():
    from ptce_toolkit import models

    assert models.QUADRANTS == v.QUADRANT_ORDER == ("S", "W", "O", "T")
    assert [q for row in v.QUADRANT_GRID for q in row] == list(v.QUADRANT_ORDER)
