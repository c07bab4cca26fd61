"""Workbooks as people edit them, without LibreOffice (openpyxl writes what a spreadsheet
saves): percentages, leading zeros, deleted rows, « = » text, line endings, update times,
.ods, the hidden _meta sheet, the Scores sheet for readers that do not recalculate, and
`ptce import` recognising files by their content. Every assertion is on the database."""

from __future__ import annotations

import io
import shutil
import zipfile

import openpyxl
import pytest

from exports.xlsx_export import build_workbook, export_workbook, save_workbook
from exports.xlsx_import import WorkbookRefused, import_workbook, read_workbook
from exports.xlsx_template import blank_snapshot, write_template
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.snapshot import AnswerData
from tests.helpers.xlsx import content, db_fingerprint


def _row(ws, column: int, value: str) -> int:
    return next(r[0].row for r in ws.iter_rows(min_row=4) if r[column - 1].value == value)


_BLANK: dict[str | None, bytes] = {}  # pole name -> the template's bytes, written once per worker (≈ 0.4 s each)
_DEMO_EXPORT: dict[str, bytes] = {}  # demo assessment uuid -> its exported workbook, once per worker (≈ 0.6 s)


def _blank(tmp_path, pole: str | None = "Pôle des Essais"):
    path = tmp_path / "q.xlsx"
    if pole not in _BLANK:
        _BLANK[pole] = write_template(path, pole_name=pole).read_bytes()
    path.write_bytes(_BLANK[pole])
    return path


def _demo_export(demo, path):
    """The demo assessment's workbook at path: what export_workbook writes for the session's demo base
    (each test's base is a copy of it)."""
    db, uuid = demo
    if uuid not in _DEMO_EXPORT:
        _DEMO_EXPORT[uuid] = export_workbook(db, uuid, path).read_bytes()
    path.write_bytes(_DEMO_EXPORT[uuid])
    return path


def _template(tmp_path, edit, pole="Pôle des Essais"):
    wb = openpyxl.load_workbook(_blank(tmp_path, pole))
    edit(wb)
    wb.save(tmp_path / "rempli.xlsx")
    return tmp_path / "rempli.xlsx"


def _profile(wb, code, value, fmt=None):
    ws = wb["Profil"]
    cell = ws.cell(_row(ws, 10, code), 3)
    cell.value = value
    if fmt:
        cell.number_format = fmt


_LOADED: dict = {}  # the blank questionnaire loaded by openpyxl (≈ 0.15 s), once per worker


def _profile_template(tmp_path, code, value, fmt=None):
    """The blank questionnaire with one value typed on the Profil sheet (and the cell's format), saved
    as tmp_path/rempli.xlsx; the loaded workbook is shared, so the cell is put back after saving."""
    if "blank" not in _LOADED:
        _LOADED["blank"] = openpyxl.load_workbook(_blank(tmp_path))
    wb = _LOADED["blank"]
    cell = wb["Profil"].cell(_row(wb["Profil"], 10, code), 3)
    kept = cell.value, cell.number_format
    _profile(wb, code, value, fmt)
    try:
        wb.save(tmp_path / "rempli.xlsx")
    finally:
        cell.value, cell.number_format = kept
    return tmp_path / "rempli.xlsx"


@pytest.mark.parametrize("value, fmt, expected", [
    (0.325, "0.00%", 32.5),          # « 32,5 % » typed: the spreadsheet stores the fraction
    (0.07, "0%", 7),
    (32.5, None, 32.5),              # a bare 32,5
    ("32,5 %", None, 32.5),          # typed as text
    ("32,5", None, 32.5),
])
def test_percent_typed_either_way(value, fmt, expected, tmp_path, db):
    path = _profile_template(tmp_path, "autofinancement", value, fmt)
    snap = snap_mod.load(db, import_workbook(db, path).assessment_uuid)
    assert snap.assessment.profile["autofinancement"]["value"] == expected


