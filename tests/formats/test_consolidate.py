"""Consolidation of a folder of workbooks: validated like an import, duplicates never merged
silently, every rejected file listed with its reason, same folder → same bytes."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from exports.consolidate import consolidate_folder
from exports.xlsx_export import export_workbook
from exports.xlsx_template import write_template
from ptce_toolkit import scoring, services as sv
from ptce_toolkit import snapshot as snap_mod
from tests.helpers.module_env import database_copy, isolated_env
from tests.helpers.workbook_copies import load_copy


def _rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [r for r in ws.iter_rows(min_row=4, values_only=True)]


def _with_modified(source, target, stamp: str) -> None:
    import re
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data, n = re.subn(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                  rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
                assert n == 1
            dst.writestr(item, data)


def _fill(template, out, pole, level):
    wb = load_copy(template)  # openpyxl.load_workbook(template), parsed once per process
    wb["Profil"]["C4"] = pole
    wb["Réponses"]["D4"] = level
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def folder(demo_template, tmp_path_factory):
    """A network's folder of sent files (written once per module; consolidating it only reads it)."""
    with isolated_env(tmp_path_factory, "envois-modele") as tmp_path:
        with database_copy(demo_template[0], tmp_path / "demo.sqlite3") as db:
            uuid = demo_template[1]
            d = tmp_path / "envois"
            (d / "region").mkdir(parents=True)
            export_workbook(db, uuid, d / "lison_2026.xlsx")
            shutil.copy(d / "lison_2026.xlsx", d / "region" / "lison_copie.xlsx")  # same bytes, other name
            last_year = next(a.uuid for a in sv.list_assessments(db) if a.uuid != uuid)
            export_workbook(db, last_year, d / "lison_2025.xlsx")
        blank = write_template(tmp_path / "q.xlsx")
        _fill(blank, d / "deux_rives.xlsx", "Pôle des Deux Rives", 3)
        _fill(blank, d / "autre_pole.xlsx", "Pôle des Hauts", 1)  # same questionnaire, another pole
        other = write_template(tmp_path / "q2.xlsx")
        _fill(other, d / "homonyme.xlsx", "Pôle Coop’Vallée du Lison", 2)  # same name, other pole uuid
        (d / "rapport.pdf").write_bytes(b"%PDF-1.7\n")
        (d / "~$lison_2026.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file
        (d / ".~lock.lison_2026.xlsx#").write_text("Marie,poste-1,01.12.2026 10:00,", encoding="utf-8")  # LibreOffice's
        (d / ".DS_Store").write_bytes(b"\x00\x00")  # other hidden files are not listed
        (d / "abime.xlsx").write_bytes((d / "lison_2025.xlsx").read_bytes()[:3000])
        wb = openpyxl.load_workbook(d / "lison_2025.xlsx")
        wb["Réponses"]["D7"] = "2-3"
        wb["_meta"]["B9"] = "5e0c7c1e-0000-4000-8000-000000000009"  # another assessment, with a defect
        wb.save(d / "ambigu.xlsx")
    return d


@pytest.fixture(scope="module")
def synthesis(folder, tmp_path_factory):
    """The folder consolidated once in this process (workers=1), read by several tests:
    (result, synthesis file, progress calls)."""
    seen = []
    with isolated_env(tmp_path_factory, "synthese") as out:
        result = consolidate_folder(folder, out / "synthese.xlsx", progress=lambda d, t, n: seen.append((d, t, n)),
                                    workers=1)
    return result, out / "synthese.xlsx", seen


def test_synthesis_of_a_folder(synthesis, demo, ref):
    db, uuid = demo
    result, path, seen = synthesis
    assert seen[-1][0] == seen[-1][1] == 11 and len(seen) == 11
    # kept: Lison 2026, Lison 2025, the namesake, and the two poles that filled copies of one questionnaire
    assert result.accepted == 5
    poles = _rows(path, "Pôles")
    assert sorted((r[0], r[2] or 0) for r in poles) == [("Pôle Coop’Vallée du Lison", 0),
                                                        ("Pôle Coop’Vallée du Lison", 2025),
                                                        ("Pôle Coop’Vallée du Lison", 2026),
                                                        ("Pôle des Deux Rives", 0), ("Pôle des Hauts", 0)]
    # real refusals, with their pole when the file names one
    rejets = {(r[0], r[3], r[4]): (r[1], r[2]) for r in _rows(path, "Rejets")}
    assert "pas un classeur" in rejets[("rapport.pdf", None, None)][1]
    assert "tronquée" in rejets[("abime.xlsx", None, None)][1]
    pole, reason = rejets[("ambigu.xlsx", "Réponses", "D7")]
    assert pole == "Pôle Coop’Vallée du Lison" and "ambigu" in reason
    assert {k[0] for k in rejets} == {"rapport.pdf", "abime.xlsx", "ambigu.xlsx"}
    # information: copies and lock files, apart from the refusals, with the pole of the original
    infos = {r[0]: (r[1], r[2]) for r in _rows(path, "Informations")}
    assert set(infos) == {"region/lison_copie.xlsx", "~$lison_2026.xlsx", ".~lock.lison_2026.xlsx#"}
    assert infos["region/lison_copie.xlsx"][0] == "Pôle Coop’Vallée du Lison"
    assert "copie exacte de «\u00a0lison_2026.xlsx\u00a0»" in infos["region/lison_copie.xlsx"][1]
    assert "Excel" in infos["~$lison_2026.xlsx"][1] and "LibreOffice" in infos[".~lock.lison_2026.xlsx#"][1]
    assert result.rejected == 3
    flags = _rows(path, "À vérifier")
    kinds = {f[0]: f[1] for f in flags}
    assert set(kinds) == {"Même nom, identifiants différents"}
    assert "homonyme.xlsx" in kinds["Même nom, identifiants différents"]
    # the domain scores are the app's scores, not recomputed differently
    expected = scoring.score(ref, snap_mod.load(db, uuid).answers)
    row = next(r for r in _rows(path, "Domaines") if r[2] == 2026)
    assert row[3:3 + len(ref.domains)] == tuple(pytest.approx(expected.domains[d.id].score) for d in ref.domains)
    dist = {r[0]: r for r in _rows(path, "Distribution")}
    assert dist["COO.6"][7] == 2 and dist["FIN.2"][9] == 3  # sans objet both years; FIN.2 blank in the 3 questionnaires


def test_same_assessment_twice_keeps_the_newest(demo, tmp_path):
    db, uuid = demo
    d = tmp_path / "envois"
    d.mkdir()
    export_workbook(db, uuid, d / "ancien.xlsx")
    sv.set_answer(db, uuid, "FIN.1", status="answered", level=4)
    export_workbook(db, uuid, d / "nouveau.xlsx")
    wb = openpyxl.load_workbook(d / "ancien.xlsx")
    wb.properties.modified = __import__("datetime").datetime(2020, 1, 1)
    wb.save(d / "ancien.xlsx")
    wb = openpyxl.load_workbook(d / "nouveau.xlsx")
    wb.properties.modified = __import__("datetime").datetime(2026, 12, 1)
    wb.save(d / "nouveau.xlsx")
    result = consolidate_folder(d, tmp_path / "s.xlsx", workers=1)
    assert result.accepted == 1
    assert _rows(tmp_path / "s.xlsx", "Matrice")[0][3] == 4
    assert _rows(tmp_path / "s.xlsx", "Rejets") == []
    (info,) = [r for r in _rows(tmp_path / "s.xlsx", "Informations") if r[0] == "ancien.xlsx"]
    assert info[1] == "Pôle Coop’Vallée du Lison" and "plus récente" in info[2] and "nouveau.xlsx" in info[2]


def test_same_folder_same_bytes_even_in_parallel(folder, synthesis, tmp_path):
    consolidate_folder(folder, tmp_path / "b.xlsx", workers=2, chunk=1)
    assert synthesis[1].read_bytes() == (tmp_path / "b.xlsx").read_bytes()  # synthesis: workers=1


def test_cli_consolidate(folder, tmp_path, capsys):
    from cli.main import main

    assert main(["consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"), "--quiet"]) == 0
    assert "5 classeurs consolidés, 3 rejetés" in capsys.readouterr().out


