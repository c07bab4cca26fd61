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


def _rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [r for r in ws.iter_rows(min_row=4, values_only=True)]


def _fill(template, out, pole, level):
    wb = openpyxl.load_workbook(template)
    wb["Profil"]["C4"] = pole
    wb["Réponses"]["D4"] = level
    wb.save(out)
    return out


@pytest.fixture
def folder(demo, tmp_path):
    db, uuid = demo
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
    (d / "abime.xlsx").write_bytes((d / "lison_2025.xlsx").read_bytes()[:3000])
    wb = openpyxl.load_workbook(d / "lison_2025.xlsx")
    wb["Réponses"]["D7"] = "2-3"
    wb["_meta"]["B9"] = "5e0c7c1e-0000-4000-8000-000000000009"  # another assessment, with a defect
    wb.save(d / "ambigu.xlsx")
    return d


def test_synthesis_of_a_folder(folder, tmp_path, demo, ref):
    db, uuid = demo
    seen = []
    result = consolidate_folder(folder, tmp_path / "synthese.xlsx", progress=lambda d, t, n: seen.append((d, t, n)),
                                workers=1)
    assert seen[-1][0] == seen[-1][1] == 9 and len(seen) == 9
    # kept: Lison 2026, Lison 2025, the namesake and the two poles that filled one campaign questionnaire
    assert result.accepted == 5
    poles = _rows(tmp_path / "synthese.xlsx", "Pôles")
    assert sorted((r[0], r[2] or 0) for r in poles) == [("Pôle Coop’Vallée du Lison", 0),
                                                        ("Pôle Coop’Vallée du Lison", 2025),
                                                        ("Pôle Coop’Vallée du Lison", 2026),
                                                        ("Pôle des Deux Rives", 0), ("Pôle des Hauts", 0)]
    rejets = {(r[0], r[2], r[3]): r[1] for r in _rows(tmp_path / "synthese.xlsx", "Rejets")}
    assert "copie exacte de «\u00a0lison_2026.xlsx\u00a0»" in rejets[("region/lison_copie.xlsx", None, None)]
    assert "pas un classeur" in rejets[("rapport.pdf", None, None)]
    assert "tronquée" in rejets[("abime.xlsx", None, None)]
    assert "ambigu" in rejets[("ambigu.xlsx", "Réponses", "D7")]
    flags = _rows(tmp_path / "synthese.xlsx", "À vérifier")
    kinds = {f[0]: f[1] for f in flags}
    assert "Même identifiant, noms différents" not in kinds
    assert "homonyme.xlsx" in kinds["Même nom, identifiants différents"]
    # the domain scores are the app's scores, not recomputed differently
    expected = scoring.score(ref, snap_mod.load(db, uuid).answers)
    row = next(r for r in _rows(tmp_path / "synthese.xlsx", "Domaines") if r[2] == 2026)
    assert row[3:3 + len(ref.domains)] == tuple(pytest.approx(expected.domains[d.id].score) for d in ref.domains)
    dist = {r[0]: r for r in _rows(tmp_path / "synthese.xlsx", "Distribution")}
    assert dist["COO.6"][7] == 2 and dist["FIN.2"][9] == 3  # sans objet both years; FIN.2 left blank in the three filled questionnaires


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
    (reason,) = [r[1] for r in _rows(tmp_path / "s.xlsx", "Rejets") if r[0] == "ancien.xlsx"]
    assert "plus récente" in reason and "nouveau.xlsx" in reason


def test_same_folder_same_bytes_even_in_parallel(folder, tmp_path):
    consolidate_folder(folder, tmp_path / "a.xlsx", workers=1)
    consolidate_folder(folder, tmp_path / "b.xlsx", workers=2, chunk=1)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_cli_consolidate(folder, tmp_path, capsys):
    from cli.main import main

    assert main(["consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"), "--quiet"]) == 0
    assert "5 classeur(s) consolidé(s)" in capsys.readouterr().out


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