@pytest.mark.parametrize("code, value, fmt, words", [
    ("autofinancement", 40, "0%", "multiplié par 100"),   # 40 typed in a cell already formatted as percent
    ("budget_cellule", 0.5, "0%", "pourcentage"),         # a percentage where an amount is expected
    ("autofinancement", "120 %", None, "100"),
])
def test_percent_that_cannot_be_read_right_is_refused(code, value, fmt, words, tmp_path, db):
    path = _profile_template(tmp_path, code, value, fmt)
    before = db_fingerprint(db)
    with pytest.raises(WorkbookRefused, match=words) as err:
        import_workbook(db, path)
    assert "feuille «\u00a0Profil\u00a0», cellule C" in str(err.value)
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("value, expected", [(5, "05"), ("05", "05"), ("2a", "2A"), (974, "974"),
                                             ("Doubs", "Doubs")])
def test_department_codes_keep_their_leading_zero(value, expected, tmp_path, db):
    path = _profile_template(tmp_path, "pole.department", value)
    result = import_workbook(db, path)
    assert snap_mod.load(db, result.assessment_uuid).pole.department == expected


def test_template_cells_for_codes_are_text(tmp_path):
    ws = openpyxl.load_workbook(_blank(tmp_path, None))["Profil"]
    assert ws.cell(_row(ws, 10, "pole.department"), 3).number_format == "@"


def test_text_typed_with_a_leading_equals_sign_is_read_as_typed(tmp_path, db):
    def edit(wb):
        ws = wb["Réponses"]
        ws.cell(_row(ws, 2, "FIN.1"), 7).value = "= à revoir avec le CA"  # openpyxl: a formula
        ws.cell(_row(ws, 2, "FIN.1"), 4).value = 2
        wb["AFOM"]["C4"] = "=+ partenaires"
    path = _template(tmp_path, edit)
    result = import_workbook(db, path)
    snap = snap_mod.load(db, result.assessment_uuid)
    assert snap.answers["FIN.1"].comment == "= à revoir avec le CA"
    assert snap.swot[0].text == "=+ partenaires"
    notes = "\n".join(result.notes)
    assert "feuille «\u00a0Réponses\u00a0», cellule G4" in notes and "AFOM" in notes and "C4" in notes


def test_formulas_in_the_hidden_meta_sheet_are_refused(tmp_path, db):
    def edit(wb):
        ws = wb["_meta"]
        row = next(r[0].row for r in ws.iter_rows() if r[0].value == "referential_version")
        assert row == 6
        ws.cell(row, 2).value = '="1.0.0"'  # its cached value would be right: still refused
    path = _template(tmp_path, edit)
    with pytest.raises(WorkbookRefused, match="_meta") as err:
        import_workbook(db, path)
    assert "cellule B6" in str(err.value) and "formule" in str(err.value)


def test_other_names_come_back_exactly_and_line_breaks_are_refused(tmp_path, ref, db):
    """Issue 16: an alias starting with a line break lost it on the round trip. An alias is one line
    (the shared JSON rule refuses line breaks and trims names); a name that looks like a list stays a name."""
    snap = blank_snapshot(ref, "Pôle Sud")
    snap.pole.aliases = ["Pôle Sud  Archer", "[Archer]", '["PTCE Archer"]']
    path = save_workbook(build_workbook(snap, ref), tmp_path / "alias.xlsx")
    assert read_workbook(path).snapshot.pole.aliases == snap.pole.aliases
    uuid = import_workbook(db, path).assessment_uuid
    assert snap_mod.load(db, uuid).pole.aliases == snap.pole.aliases
    wb = openpyxl.load_workbook(path)
    _profile(wb, "pole.aliases", '["\\nPôle Sud Archer"]')
    wb.save(tmp_path / "saut.xlsx")
    with pytest.raises(WorkbookRefused, match="retour à la ligne") as err:
        import_workbook(db, tmp_path / "saut.xlsx")
    assert "feuille «\u00a0Profil\u00a0», cellule C5" in str(err.value)


