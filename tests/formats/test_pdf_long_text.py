"""Long unbroken text renders in seconds (issue 16, item 5): every text of the report goes
through ``pdf_styles.plain``, which cuts it with a visible mark and breaks long runs."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from exports.pdf_styles import MAX_RUN, MAX_TEXT, NBSP, plain
from tests.helpers.long_text import ALIAS_LEN, PARTICIPANT_LEN, SWOT_LEN, make_long_texts

ZWSP = "\u200b"


def test_a_long_run_gets_a_break_opportunity_every_max_run_characters():
    word = "x" * (2 * MAX_RUN + 10)
    assert plain(word).split(ZWSP) == ["x" * MAX_RUN, "x" * MAX_RUN, "x" * 10]
    assert plain("x" * MAX_RUN) == "x" * MAX_RUN  # exactly MAX_RUN: untouched
    # a no-break space does not end a run (ReportLab does not break there either)
    run = "y" * (MAX_RUN - 1) + NBSP + "zz"
    assert ZWSP in plain(run) and plain(run).replace(ZWSP, "") == run
    text = "Un texte ordinaire, avec des mots « normaux » et une URL https://exemple.fr/a/b."
    assert ZWSP not in plain(text)


def test_a_text_over_the_limit_is_cut_with_a_visible_mark_saying_how_much():
    got = plain("mot " * 10_000)  # 40 000 characters
    assert got.startswith("mot mot")
    assert got.endswith(f"[…] (20{NBSP}000 caractères non reproduits)")
    assert len(got) < MAX_TEXT + 60
    assert plain("court") == "court"


@pytest.mark.slow
def test_report_with_the_longest_texts_renders_in_seconds(demo, tmp_path):
    from exports.pdf_report import write_report

    db, uuid = demo
    make_long_texts(db.path, uuid)
    target = tmp_path / "long.pdf"
    start = time.process_time()  # processor time: wall time on a shared machine says more about the others
    write_report(db, uuid, target)
    elapsed = time.process_time() - start
    assert elapsed < 10, f"{elapsed:.1f} s"  # ≈ 1–2 s here; before the cut, minutes (bench/report.py prints it)
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(target)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.replace(NBSP, " ").split())
    # the aliases (joined: « AAA…, Coop’Vallée »), the participant's name and the SWOT item are cut,
    # and each cut says how much is missing
    for length in (ALIAS_LEN + len(", Coop’Vallée"), PARTICIPANT_LEN, SWOT_LEN):
        left_out = f"{length - MAX_TEXT:,}".replace(",", " ")
        assert f"[…] ({left_out} caractères non reproduits)" in words, length
    assert "Camille Martin" in words  # the other participant is still there
    assert "abcdefghi abcdefghi" in words
