"""The blank questionnaire: same layout, filled by hand in a spreadsheet, imported strictly."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from exports.xlsx_import import WorkbookRefused, import_workbook
from exports.xlsx_template import write_template
from ptce_toolkit import services as sv
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.exchange import ImportRefused
from tests.helpers.xlsx import db_fingerprint


def _row_of(ws, column: int, value: str) -> int:
    for row in ws.iter_rows(min_row=4):
        if row[column - 1].value == value:
            return row[0].row
    raise AssertionError(value)


_BLANK: dict = {}  # the blank questionnaire, written once per worker (≈ 0.4 s each); tests fill copies


def _blank(tmp_path, tmp_path_factory):
    """A copy of the blank questionnaire (no pole name) in tmp_path."""
    if not _BLANK:
        _BLANK["path"] = write_template(tmp_path_factory.mktemp("questionnaire") / "q.xlsx")
    return Path(shutil.copy(_BLANK["path"], tmp_path / "q.xlsx"))


def _answer_row(tmp_path_factory, criterion: str) -> int:
    """The row of a criterion on the Réponses sheet of the blank questionnaire (filling never moves rows)."""
    if "rows" not in _BLANK:
        ws = openpyxl.load_workbook(_blank(tmp_path_factory.mktemp("lignes"), tmp_path_factory))["Réponses"]
        _BLANK["rows"] = {row[1].value: row[0].row for row in ws.iter_rows(min_row=4) if row[1].value}
    return _BLANK["rows"][criterion]


def _fill(path, out, levels: dict, pole="Pôle des Deux Rives"):
    _typed(openpyxl.load_workbook(path), levels, pole).save(out)
    return out


def _typed(wb, levels: dict, pole: str):
    """What a person types in the questionnaire: the profile, these levels, a SWOT, an option, an action."""
    prof = wb["Profil"]
    prof.cell(_row_of(prof, 10, "pole.name"), 3).value = pole
    prof.cell(_row_of(prof, 10, "membres_structures"), 3).value = "48 000"
    prof.cell(_row_of(prof, 10, "membres_structures"), 5).value = "environ"
    prof.cell(_row_of(prof, 10, "stade"), 3).value = "Émergence"
    ans = wb["Réponses"]
    for crit, value in levels.items():
        ans.cell(_row_of(ans, 2, crit), 4).value = value
    ans.cell(_row_of(ans, 2, "FIN.1"), 7).value = "Charte adoptée en 2023"
    ans.cell(_row_of(ans, 2, "FIN.1"), 9).value = "x"
    swot = wb["AFOM"]
    swot.cell(_row_of(swot, 1, "FO1"), 3).value = "Un lieu partagé"
    swot.cell(_row_of(swot, 1, "ME1"), 3).value = "Fin de la convention régionale"
    swot.cell(_row_of(swot, 1, "ME1"), 5).value = "eco.2"
    opt = wb["Options"]
    opt.cell(4, 2).value = "Diversifier les financements"
    opt.cell(4, 3).value = "FO1; ME1"
    act = wb["Plan d’action"]
    act.cell(4, 2).value = "Rencontrer la Région"
    act.cell(4, 4).value = "15/03/2027"
    act.cell(4, 5).value = "en cours"
    act.cell(4, 8).value = 1
    return wb


def test_template_carries_a_campaign_id_and_no_assessment_identity(tmp_path):
    a = read_workbook_meta(write_template(tmp_path / "a.xlsx", pole_name="Pôle A"))
    b = read_workbook_meta(write_template(tmp_path / "b.xlsx"))
    assert a["kind"] == "template" and a["template_id"] != b["template_id"]
    assert not a["assessment_uuid"] and not a["pole_uuid"]
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    prof = wb["Profil"]
    assert prof.cell(_row_of(prof, 10, "pole.name"), 3).value == "Pôle A"
    assert all(row[3].value is None for row in wb["Réponses"].iter_rows(min_row=4))


def read_workbook_meta(path):
    wb = openpyxl.load_workbook(path)
    return {r[0]: r[1] for r in wb["_meta"].iter_rows(min_row=2, values_only=True)}


def test_blank_template_is_refused_for_its_missing_pole_name(tmp_path, tmp_path_factory, db):
    path = _blank(tmp_path, tmp_path_factory)
    with pytest.raises(WorkbookRefused) as err:
        import_workbook(db, path)
    assert "Profil" in str(err.value) and "C4" in str(err.value)
    assert isinstance(err.value, ImportRefused)


HAND_TYPED = {"FIN.2": 3, "FIN.3": "3", "FIN.4": " 3 ", "FIN.5": "3,0", "TER.1": "3 – Opérationnel",
              "TER.2": "n/a", "TER.3": "NSP", "TER.4": "sans objet", "TER.5": "Ne sait pas", "ACT.1": 0,
              "ACT.2": "émergent"}


def test_hand_filled_questionnaire_is_normalised_and_reported(tmp_path, tmp_path_factory, db, ref):
    path = _fill(_blank(tmp_path, tmp_path_factory), tmp_path / "rempli.xlsx", HAND_TYPED)
    result = import_workbook(db, path)
    snap = snap_mod.load(db, result.assessment_uuid)
    got = {c: (a.status, a.level) for c, a in snap.answers.items()}
    for crit in ("FIN.2", "FIN.3", "FIN.4", "FIN.5", "TER.1"):
        assert got[crit] == ("answered", 3), crit
    assert got["TER.2"] == got["TER.4"] == ("not_applicable", None)
    assert got["TER.3"] == got["TER.5"] == ("unknown", None)
    assert got["ACT.1"] == ("answered", 0) and got["ACT.2"] == ("answered", 1)
    assert "ACT.3" not in got  # an empty cell stays unanswered, never 0
    assert snap.answers["FIN.1"].priority and snap.answers["FIN.1"].status == "unanswered"
    assert snap.pole.name == "Pôle des Deux Rives"
    assert snap.assessment.profile["membres_structures"] == {"value": 48000, "qualifier": "environ"}
    assert snap.assessment.profile["stade"] == {"value": "emergence"}
    assert [s.text for s in snap.swot] == ["Un lieu partagé", "Fin de la convention régionale"]
    assert snap.swot[1].criteria == ["ECO.2"]
    assert snap.options[0].swot == [snap.swot[0].uuid, snap.swot[1].uuid]
    assert snap.actions[0].due_on == "2027-03-15" and snap.actions[0].status == "doing"
    assert snap.actions[0].options == [snap.options[0].uuid]
    notes = "\n".join(result.notes)
    # canonical entries (3, 0, « Sans objet », « Ne sait pas », oui) need no note; the others do
    for shown in ("« 3 »", "« 3,0 »", "« 3 – Opérationnel »", "« n/a »", "« NSP »", "« sans objet »",
                  "« émergent »", "« 48 000 »", "« x »", "« 15/03/2027 »", "« en cours »", "« Émergence »"):
        assert shown in notes, shown
    assert "D5" not in notes and "ACT.1" not in notes
    # same file again: same assessment, same items, nothing written
    before = db_fingerprint(db)
    again = import_workbook(db, path)
    assert again.assessment_uuid == result.assessment_uuid and again.unchanged
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("typed", ["2-3", "3/4", "2,5", 2.5, "trois", 5, -1, "3 – Exemplaire", "4 étoiles"])
def test_ambiguous_levels_are_refused_with_their_cell(typed, tmp_path, tmp_path_factory, db):
    if "filled" not in _BLANK:  # filled once per worker with GOV.2 empty (loading ≈ 0.15 s); each case types it
        _BLANK["filled"] = _typed(openpyxl.load_workbook(_blank(tmp_path, tmp_path_factory)), {"FIN.2": "3"},
                                  "Pôle des Deux Rives")
    cell = _BLANK["filled"]["Réponses"].cell(_answer_row(tmp_path_factory, "GOV.2"), 4)
    assert cell.value is None
    cell.value = typed
    path = tmp_path / "r.xlsx"
    try:
        _BLANK["filled"].save(path)
    finally:
        cell.value = None
    before = db_fingerprint(db)
    with pytest.raises(WorkbookRefused) as err:
        import_workbook(db, path)
    row = _answer_row(tmp_path_factory, "GOV.2")
    assert f"feuille « Réponses », cellule D{row}" in str(err.value)
    assert db_fingerprint(db) == before


def test_one_questionnaire_filled_by_several_poles_gives_one_assessment_each(tmp_path, tmp_path_factory, db):
    blank = openpyxl.load_workbook(_blank(tmp_path, tmp_path_factory))  # every copy types the same cells

    def copy_for(pole, level, name):
        _typed(blank, {"FIN.2": level}, pole).save(tmp_path / name)
        return tmp_path / name

    first = import_workbook(db, copy_for("Pôle A", 1, "a.xlsx"))
    second = import_workbook(db, copy_for("Pôle B", 2, "b.xlsx"))
    assert first.assessment_uuid != second.assessment_uuid and first.pole_uuid != second.pole_uuid
    a, b = snap_mod.load(db, first.assessment_uuid), snap_mod.load(db, second.assessment_uuid)
    assert (a.pole.name, a.answers["FIN.2"].level) == ("Pôle A", 1)
    assert (b.pole.name, b.answers["FIN.2"].level) == ("Pôle B", 2)
    # the same copy again, edited: it updates its own assessment, never a new one
    again = import_workbook(db, copy_for("pôle a", 3, "a2.xlsx"))
    assert again.assessment_uuid == first.assessment_uuid and again.replaced and not again.unchanged
    assert snap_mod.load(db, first.assessment_uuid).answers["FIN.2"].level == 3
    assert "autre copie" in "\n".join(again.notes)
    assert len(sv.list_assessments(db)) == 2
    # a second copy for Pôle B kept apart when asked
    apart = import_workbook(db, copy_for("Pôle B", 4, "b_bis.xlsx"), same_pole="separate")
    assert apart.assessment_uuid not in (first.assessment_uuid, second.assessment_uuid)
    assert apart.pole_uuid == second.pole_uuid and len(sv.list_assessments(db)) == 3
    assert snap_mod.load(db, second.assessment_uuid).answers["FIN.2"].level == 2


def test_cli_template_then_import(tmp_path, empty_template):
    from cli.main import main

    db = shutil.copyfile(empty_template, tmp_path / "cli.sqlite3")
    out = tmp_path / "questionnaire.xlsx"
    assert main(["--db", str(db), "template", "-o", str(out), "--pole", "Pôle CLI"]) == 0
    assert main(["--db", str(db), "import", str(out)]) == 0
    assert main(["--db", str(db), "import", str(tmp_path / "absent.xlsx")]) == 2


def test_a_workbook_saying_terminee_from_an_earlier_version_still_reads(demo, tmp_path):
    """Workbooks sent out before the status agreed with « diagnostic » said « Terminée »."""
    import openpyxl

    from exports.xlsx_export import export_workbook
    from exports.xlsx_import import read_workbook

    db, uuid = demo
    path = export_workbook(db, uuid, tmp_path / "ancien.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Profil"]
    cell = next(row[2] for row in ws.iter_rows() if row[-1].value == "assessment.status")
    cell.value = "Terminée"
    wb.save(path)
    parsed = read_workbook(path)
    assert parsed.snapshot.assessment.status == "completed"