def test_deleted_rows_leave_stored_answers_untouched(demo, tmp_path, ref):
    db, uuid = demo
    path = _demo_export(demo, tmp_path / "export.xlsx")
    before = content(snap_mod.load(db, uuid), ref)
    wb = openpyxl.load_workbook(path)
    ws = wb["Réponses"]
    ws.delete_rows(_row(ws, 2, "TER.5"))
    wb.save(tmp_path / "sans_ter5.xlsx")
    result = import_workbook(db, tmp_path / "sans_ter5.xlsx")
    assert content(snap_mod.load(db, uuid), ref) == before
    assert result.unchanged and "TER.5" in "\n".join(result.notes)


def test_an_answer_edited_in_the_workbook_gets_a_fresh_update_time(demo, tmp_path):
    db, uuid = demo
    path = _demo_export(demo, tmp_path / "export.xlsx")
    stored = snap_mod.load(db, uuid).answers
    crit = next(c for c, a in stored.items() if a.status == "answered" and a.level != 4)
    wb = openpyxl.load_workbook(path)
    ws = wb["Réponses"]
    ws.cell(_row(ws, 2, crit), 4).value = 4  # the hidden « Mis à jour » cell still says the old time
    wb.save(tmp_path / "edite.xlsx")
    assert not import_workbook(db, tmp_path / "edite.xlsx").unchanged
    after = snap_mod.load(db, uuid).answers
    assert after[crit].level == 4 and after[crit].updated_at > stored[crit].updated_at
    assert all(after[c].updated_at == a.updated_at for c, a in stored.items() if c != crit)
    before = db_fingerprint(db)
    assert import_workbook(db, tmp_path / "edite.xlsx").unchanged and db_fingerprint(db) == before


def test_line_endings_alone_are_not_a_change(tmp_path, ref, db):
    snap = blank_snapshot(ref, "Pôle fins de ligne")
    snap.answers["FIN.1"] = AnswerData("FIN.1", "answered", 2, "ligne 1\r\nligne 2", "", False,
                                       "2026-01-01T00:00:00Z")
    uuid = import_workbook(db, save_workbook(build_workbook(snap, ref), tmp_path / "a.xlsx")).assessment_uuid
    wb = openpyxl.load_workbook(export_workbook(db, uuid, tmp_path / "export.xlsx"))
    ws = wb["Réponses"]
    ws.cell(_row(ws, 2, "FIN.1"), 7).value = "ligne 1\nligne 2"  # what a spreadsheet may save
    wb.save(tmp_path / "lf.xlsx")
    before = db_fingerprint(db)
    assert import_workbook(db, tmp_path / "lf.xlsx").unchanged
    assert db_fingerprint(db) == before


