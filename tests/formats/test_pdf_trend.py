"""« Évolution sur plusieurs années » in the PDF report: three assessments or more, like for
like across referential versions (through the crosswalk)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from exports.pdf_report import write_report
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import services as sv
from ptce_toolkit import trend

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")


def _text(db, uuid, tmp_path) -> str:
    write_report(db, uuid, tmp_path / "r.pdf")
    out = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _assess(db, pole, year, ref, level):
    a = sv.create_assessment(db, pole, f"Diagnostic {year}", referential=ref, started_on=f"{year}-02-01").created
    for c in next(d for d in ref.domains if d.id == "GOV").criteria:
        sv.set_answer(db, a, c.id, level=level)
    return a


def test_three_years_across_two_referential_versions(db, ref, tmp_path):
    v2 = ref_mod.registry().get(ref.id, "2.0.0")
    pole = sv.create_pole(db, "Pôle Lison").created
    _assess(db, pole, 2024, ref, 1)
    second = _assess(db, pole, 2025, ref, 2)
    last = _assess(db, pole, 2026, v2, 3)
    assert "Évolution sur plusieurs années" not in _text(db, second, tmp_path)  # two assessments only
    flat = _text(db, last, tmp_path)
    gov = next(d for d in v2.domains if d.id == "GOV")
    n = [d.id for d in v2.domains].index("GOV") + 1
    # 2024 and 2025 read in version 2.0.0 terms: only GOV criteria with a counterpart count
    assert "Évolution sur plusieurs années" in flat
    assert "Domaine 2024 2025 2026" in flat and f"{n}. {gov.title} 1,0 2,0 3,0" in flat
    with db.connection() as conn:
        points = trend.trend(v2, trend.history_of(conn.connection.driver_connection, last))
    assert [p.domains["GOV"] for p in points] == [1.0, 2.0, 3.0]
    assert points[0].left_out and not points[2].left_out
