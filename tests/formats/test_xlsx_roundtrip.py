"""Export → import gives back exactly the same assessment; importing twice changes nothing."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from exports.xlsx_export import build_workbook, export_workbook, save_workbook
from exports.xlsx_import import import_workbook, read_workbook
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.db import open_database
from tests.helpers.xlsx import content, db_fingerprint, snapshots


def test_demo_round_trip_into_empty_database(demo, tmp_path, ref):
    db, uuid = demo
    path = export_workbook(db, uuid, tmp_path / "demo.xlsx")
    fresh = open_database(tmp_path / "vide.sqlite3")
    try:
        result = import_workbook(fresh, path)
        assert result.assessment_uuid == uuid and not result.replaced
        assert content(snap_mod.load(fresh, uuid), ref) == content(snap_mod.load(db, uuid), ref)
        assert result.notes == []  # an untouched export needs no normalisation
    finally:
        fresh.close()


def test_reimporting_the_same_file_changes_nothing(demo, tmp_path):
    db, uuid = demo
    path = export_workbook(db, uuid, tmp_path / "demo.xlsx")
    before = db_fingerprint(db)
    result = import_workbook(db, path)
    assert result.replaced and result.unchanged
    assert db_fingerprint(db) == before
    again = import_workbook(db, path)
    assert again.unchanged and db_fingerprint(db) == before


def test_export_has_the_documented_sheets_and_hidden_meta(demo, tmp_path):
    db, uuid = demo
    wb = openpyxl.load_workbook(export_workbook(db, uuid, tmp_path / "d.xlsx"))
    assert wb.sheetnames[:7] == ["Lisez-moi", "Profil", "Réponses", "Scores", "AFOM", "Options", "Plan d’action"]
    assert wb["_meta"].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_row=2, values_only=True)}
    assert meta["format"] == "ptce-classeur" and meta["assessment_uuid"] == uuid
    assert len(meta["content_sha256"]) == 64
    answers = wb["Réponses"]
    assert answers.protection.sheet and answers["D4"].protection.locked is False
    assert answers["C4"].protection.locked is True  # the statement is structure
    # how the cells look: « write here » in pale yellow, thin grey borders, text from the top
    assert answers["D4"].fill.fgColor.rgb.endswith("FFF9E0") and answers["C4"].fill.fill_type is None
    for cell in (answers["C4"], answers["D4"]):
        assert cell.border.left.style == "thin" and cell.border.bottom.color.rgb.endswith("BFBFBF")
        assert cell.alignment.vertical == "top"
    assert answers["C4"].alignment.wrap_text and answers["C4"].font.name == "Calibri"
    assert any("D4" in str(dv.sqref) for dv in answers.data_validations.dataValidation)
    assert answers.freeze_panes == "D4"


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=__import__("hypothesis").strategies.data())
def test_generated_assessments_survive_the_round_trip(data, ref, db, tmp_path):
    snap = data.draw(snapshots(ref))
    path = save_workbook(build_workbook(snap, ref), tmp_path / "gen.xlsx")
    parsed = read_workbook(path)
    assert content(parsed.snapshot, ref) == content(snap, ref)
    assert not parsed.edited
    result = import_workbook(db, path)
    assert content(snap_mod.load(db, result.assessment_uuid), ref) == content(snap, ref)
    before = db_fingerprint(db)
    assert import_workbook(db, path).unchanged and db_fingerprint(db) == before


def test_user_text_is_never_written_as_a_formula(tmp_path, ref):
    from exports.xlsx_template import blank_snapshot
    from ptce_toolkit.snapshot import AnswerData

    snap = blank_snapshot(ref, "=HYPERLINK(\"http://x\")")
    snap.answers["FIN.1"] = AnswerData("FIN.1", "answered", 2, "=1+1", "@SUM(A1)", False, "")
    path = save_workbook(build_workbook(snap, ref), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["Réponses"]
    assert ws["G4"].value == "=1+1" and ws["G4"].data_type == "s" and ws["G4"].quotePrefix
    assert ws["H4"].data_type == "s" and ws["H4"].quotePrefix
    assert ws["E4"].data_type == "f"  # our own formula (level label) stays a formula


@pytest.mark.parametrize("text", ["a\x00b", "bip\x07", "\x1b[31m", "_x0007_ écrit à la main", "fin\r"])
def test_control_characters_survive(text, tmp_path, ref, db):
    from exports.xlsx_template import blank_snapshot
    from ptce_toolkit.snapshot import AnswerData

    snap = blank_snapshot(ref, "Pôle test")
    snap.answers["FIN.1"] = AnswerData("FIN.1", "answered", 1, text, "", False, "2026-01-01T00:00:00Z")
    path = save_workbook(build_workbook(snap, ref), tmp_path / "c.xlsx")
    uuid = import_workbook(db, path).assessment_uuid
    assert snap_mod.load(db, uuid).answers["FIN.1"].comment == text


def test_a_real_name_that_looks_mis_encoded_survives_its_own_export(db, tmp_path):
    """The mis-encoding guard is for files re-saved the wrong way; our own untouched export of a
    pole really named so re-imports as it is (found by the generated round trip)."""
    from ptce_toolkit import services as sv

    pole = sv.create_pole(db, "*@Úºmz").created
    uuid = sv.create_assessment(db, pole, "Diagnostic 2026").created
    path = export_workbook(db, uuid, tmp_path / "nom.xlsx")
    parsed = read_workbook(path)
    assert parsed.snapshot.pole.name == "*@Úºmz" and not parsed.edited
    wb = openpyxl.load_workbook(path)
    cell = next(row[2] for row in wb["Profil"].iter_rows() if row[-1].value == "pole.name")
    cell.value = "PÃ´le du Lison"  # the same guard still catches an edited file
    wb.save(tmp_path / "abime.xlsx")
    with pytest.raises(Exception, match="mal encodé"):
        read_workbook(tmp_path / "abime.xlsx")
