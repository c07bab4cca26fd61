"""LibreOffice Calc (fr-FR) as the client: workbooks edited the way people edit them — typed
through Calc's own input parser, rows deleted and sorted, saved as .xlsx and .ods — then
imported by the app; every assertion is on the database."""

from __future__ import annotations

import json

import openpyxl
import pytest

from exports.xlsx_export import export_workbook
from exports.xlsx_import import WorkbookRefused, import_workbook
from exports.xlsx_template import write_template
from ptce_toolkit import scoring
from ptce_toolkit import snapshot as snap_mod
from tests.helpers import lo_client as C
from tests.helpers import lo_oracle
from tests.helpers.xlsx import content, db_fingerprint

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not C.available(), reason="LibreOffice ou python3-uno absent")]


def _rows(path, sheet: str, column: int) -> dict[str, int]:
    """Row of each code written by the app in ``column`` (Profil: J = codes, Réponses: B = criteria)."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {str(r[column - 1].value): r[0].row for r in ws.iter_rows(min_row=4) if r[column - 1].value}


def _notes(result) -> str:
    return "\n".join(result.notes)


def test_values_typed_the_french_way_in_calc(lo, tmp_path, db):
    blank = write_template(tmp_path / "questionnaire.xlsx")
    prof, ans = _rows(blank, "Profil", 10), _rows(blank, "Réponses", 2)
    typed = lo.edit(blank, [
        C.type_("Profil", f"C{prof['pole.name']}", "Pôle des Essais"),
        C.type_("Profil", f"C{prof['pole.department']}", "05"),
        C.type_("Profil", f"C{prof['autofinancement']}", "32,5 %"),
        C.type_("Profil", f"C{prof['part_financements_publics']}", "40"),
        C.type_("Profil", f"C{prof['budget_cellule']}", "152 000"),
        C.type_("Profil", f"C{prof['membres_structures']}", "152.000"),
        C.type_("Réponses", f"D{ans['FIN.1']}", "3"),
        C.type_("Réponses", f"G{ans['FIN.1']}", "= à revoir avec le CA"),
        C.type_("Réponses", f"D{ans['FIN.2']}", "3 - Opérationnel"),
        C.type_("Plan d’action", "B4", "Rencontrer la Région"),
        C.type_("Plan d’action", "D4", "15/01/2027"),
    ], save=[(tmp_path / "rempli.xlsx", C.XLSX), (tmp_path / "rempli.ods", C.ODS)])
    # what Calc made of the typing: the traps the import must handle
    assert typed[1]["type"] == "TEXT" and typed[1]["string"] == "05"  # text cell: the zero stays
    assert typed[2]["value"] == pytest.approx(0.325)  # « 32,5 % » is the fraction 0.325
    assert typed[7]["type"] == "FORMULA" and typed[7]["error"] == 509  # « = … » became a formula in error

    result = import_workbook(db, tmp_path / "rempli.xlsx")
    snap = snap_mod.load(db, result.assessment_uuid)
    profile = snap.assessment.profile
    assert snap.pole.name == "Pôle des Essais" and snap.pole.department == "05"
    assert profile["autofinancement"]["value"] == 32.5
    assert profile["part_financements_publics"]["value"] == 40
    assert profile["budget_cellule"]["value"] == 152000
    assert profile["membres_structures"]["value"] == 152000
    assert (snap.answers["FIN.1"].status, snap.answers["FIN.1"].level) == ("answered", 3)
    assert (snap.answers["FIN.2"].status, snap.answers["FIN.2"].level) == ("answered", 3)
    comment = snap.answers["FIN.1"].comment
    assert comment.startswith("= à revoir avec le") and comment.casefold() == "= à revoir avec le ca"
    assert f"cellule G{ans['FIN.1']}" in _notes(result) and "formule" in _notes(result)
    assert snap.actions[0].title == "Rencontrer la Région" and snap.actions[0].due_on == "2027-01-15"

    # the same answers saved as .ods: same validation, same reading, nothing changes
    before = db_fingerprint(db)
    again = import_workbook(db, tmp_path / "rempli.ods")
    assert again.assessment_uuid == result.assessment_uuid and again.unchanged, again.notes
    assert db_fingerprint(db) == before


def test_a_formula_in_a_level_cell_is_still_refused(lo, tmp_path, db):
    blank = write_template(tmp_path / "q.xlsx", pole_name="Pôle formule")
    row = _rows(blank, "Réponses", 2)["GOV.1"]
    lo.edit(blank, [C.type_("Réponses", f"D{row}", "=1+2")], save=[(tmp_path / "f.ods", C.ODS),
                                                                   (tmp_path / "f.xlsx", C.XLSX)])
    before = db_fingerprint(db)
    for name in ("f.xlsx", "f.ods"):
        with pytest.raises(WorkbookRefused) as err:
            import_workbook(db, tmp_path / name)
        assert f"feuille « Réponses », cellule D{row}" in str(err.value) and "formule" in str(err.value)
    assert db_fingerprint(db) == before


def test_a_deleted_row_never_erases_an_answer(lo, demo, tmp_path, ref):
    db, uuid = demo
    path = export_workbook(db, uuid, tmp_path / "export.xlsx")
    before = content(snap_mod.load(db, uuid), ref)
    assert before["answers"] and any(a["criterion"] == "TER.5" for a in before["answers"])
    row = _rows(path, "Réponses", 2)["TER.5"]
    lo.edit(path, [C.delete_row("Réponses", row)], save=[(tmp_path / "sans_ter5.xlsx", C.XLSX)])
    assert "TER.5" not in _rows(tmp_path / "sans_ter5.xlsx", "Réponses", 2)
    result = import_workbook(db, tmp_path / "sans_ter5.xlsx")
    assert content(snap_mod.load(db, uuid), ref) == before  # level, comment, evidence of TER.5 kept
    assert "TER.5" in _notes(result) and "conservée" in _notes(result)


def test_sorted_rows_and_levels_typed_as_text_keep_the_scores_right(lo, demo, tmp_path, ref, capsys):
    db, uuid = demo
    path = export_workbook(db, uuid, tmp_path / "export.xlsx")
    rows = _rows(path, "Réponses", 2)
    last = max(rows.values())
    lo.edit(path, [C.type_("Réponses", f"D{rows['FIN.2']}", "3 - Opérationnel"),
                   C.type_("Réponses", f"D{rows['GOV.1']}", "Sans objet"),
                   C.sort("Réponses", f"A4:L{last}", 3, descending=True)],
            save=[(tmp_path / "trie.xlsx", C.XLSX)])
    assert _rows(tmp_path / "trie.xlsx", "Réponses", 2) != rows  # really sorted
    result = import_workbook(db, tmp_path / "trie.xlsx")
    snap = snap_mod.load(db, uuid)
    assert (snap.answers["FIN.2"].status, snap.answers["FIN.2"].level) == ("answered", 3)
    assert snap.answers["GOV.1"].status == "not_applicable"
    assert not result.unchanged
    # LibreOffice's own recalculation of the sorted workbook equals `ptce score` on the imported answers
    from cli.main import main

    capsys.readouterr()
    assert main(["--db", str(tmp_path / "test.sqlite3"), "score", uuid, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = scoring.score(ref, snap.answers)
    sheets = lo_oracle.sheets_as_csv(tmp_path / "trie.xlsx", tmp_path / "csv")
    by_domain = {r[0]: r for r in sheets["Scores"][3:] if r and r[0] in {d.id for d in ref.domains}}
    for d in ref.domains:
        exp = expected.domains[d.id]
        got = lo_oracle.number(by_domain[d.id][2])
        assert (got is None) == (printed["domains"][d.id] is None), d.id
        if got is not None:
            assert round(got, 2) == printed["domains"][d.id], d.id
            assert got == pytest.approx(exp.score, abs=1e-9), d.id
        assert [int(x) for x in by_domain[d.id][3:8]] == [exp.answered, exp.not_applicable, exp.unknown,
                                                          exp.unanswered, exp.criteria], d.id


def test_campaign_one_questionnaire_three_poles_end_to_end(lo, tmp_path, capsys):
    from cli.main import main

    dbfile = str(tmp_path / "reseau.sqlite3")
    blank = tmp_path / "questionnaire.xlsx"
    assert main(["--db", dbfile, "template", "-o", str(blank)]) == 0
    prof, ans = _rows(blank, "Profil", 10), _rows(blank, "Réponses", 2)
    folder = tmp_path / "retours"
    folder.mkdir()
    poles = {"Pôle du Lison": ("xlsx", "3"), "Pôle des Deux Rives": ("xlsx", "1"), "Pôle des Hauts": ("ods", "4")}
    # one opening of the questionnaire: each copy is saved once its two cells are typed over
    lo.edit(blank, [op for i, (pole, (fmt, level)) in enumerate(poles.items())
                    for op in (C.type_("Profil", f"C{prof['pole.name']}", pole),
                               C.type_("Réponses", f"D{ans['FIN.1']}", level),
                               C.save_as(folder / f"copie_{i}.{fmt}", C.XLSX if fmt == "xlsx" else C.ODS))])
    files = sorted(str(p) for p in folder.iterdir())
    capsys.readouterr()
    assert main(["--db", dbfile, "import", *files]) == 0
    uuids = capsys.readouterr().out.split()
    assert len(set(uuids)) == 3
    # importing the same copies again: each says so once, nothing else, nothing written
    assert main(["--db", dbfile, "import", *files]) == 0
    out = capsys.readouterr()
    assert out.out.split() == uuids
    assert out.err.count("identique") == 3 and len(out.err.strip().splitlines()) == 3
    assert main(["--db", dbfile, "poles", "--json"]) == 0
    names = sorted(p["name"] for p in json.loads(capsys.readouterr().out))
    assert names == sorted(poles)
    assert main(["--db", dbfile, "consolidate", str(folder), "-o", str(tmp_path / "synthese.xlsx"),
                 "--quiet", "--workers", "1"]) == 0
    assert "3 classeurs consolidés, 0 rejeté" in capsys.readouterr().out
    ws = openpyxl.load_workbook(tmp_path / "synthese.xlsx")["Pôles"]
    assert sorted(r[0] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]) == sorted(poles)


def test_hostile_texts_saved_by_calc_as_xlsx_and_ods_change_nothing(lo, tmp_path, db, ref):
    """Formula-looking text, guillemets, emoji, spaces, aliases, a département code: saved again by Calc (which turns CR-LF into LF) they import as no change at all.
    (Calc drops control characters such as U+0001 when it writes .ods; they are left out here.)"""
    from exports.xlsx_export import build_workbook, save_workbook
    from exports.xlsx_template import blank_snapshot
    from ptce_toolkit import exchange
    from ptce_toolkit.snapshot import AnswerData, SwotData
    from tests.helpers.xlsx import HOSTILE

    texts = [t for t in HOSTILE if not any(ord(c) < 32 and c not in "\t\n\r" for c in t)]
    snap = blank_snapshot(ref, "Pôle « ods »")
    snap.pole.aliases, snap.pole.department = ["Pôle Sud  Archer", "[Archer]"], "05"
    snap.assessment.profile = {"autofinancement": {"value": 32.5, "qualifier": "environ", "year": 2024},
                               "budget_cellule": {"value": 152000.5}}
    crits = [c.id for c in ref.criteria()]
    for i, t in enumerate(texts):
        snap.answers[crits[i]] = AnswerData(crits[i], "answered", i % 5, t, t[::-1], i % 2 == 0, "2026-01-02T03:04:05Z")
    snap.swot = [SwotData(f"6f1c1c1e-0000-4000-8000-0000000000{i:02d}", "S", t.strip() or "x", 2, i, [])
                 for i, t in enumerate(texts)]
    exchange.import_snapshot(db, snap)
    path = save_workbook(build_workbook(snap_mod.load(db, snap.assessment.uuid), ref), tmp_path / "h.xlsx")
    lo.edit(path, [], save=[(tmp_path / "calc.ods", C.ODS), (tmp_path / "calc.xlsx", C.XLSX)])
    before = db_fingerprint(db)
    for name in ("calc.xlsx", "calc.ods"):
        result = import_workbook(db, tmp_path / name)
        assert result.unchanged, (name, result.notes)
    assert db_fingerprint(db) == before
