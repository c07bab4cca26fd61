"""The command line: scripted use, one-sentence French errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_cli(tmp_path, capsys):
    dbp = str(tmp_path / "cli.sqlite3")
    code, out, _ = run(capsys, "--db", dbp, "demo")
    assert code == 0
    return dbp, out.strip()


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


def test_export_import_round_trip_same_scores(demo_cli, tmp_path, capsys):
    dbp, uuid = demo_cli
    target = tmp_path / "echange.json"
    assert run(capsys, "--db", dbp, "export", uuid, "--json", str(target))[0] == 0
    other = str(tmp_path / "autre.sqlite3")
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