def test_referential_versions_are_never_mixed_in_one_table(demo, tmp_path):
    from ptce_toolkit import paths, referential

    shipped = referential.default().source_path.read_text(encoding="utf-8")
    (paths.user_referential_dir() / "reseau-1.1.yaml").write_text(
        shipped.replace("version: 1.0.0", "version: 1.1.0", 1), encoding="utf-8")
    referential.reset_registry()
    newer = referential.registry().get("ptce-referentiel-action", "1.1.0")
    db, uuid = demo
    d = tmp_path / "envois"
    d.mkdir()
    export_workbook(db, uuid, d / "v1_0.xlsx")
    _fill(write_template(tmp_path / "q.xlsx", ref=newer), d / "v1_1.xlsx", "Pôle du réseau", 4)
    result = consolidate_folder(d, tmp_path / "s.xlsx", workers=1)
    assert result.accepted == 2
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert {"Matrice", "Matrice 1.1.0", "Domaines", "Domaines 1.1.0", "Distribution 1.1.0"} <= set(wb.sheetnames)
    assert [r[0] for r in _rows(tmp_path / "s.xlsx", "Matrice")] == ["Pôle Coop’Vallée du Lison"]
    assert [r[0] for r in _rows(tmp_path / "s.xlsx", "Matrice 1.1.0")] == ["Pôle du réseau"]
    assert "1.1.0" in wb["Matrice 1.1.0"]["A1"].value


