"""The command line: scripted use, one-sentence French errors, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from tests.helpers.shared import built_once

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_cli(tmp_path, tmp_path_factory, capsys):
    """(copy of the base written by ``ptce demo``, uuid it printed); the command runs once per session."""
    def build(folder):
        code, out, _ = run(capsys, "--db", str(folder / "cli.sqlite3"), "demo")
        assert code == 0
        assert not (folder / "cli.sqlite3-wal").exists(), "la base modèle doit être complète en un seul fichier"
        return out.strip()

    folder, uuid = built_once(tmp_path_factory, "cli-demo", build)
    dbp = tmp_path / "cli.sqlite3"
    shutil.copyfile(folder / "cli.sqlite3", dbp)
    return str(dbp), uuid


def test_demo_poles_assessments_score(demo_cli, capsys):
    dbp, uuid = demo_cli
    code, out, _ = run(capsys, "--db", dbp, "poles")
    assert code == 0 and "Pôle Coop’Vallée du Lison" in out
    code, out, _ = run(capsys, "--db", dbp, "assessments", "--json")
    items = json.loads(out)
    assert {a["title"] for a in items} == {"Diagnostic 2025", "Diagnostic 2026"}
    assert all(a["answered"] == 48 for a in items)  # every criterion of the demo has a response
    code, out, _ = run(capsys, "--db", dbp, "score", uuid[:8], "--json")
    scores = json.loads(out)
    assert code == 0
    assert set(scores) >= {"domains", "overall", "completion", "counts", "distribution"}
    assert scores["counts"]["unanswered"] == 0
    assert scores["counts"]["not_applicable"] >= 1 and scores["counts"]["unknown"] >= 1
    code, out, _ = run(capsys, "--db", dbp, "score", uuid)
    assert "Indice global" in out and "," in out  # French decimal comma


def test_export_import_round_trip_same_scores(demo_cli, tmp_path, capsys, empty_template):
    dbp, uuid = demo_cli
    target = tmp_path / "echange.json"
    assert run(capsys, "--db", dbp, "export", uuid, "--json", str(target))[0] == 0
    other = str(shutil.copyfile(empty_template, tmp_path / "autre.sqlite3"))
    code, out, err = run(capsys, "--db", other, "import", str(target))
    assert code == 0 and out.strip() == uuid and "créée" in err
    s1 = json.loads(run(capsys, "--db", dbp, "score", uuid, "--json")[1])
    s2 = json.loads(run(capsys, "--db", other, "score", uuid, "--json")[1])
    assert s1 == s2


@pytest.mark.parametrize("args, words", [
    (["score", "ffffffff"], "Aucune évaluation ne correspond"),
    (["import", "/nulle/part.json"], "introuvable"),
    (["export", "ffff", "--json", "x.json"], "Aucune évaluation"),
])
def test_errors_are_one_french_sentence_and_nonzero(demo_cli, capsys, args, words):
    dbp, _ = demo_cli
    code, out, err = run(capsys, "--db", dbp, *args)
    assert code != 0
    assert words in err and err.startswith("Erreur")
    assert "Traceback" not in err


def test_refused_import_exits_2_and_writes_nothing(demo_cli, tmp_path, capsys):
    dbp, uuid = demo_cli
    bad = tmp_path / "mauvais.json"
    bad.write_text('{"format": "ptce-assessment", "format_version": 99}', encoding="utf-8")
    before = run(capsys, "--db", dbp, "assessments", "--json")[1]
    code, _, err = run(capsys, "--db", dbp, "import", str(bad))
    assert code == 2 and "plus récent" in err
    assert run(capsys, "--db", dbp, "assessments", "--json")[1] == before


def test_env_variable_selects_the_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PTCE_TOOLKIT_DB", str(tmp_path / "env.sqlite3"))
    assert run(capsys, "demo")[0] == 0
    assert (tmp_path / "env.sqlite3").exists()


def test_score_command_needs_no_sqlalchemy(demo_cli):
    """``ptce score`` stays fast because it imports neither SQLAlchemy nor Qt."""
    dbp, uuid = demo_cli
    code = ("import sys; from cli.main import main; rc = main(['--db', %r, 'score', %r]); "
            "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'PySide6', 'reportlab', 'openpyxl') "
            "if m in sys.modules); print(rc, heavy)") % (dbp, uuid)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr


def test_consolidate_command_needs_no_sqlalchemy(demo_cli, tmp_path):
    """``ptce consolidate`` reads workbooks and writes one: no database, so neither SQLAlchemy nor
    SQLModel (≈ 0,35 s of start-up), nor Qt; the workers forked from it inherit none either."""
    from exports.xlsx_export import export_workbook
    from ptce_toolkit.db import open_database

    dbp, uuid = demo_cli
    folder = tmp_path / "envois"
    folder.mkdir()
    export_workbook(open_database(dbp), uuid, folder / "pole.xlsx")
    code = ("import sys; from cli.main import main; rc = main(['consolidate', %r, '-o', %r]); "
            "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'PySide6') if m in sys.modules); "
            "print(rc, heavy)") % (str(folder), str(tmp_path / "synthese.xlsx"))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr
    assert (tmp_path / "synthese.xlsx").stat().st_size > 0


def test_report_path_needs_neither_sqlalchemy_nor_qt(demo_cli, tmp_path):
    """``ptce report`` reads with sqlite3 like ``ptce score`` (issue 17): whole process ≤ 0.5 s.
    Nor does it load Pillow (PIL._imaging), nor compile ReportLab's URL pattern (a ReportLab
    upgrade that changes it shows here): the report needs neither."""
    dbp, uuid = demo_cli
    target = tmp_path / "rapport.pdf"
    code = ("import sys; from cli.main import main; rc = main(['--db', %r, 'report', %r, '-o', %r]); "
            "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'PySide6', 'shiboken6', 'openpyxl', "
            "'PIL._imaging') if m in sys.modules); "
            "uri = sys.modules['reportlab.platypus.paragraph'].uri_pat; "
            "print(rc, heavy, type(uri).__name__, uri._compiled)") % (dbp, uuid[:8], str(target))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "0 [] _LazyPattern None", out.stderr
    subprocess.run(["qpdf", "--check", str(target)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Diagnostic 2026" in text and "Évolution" in text  # compared with last year's, read the same way


def test_report_all_writes_one_valid_pdf_per_assessment_named_by_pole_and_year(demo_cli, tmp_path, capsys):
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database

    dbp, _ = demo_cli
    db = open_database(dbp)
    pole = sv.create_pole(db, "Pôle A/B : « test »").created
    for title, start in (("Printemps", "2026-03-01"), ("Automne", "2026-10-01")):
        sv.create_assessment(db, pole, title, started_on=start).created
    db.close()
    folder = tmp_path / "rapports"
    code, out, err = run(capsys, "--db", dbp, "report", "--tous", "-o", str(folder))
    assert code == 0, err
    expected = {"Pôle Coop’Vallée du Lison 2025.pdf": "Diagnostic 2025", "Pôle Coop’Vallée du Lison 2026.pdf":
                "Diagnostic 2026", "Pôle A B « test » 2026.pdf": "Printemps", "Pôle A B « test » 2026 (2).pdf": "Automne"}
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    for name, title in expected.items():
        subprocess.run(["qpdf", "--check", str(folder / name)], check=True, capture_output=True)
        text = subprocess.run(["pdftotext", str(folder / name), "-"], capture_output=True, text=True).stdout
        assert title in text, name
    assert [line.split(" ", 1)[0] for line in err.splitlines()[:4]] == ["1/4", "2/4", "3/4", "4/4"]
    assert "4 rapports écrits" in err


@pytest.mark.parametrize("args", [["report", "-o", "x.pdf"], ["report", "abcd", "--tous", "-o", "dossier"]])
def test_report_needs_one_assessment_or_all(demo_cli, tmp_path, capsys, monkeypatch, args):
    dbp, _ = demo_cli
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--db", dbp, *args)
    assert code != 0 and err.startswith("Erreur") and "--tous" in err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "dossier").exists()


def test_nouvelle_carries_an_assessment_over_to_another_version(demo_cli, tmp_path, capsys):
    dbp, uuid = demo_cli
    code, out, err = run(capsys, "--db", dbp, "nouvelle", uuid[:8], "--version", "2.0.0", "--titre", "Diagnostic 2027")
    new = out.strip()
    assert code == 0 and new != uuid
    assert "référentiel 2.0.0 (depuis 1.0.0)" in err and "propositions à confirmer" in err and "(s)" not in err
    code, out, _ = run(capsys, "--db", dbp, "assessments", "--json")
    assert {a["title"] for a in json.loads(out)} == {"Diagnostic 2025", "Diagnostic 2026", "Diagnostic 2027"}
    assert run(capsys, "--db", dbp, "export", new, "--json", str(tmp_path / "n.json"))[0] == 0
    answers = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["answers"]
    assert any(a.get("to_confirm") for a in answers) and all(a["carried_from"].startswith("1.0.0:") for a in answers)
    code, out, err = run(capsys, "--db", dbp, "nouvelle", uuid, "--version", "9.9.9")
    assert code == 1 and not out and err.startswith("Erreur\u00a0: ") and "9.9.9" in err and "n’est pas installé" in err
    code, out, err = run(capsys, "--db", dbp, "nouvelle", uuid, "--version", "1.0.0")
    assert code == 0 and "recopiée" in err
