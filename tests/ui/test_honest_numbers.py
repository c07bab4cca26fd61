"""Screen = PDF = workbook on the same assessment (issue 13): one rounding rule, differences
on unrounded scores rounded once, the insufficient-domain rule, like-for-like change."""

from __future__ import annotations

import csv
import re
import subprocess

import pytest

from exports.pdf_report import write_report
from exports.xlsx_export import export_workbook
from ptce_toolkit import fmt, scoring
from ptce_toolkit import services as sv
from tests.helpers import lo_client, lo_oracle
from tests.helpers.qt import open_window
from ui.pages.dashboard import DashboardPage

# LibreOffice CSV with cells « as shown » (9th token): what a person reads in the workbook
SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1036,false,true,true,false,false,-1"


def _prepare(db, uuid):
    # GOV: 2, 2, 1, 0 rated, GOV.5 and GOV.6 « ne sait pas » -> 1,25: half-up shows 1,3 (Babel alone: 1,2)
    for cid in ("GOV.5", "GOV.6"):
        sv.set_answer(db, uuid, cid, status="unknown")
    # RES: only RES.1 rated out of 4 applicable -> insufficient, out of the overall index
    for cid in ("RES.2", "RES.3"):
        sv.set_answer(db, uuid, cid, status="unanswered")
    # ACT (demo): 1,667 a year ago, 1,833 now: the true change is 0,167 -> +0,2 everywhere


def _screen(qtbot, db, uuid):
    window = open_window(qtbot, db.path, uuid)
    try:
        page = window.pages["dashboard"]
        assert isinstance(page, DashboardPage)
        page.refresh()
        m = page.scores_model
        rows = {window.doc.ref.domains[r].id: [m.index(r, c).data() for c in range(5)] for r in range(m.rowCount())}
        return rows, page.summary.text()
    finally:
        window.close()


def _pdf_rows(path, ref):
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    page = text[text.index("Évolution depuis le diagnostic précédent"):]
    out = {}
    for i, d in enumerate(ref.domains, 1):
        line = next(line for line in page.splitlines() if line.strip().startswith(f"{i}. "))
        out[d.id] = re.findall(r"(?:[▲▼] [+−])?\d,\d|= 0,0|—", line)
    return out, page


@pytest.mark.slow
@pytest.mark.skipif(not lo_client.available(), reason="LibreOffice ou python3-uno absent")
def test_screen_pdf_and_workbook_show_the_same_numbers(qtbot, demo, ref, tmp_path):
    db, uuid = demo
    _prepare(db, uuid)
    previous = sv.previous_assessment(db, uuid)
    now_answers, before_answers = sv.get_answers(db, uuid), sv.get_answers(db, previous)
    scores = scoring.score(ref, now_answers)
    cmp = scoring.compare(ref, now_answers, before_answers)
    assert scores.domains["GOV"].score == 1.25 and fmt.score(1.25) == "1,3"
    assert scores.insufficient == ["RES"]
    assert cmp.domains["ACT"].difference == 0.2

    screen, summary = _screen(qtbot, db, uuid)
    pdf_path = write_report(db, uuid, tmp_path / "rapport.pdf")
    pdf, pdf_page = _pdf_rows(pdf_path, ref)
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    lo_oracle.convert(export_workbook(db, uuid, tmp_path / "classeur.xlsx"), SHOWN, csv_dir)
    with open(next(csv_dir.glob("*Scores*.csv")), newline="", encoding="utf-8") as fh:
        scores_csv = list(csv.reader(fh))
    workbook = {row[0]: row for row in scores_csv if row and row[0] in {d.id for d in ref.domains}}
    workbook_overall = next(row for row in scores_csv if len(row) > 2 and row[1].startswith("Indice global"))

    for d in ref.domains:
        shown_now = fmt.score(scores.domains[d.id].score)
        # screen columns: domain, previous, current, difference, answers
        assert screen[d.id][2] == shown_now, d.id
        assert pdf[d.id][1] == shown_now, (d.id, pdf[d.id])
        assert workbook[d.id][2].replace(".", ",") == shown_now, (d.id, workbook[d.id])
        diff = cmp.domains[d.id].difference
        screen_diff = screen[d.id][3].replace("▲ ", "").replace("▼ −", "−").replace("=", "0,0")
        pdf_diff = pdf[d.id][2].replace("▲ ", "").replace("▼ ", "").replace("= ", "")
        expected = fmt.signed_score(diff) if diff else "0,0"
        assert screen_diff.lstrip("+") == expected.lstrip("+") == pdf_diff.lstrip("+"), d.id
    assert screen["ACT"][3] == "▲ +0,2" and pdf["ACT"][2] == "▲ +0,2"
    assert screen["GOV"][2] == pdf["GOV"][1] == "1,3"
    # the overall index leaves RES out, everywhere
    overall = fmt.score(scores.overall)
    assert f"Indice global\u00a0: <b>{overall}</b>" in summary
    assert workbook_overall[2].replace(".", ",") == overall
    assert "insuffisamment renseigné" in screen["RES"][4] and "RES" not in scores.strongest(9) + scores.weakest(9)
    assert workbook["RES"][8] == "insuffisamment renseigné"
    # like for like, saying how many criteria it rests on
    assert f"sur {cmp.criteria} critères notés les deux années" in summary
    assert f"{cmp.criteria} au total" in pdf_page.replace("\n", " ")