def test_campaign_one_blank_questionnaire_for_many_poles(tmp_path):
    """One blank questionnaire sent to every pole: each filled copy is its own pole; two different
    copies filled for the same pole are both shown and flagged; a re-saved copy counts once."""
    d = tmp_path / "campagne"
    d.mkdir()
    blank = write_template(tmp_path / "questionnaire.xlsx")
    for name, pole, level in [("a.xlsx", "Pôle Alpha", 1), ("b.xlsx", "Pôle Bêta", 2), ("c.xlsx", "Pôle Gamma", 3),
                              ("c_bis.xlsx", "Pôle Gamma", 4)]:
        _fill(blank, d / name, pole, level)
    # Alpha saved again later, same answers: other bytes, same content. openpyxl stamps the
    # save time itself (to the second), so the later date is written into docProps/core.xml.
    _with_modified(d / "a.xlsx", d / "a_resave.xlsx", "2030-01-01T00:00:00Z")
    result = consolidate_folder(d, tmp_path / "s.xlsx", workers=1)
    poles = sorted((r[0], r[7], r[9]) for r in _rows(tmp_path / "s.xlsx", "Pôles"))
    assert poles == [("Pôle Alpha", "questionnaire rempli", None), ("Pôle Bêta", "questionnaire rempli", None),
                     ("Pôle Gamma", "questionnaire rempli", "Même pôle, plusieurs questionnaires"),
                     ("Pôle Gamma", "questionnaire rempli", "Même pôle, plusieurs questionnaires")]
    assert result.accepted == 4 and result.rejected == 0
    matrix = sorted((r[0], r[3]) for r in _rows(tmp_path / "s.xlsx", "Matrice"))
    assert matrix == [("Pôle Alpha", 1), ("Pôle Bêta", 2), ("Pôle Gamma", 3), ("Pôle Gamma", 4)]  # never merged
    (flag,) = _rows(tmp_path / "s.xlsx", "À vérifier")
    assert flag[0] == "Même pôle, plusieurs questionnaires" and flag[1] == "c.xlsx\nc_bis.xlsx"
    assert "Pôle Gamma" in flag[2] and "rien n’est fusionné" in flag[2]
    (info,) = _rows(tmp_path / "s.xlsx", "Informations")
    assert info[0] == "a.xlsx" and info[1] == "Pôle Alpha" and "a_resave.xlsx" in info[2]