def test_scores_sheet_carries_values_for_readers_that_do_not_recalculate(demo, tmp_path, ref):
    from ptce_toolkit import scoring

    db, uuid = demo
    ws = openpyxl.load_workbook(_demo_export(demo, tmp_path / "e.xlsx"), data_only=True)["Scores"]
    expected = scoring.score(ref, snap_mod.load(db, uuid).answers)
    values = [c.value for c in ws[3]].index("Score à l’export")
    got = {r[0]: r[values] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    for d in ref.domains:
        assert got[d.id] == pytest.approx(expected.domains[d.id].score) if expected.domains[d.id].score is not None \
            else got[d.id] is None
    formulas = openpyxl.load_workbook(tmp_path / "e.xlsx")["Scores"]
    assert "$B$4:$B$" in formulas["C4"].value and "LEFT(" in formulas["C4"].value  # no fixed row range per domain


# ---------------------------------------------------------------------------------- .ods


def _ods(content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return out.getvalue()


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>')
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


@pytest.mark.parametrize("body, words", [
    ('<table:table table:name="_meta"><table:table-row table:number-rows-repeated="1048576">'
     '<table:table-cell office:value-type="float" office:value="3"/></table:table-row></table:table>',
     "répétée"),
    ("", "pas été produit par PTCE Toolkit"),
    ('<!DOCTYPE x [<!ENTITY a "b">]><x/>', "interdite"),
    ('<table:table table:name="_meta"><table:table-row><table:table-cell><text:p>'
     + "<text:span>" * 50_000 + "x" + "</text:span>" * 50_000 + "</text:p></table:table-cell></table:table-row>"
     "</table:table>", "imbriqués"),
])
def test_hostile_ods_are_refused(body, words, tmp_path, db):
    path = tmp_path / "hostile.ods"
    path.write_bytes(_ods(body if body.startswith("<!DOCTYPE") else ODS_HEAD + body + ODS_TAIL))
    before = db_fingerprint(db)
    with pytest.raises(WorkbookRefused, match=words):
        import_workbook(db, path)
    assert db_fingerprint(db) == before


# --------------------------------------------------------------------- ptce import by content


@pytest.mark.parametrize("name, data, words", [
    ("reponses.json", "critère;niveau\nFIN.1;3\n".encode(), "CSV"),
    ("tableau.xlsx", "critère;niveau\nFIN.1;3\n".encode(), "CSV"),
    ("notes.json", "Bonjour,\nvoici nos réponses\n".encode(), "CSV"),
    ("notes.txt", "Bonjour\nvoici nos réponses\n".encode(), "texte"),
    ("rapport.json", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ("vide.xlsx", b"", "vide"),
])
def test_cli_import_recognises_files_by_content(name, data, words, tmp_path, capsys, empty_template):
    from cli.main import main

    shutil.copyfile(empty_template, tmp_path / "b.sqlite3")  # a base at the current schema: no migration to run
    (tmp_path / name).write_bytes(data)
    assert main(["--db", str(tmp_path / "b.sqlite3"), "import", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert words in err and "JSON illisible" not in err


def test_cli_identical_reimport_says_so_once_and_nothing_else(tmp_path, capsys, empty_template):
    from cli.main import main

    dbfile = str(shutil.copyfile(empty_template, tmp_path / "b.sqlite3"))
    path = _profile_template(tmp_path, "membres_structures", "48 000")
    assert main(["--db", dbfile, "import", str(path)]) == 0
    first = capsys.readouterr()
    assert "créée" in first.err and "48" in first.err  # the normalisation note, the first time
    assert main(["--db", dbfile, "import", str(path)]) == 0
    again = capsys.readouterr()
    assert again.out == first.out
    assert again.err.strip().splitlines() == ["«\u00a0rempli.xlsx\u00a0»\u00a0: identique à l’évaluation déjà "
                                              "présente, rien n’a changé."]


def test_cli_two_copies_for_one_pole_in_one_run_ask_for_a_choice(tmp_path, capsys, empty_template):
    from cli.main import main

    dbfile = str(shutil.copyfile(empty_template, tmp_path / "b.sqlite3"))
    blank = _blank(tmp_path, None)
    files = []
    for i, level in enumerate((1, 3)):
        wb = openpyxl.load_workbook(blank)
        _profile(wb, "pole.name", "Pôle Unique")
        wb["Réponses"]["D4"] = level
        wb.save(tmp_path / f"copie{i}.xlsx")
        files.append(str(tmp_path / f"copie{i}.xlsx"))
    assert main(["--db", dbfile, "import", *files]) == 2
    err = capsys.readouterr().err
    assert "--meme-pole" in err and "copie0.xlsx" in err and "copie1.xlsx" in err
    assert main(["--db", dbfile, "import", "--meme-pole", "separer", *files]) == 0
    assert len(capsys.readouterr().out.split()) == 2
    assert main(["--db", dbfile, "assessments", "--json"]) == 0
    import json

    assert len(json.loads(capsys.readouterr().out)) == 2


def test_a_questionnaire_from_before_campaigns_still_updates_what_it_created(tmp_path, db, ref):
    """Questionnaires written before template_id carry one assessment identity: the copy imported
    back then is still updated in place, and another pole's copy gets its own assessment."""
    snap = blank_snapshot(ref, "")
    wb = build_workbook(snap, ref, kind="template")
    meta = {r[0].value: r[1] for r in wb["_meta"].iter_rows(min_row=2)}
    meta["pole_uuid"].value, meta["assessment_uuid"].value = snap.pole.uuid, snap.assessment.uuid
    meta["template_id"].value = None
    old = save_workbook(wb, tmp_path / "ancien.xlsx")
    from ptce_toolkit import exchange

    snap.pole.name = "Pôle Ancien"
    exchange.import_snapshot(db, snap)  # what the earlier version stored for the first copy
    wb = openpyxl.load_workbook(old)
    _profile(wb, "pole.name", "Pôle Ancien")
    wb["Réponses"]["D4"] = 3
    wb.save(tmp_path / "ancien_rempli.xlsx")
    result = import_workbook(db, tmp_path / "ancien_rempli.xlsx")
    assert result.assessment_uuid == snap.assessment.uuid and result.replaced
    _profile(wb, "pole.name", "Pôle Voisin")
    wb.save(tmp_path / "voisin.xlsx")
    other = import_workbook(db, tmp_path / "voisin.xlsx")
    assert other.assessment_uuid != snap.assessment.uuid and not other.replaced
    assert snap_mod.load(db, other.assessment_uuid).pole.name == "Pôle Voisin"


@pytest.mark.parametrize("value, expected, refused", [(2014, 2014, None), ("2014", 2014, None),
                                                      ("14", None, "année"), (2014.5, None, "année"),
                                                      ("3000", None, "année")])
def test_years_read_by_the_one_parser(value, expected, refused, tmp_path, db):
    path = _profile_template(tmp_path, "pole.creation_year", value)
    if refused:
        with pytest.raises(WorkbookRefused, match=refused):
            import_workbook(db, path)
    else:
        assert snap_mod.load(db, import_workbook(db, path).assessment_uuid).pole.creation_year == expected


def test_importance_and_priority_are_words_and_old_digits_still_read(demo, tmp_path):
    """« Forte » and « Haute » say which way they go (importance 3 is strong, priority 1 high);
    workbooks sent out before still hold digits and are read as before."""
    from ptce_toolkit.vocabulary import IMPORTANCE_LABELS, PRIORITY_LABELS

    db, uuid = demo
    snap = snap_mod.load(db, uuid)
    wb = openpyxl.load_workbook(_demo_export(demo, tmp_path / "e.xlsx"))
    swot, actions = wb["AFOM"], wb["Plan d’action"]
    assert swot["D3"].value == "Importance" and actions["F3"].value == "Priorité"
    first = sorted((s for s in snap.swot if s.quadrant == "S"), key=lambda s: s.position)[0]
    assert swot["D4"].value == IMPORTANCE_LABELS[first.importance] and swot["F4"].value == first.uuid
    action = next(a for a in snap.actions if a.uuid == actions["I4"].value)
    assert actions["F4"].value == PRIORITY_LABELS[action.priority]
    assert any("D4" in dv.sqref for dv in swot.data_validations.dataValidation if dv.type == "list")
    assert any("F4" in dv.sqref for dv in actions.data_validations.dataValidation if dv.type == "list")
    swot["D4"], actions["F4"] = "forte", "basse"  # a word typed without its capital
    swot["D5"], actions["F5"] = 1, "1"  # digits, as earlier workbooks hold them
    swot["D3"], actions["F3"] = "Importance (1 à 3)", "Priorité (1 à 3)"  # and earlier headers
    wb.save(tmp_path / "modifie.xlsx")
    got = read_workbook(tmp_path / "modifie.xlsx").snapshot
    by_uuid = {s.uuid: s for s in got.swot}
    assert by_uuid[first.uuid].importance == 3
    assert by_uuid[swot["F5"].value].importance == 1
    acts = {a.uuid: a for a in got.actions}
    assert acts[actions["I4"].value].priority == 3 and acts[actions["I5"].value].priority == 1
    swot["D4"] = "très forte"
    wb.save(tmp_path / "faux.xlsx")
    with pytest.raises(WorkbookRefused) as exc:
        read_workbook(tmp_path / "faux.xlsx")
    assert "«\u00a0Faible\u00a0», «\u00a0Moyenne\u00a0», «\u00a0Forte\u00a0»" in str(exc.value)
