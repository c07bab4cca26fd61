"""The network synthesis report: ``ptce consolidate … --rapport synthese.pdf [--anonyme]``."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cli.main import main
from exports.xlsx_export import export_workbook
from ptce_toolkit import services as sv
from tests.helpers.module_env import database_copy, isolated_env

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")

NAMES = ["Ardoise", "Bocage", "Calanque", "Dune", "Estuaire", "Forêt"]
REGIONS = ["Bretagne", "Bretagne", "Occitanie", "Bretagne", "Occitanie", "Corse"]
KINDS = ["rural", "rural", "periurbain", "quartier_prioritaire", "rural", None]
LEVELS = [0, 1, 2, 2, 3, 4]  # GOV: every criterion at this level


def _text(pdf) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def folder(empty_template, tmp_path_factory):
    """The six poles' workbooks and one file that is not a workbook, written once per module
    (consolidating the folder only reads it)."""
    from ptce_toolkit import referential

    with isolated_env(tmp_path_factory, "reseau-envois") as tmp_path:
        ref = referential.default()
        gov = next(d for d in ref.domains if d.id == "GOV")
        fin = next(d for d in ref.domains if d.id == "FIN")
        folder = tmp_path / "envois"
        folder.mkdir()
        with database_copy(empty_template, tmp_path / "poles.sqlite3") as db:
            for i, (name, region, kind, level) in enumerate(zip(NAMES, REGIONS, KINDS, LEVELS)):
                pole = sv.create_pole(db, f"Pôle {name}", region=region).created
                a = sv.create_assessment(db, pole, "Diagnostic 2026").created
                if kind:
                    sv.set_profile_value(db, a, "type_territoire", {"value": kind})
                for c in gov.criteria:
                    sv.set_answer(db, a, c.id, level=level)
                if i < 3:  # FIN only for the first three: levels 4, 4, 4 then none
                    for c in fin.criteria:
                        sv.set_answer(db, a, c.id, level=4)
                sv.add_action(db, a, "Charte de gouvernance", priority=1, criteria=[gov.criteria[0].id])
                sv.add_swot_item(db, a, "W", "Peu de règles écrites", criteria=[gov.criteria[1].id])
                export_workbook(db, a, folder / f"pole_{i}.xlsx")
        (folder / "Pôle Garrigue.xlsx").write_bytes(b"pas un classeur")
    return folder


@pytest.fixture(scope="module")
def anonymised_text(folder, tmp_path_factory):
    """The text of the anonymised synthesis of the folder, made once and read by two tests."""
    with isolated_env(tmp_path_factory, "reseau-anonyme") as tmp_path:
        return _text(_consolidate(folder, tmp_path, "--anonyme"))


def _consolidate(folder, tmp_path, *extra):
    pdf = tmp_path / "synthese.pdf"
    code = main(["--db", str(tmp_path / "reseau.sqlite3"), "consolidate", str(folder), "-o",
                 str(tmp_path / "synthese.xlsx"), "--workers", "1", "--quiet", "--rapport", str(pdf),
                 "--nom-reseau", "Réseau de l’Ouest", *extra])
    assert code == 0
    return pdf


def test_synthesis_report_figures(folder, tmp_path, ref):
    pdf = _consolidate(folder, tmp_path)
    text = _text(pdf)
    flat = " ".join(text.split())  # (NBSP is whitespace to str.split)
    assert "SYNTHÈSE DU RÉSEAU" in text and "Réseau de l’Ouest" in text
    assert "Pôles comparés : 6 pôles" in flat
    # by region: Bretagne 3 (50 %), Occitanie 2 (33 %), Corse 1 (17 %)
    assert "Bretagne 3 50 %" in flat and "Occitanie 2 33 %" in flat and "Corse 1 17 %" in flat
    # completeness: 6 of the 48 criteria (GOV) for three poles, 11 (GOV and FIN) for the others
    assert "médiane 18 %, de 12 % à 23 % ; aucun diagnostic complet." in flat  # 8.5/48, 6/48, 11/48
    assert "rural 3 50 %" in flat and "non renseigné 1 17 %" in flat
    # GOV 0 1 2 2 3 4: median 2,0, quartiles 1,3 – 2,8 (1.25 and 2.75); FIN 4 4 4
    gov_no = [d.id for d in ref.domains].index("GOV") + 1
    gov = next(d for d in ref.domains if d.id == "GOV")
    assert f"{gov_no}. {gov.title} 6 2,0 1,3 – 2,8" in flat
    assert f"1. {ref.domains[0].title} 3 4,0 4,0 – 4,0" in flat
    # heat map: the pole names, each with its GOV score
    for name in NAMES:
        assert f"Pôle {name}" in text
    assert "Fichiers refusés : 1" in flat and "Pôle Garrigue.xlsx" in flat
    assert "6 actions" in flat  # the criterion every pole targets with a high-priority action
    assert f"{gov.short_title} (6)" in flat  # Faiblesses: six items linked to GOV
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts and all(ln.split()[-5] == "yes" for ln in fonts.splitlines()[2:])
    outline = subprocess.run(["qpdf", "--json", "--json-key=outlines", str(pdf)], capture_output=True, text=True)
    if outline.returncode == 0:
        for title in ("Les pôles", "Répartition des scores par domaine", "Pôles × domaines", "Fichiers refusés"):
            assert title in outline.stdout


def test_anonymised_synthesis_names_no_pole(anonymised_text):
    text = anonymised_text
    for name in NAMES + ["Garrigue"]:
        assert name not in text
    for n in range(1, 7):
        assert f"Pôle {n}" in text
    assert "Fichier 1" in text and "version anonymisée" in text


def test_anonyme_needs_rapport(tmp_path, capsys):
    folder = tmp_path / "vide"
    folder.mkdir()
    code = main(["--db", str(tmp_path / "r.sqlite3"), "consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"),
                 "--anonyme"])
    assert code != 0 and "--anonyme ne vaut qu’avec --rapport" in capsys.readouterr().err
    assert not (tmp_path / "s.xlsx").exists()


def test_anonymised_numbering_follows_the_index_not_the_names(anonymised_text):
    """Names and levels rise together (Ardoise 0 … Forêt 4): numbered in alphabetical order,
    « Pôle 1 » would be Ardoise and a reader who knows the network could name every row."""
    text = anonymised_text
    rows = {}
    for line in text.splitlines():
        cells = line.split()
        if len(cells) == 12 and cells[0] == "Pôle" and cells[1].isdigit():
            rows[int(cells[1])] = (cells[2], cells[5], cells[11])  # FIN, GOV, overall index
    assert sorted(rows) == [1, 2, 3, 4, 5, 6]
    # Forêt (GOV 4, no FIN) has the highest index: first; Ardoise (GOV 0, FIN 4, index 2,0) is not.
    assert rows[1] == ("—", "4,0", "4,0")
    overall = [float(rows[n][2].replace(",", ".")) for n in range(1, 7)]
    assert overall == sorted(overall, reverse=True)
    assert sorted(rows.values()) == sorted([("4,0", "0,0", "2,0"), ("4,0", "1,0", "2,5"), ("4,0", "2,0", "3,0"),
                                            ("—", "2,0", "2,0"), ("—", "3,0", "3,0"), ("—", "4,0", "4,0")])
    assert "de l’indice global le plus haut au plus bas" in " ".join(text.split())