def test_exported_workbook_reused_under_another_name_is_left_to_a_person(demo, tmp_path):
    db, uuid = demo
    d = tmp_path / "envois"
    d.mkdir()
    export_workbook(db, uuid, d / "lison.xlsx")
    wb = openpyxl.load_workbook(d / "lison.xlsx")
    wb["Profil"]["C4"] = "Pôle voisin"
    wb.save(d / "voisin.xlsx")
    result = consolidate_folder(d, tmp_path / "s.xlsx", workers=1)
    assert result.accepted == 0
    (flag,) = _rows(tmp_path / "s.xlsx", "À vérifier")
    assert flag[0] == "Même identifiant, noms différents" and flag[1] == "lison.xlsx\nvoisin.xlsx"


def test_synthesis_is_usable_as_it_is(synthesis, demo):
    """Unique headers, wrapped long texts, print setup on every table, action plans consolidated."""
    db, uuid = demo
    path = synthesis[1]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Lisez-moi", "Pôles", "Chiffres", "Matrice", "Domaines", "Distribution", "AFOM",
                             "Plan d’action", "À vérifier", "Rejets", "Informations"]
    for ws in wb.worksheets[1:]:
        headers = [c.value for c in ws[3] if c.value is not None]
        assert len(headers) == len(set(headers)), ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == "$3:$3", ws.title
        assert ws.freeze_panes and ws.freeze_panes.endswith("4"), ws.title
    afom = wb["AFOM"]
    assert afom.cell(4, 6).alignment.wrap_text and afom.column_dimensions["F"].width >= 50
    tall = [r for r in range(4, afom.max_row + 1) if len(afom.cell(r, 6).value or "") > 70]
    assert tall and all(afom.row_dimensions[r].height >= 2 * 12.75 for r in tall)
    assert wb["Pôles"].print_area == "'Pôles'!$A$1:$K$" + str(wb["Pôles"].max_row)
    # the action plan of every kept assessment, with its pole, owner, due date, status, priority, links
    expected = snap_mod.load(db, uuid).actions
    rows = [r for r in _rows(path, "Plan d’action") if r[2] == 2026]
    assert [r[4] for r in rows] == [a.title for a in sorted(expected, key=lambda a: a.position)]
    first = rows[0]
    assert first[0] == "Pôle Coop’Vallée du Lison" and first[3] == 1 and first[5] == "Bureau"
    assert first[6].date().isoformat() == "2027-03-31" and first[7] == "À faire" and first[8] == 1
    assert first[9] == "GOV.4" and first[10] == "1"
    assert wb["Plan d’action"].cell(4, 7).number_format == "dd/mm/yyyy"


def test_formula_looking_text_is_kept_as_text(tmp_path, ref):
    from exports.xlsx_export import build_workbook, save_workbook
    from exports.xlsx_template import blank_snapshot
    from tests.helpers.xlsx import HOSTILE

    d = tmp_path / "envois"
    d.mkdir()
    snap = blank_snapshot(ref, "=1+1")
    snap.swot = [__import__("ptce_toolkit.snapshot", fromlist=["SwotData"]).SwotData(
        f"6f1c1c1e-0000-4000-8000-00000000000{i:x}", "S", text, 2, i, []) for i, text in enumerate(HOSTILE)]
    save_workbook(build_workbook(snap, ref), d / "pole.xlsx")
    consolidate_folder(d, tmp_path / "s.xlsx", workers=1)
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    from exports.xlsx_cells import decode_text  # openpyxl leaves OOXML's _xHHHH_ escapes as they are

    plain = [(r, t) for r, t in enumerate(HOSTILE, start=4) if "_x" not in t]  # openpyxl half-decodes _xHHHH_
    assert [decode_text(wb["AFOM"].cell(r, 6).value) for r, _ in plain] == [t for _, t in plain]
    assert all(wb["AFOM"].cell(r, 6).data_type == "s" for r in range(4, 4 + len(HOSTILE)))
    assert wb["Pôles"]["A4"].value == "=1+1" and wb["Pôles"]["A4"].quotePrefix
