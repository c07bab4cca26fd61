"""Smoke test of the built bundle (``make test-bundle``): the frozen executables, not the
source tree. Nothing here imports the app; everything runs ``dist/ptce-toolkit/…``.

``PTCE_BUNDLE_DIR`` points at another build (for instance one made on an older system).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = Path(os.environ.get("PTCE_BUNDLE_DIR", ROOT / "dist" / "ptce-toolkit"))
EXE = ".exe" if sys.platform == "win32" else ""
CLI, GUI = BUNDLE / f"ptce{EXE}", BUNDLE / f"ptce-toolkit{EXE}"
INTERNAL = BUNDLE / "_internal"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_filters  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def bundle_present():
    if not (CLI.exists() and GUI.exists()):
        pytest.fail(f"pas de bundle dans {BUNDLE} : lancez d’abord « make bundle »")


@pytest.fixture
def env(tmp_path):
    """A user with an empty home: data, settings and caches stay in the test folder."""
    e = {k: v for k, v in os.environ.items() if not k.startswith(("PTCE_", "PYTHON", "QT_"))}
    e.update(PTCE_TOOLKIT_DATA=str(tmp_path / "donnees"), HOME=str(tmp_path / "home"),
             XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
             QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    return e


def run(cmd, env, timeout=120):
    """Run a bundled executable; a traceback on stderr is a failure whatever the exit code."""
    proc = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def ptce(env, *args):
    proc = run([CLI, *args], env)
    assert proc.returncode == 0, f"ptce {' '.join(map(str, args))} → {proc.returncode}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture
def demo(tmp_path, env):
    """Demo pole created by the bundled CLI in a new database (Alembic runs from the bundle)."""
    db = tmp_path / "x.sqlite3"
    uuid = ptce(env, "--db", db, "demo").split()[0]
    return db, uuid


# ----------------------------------------------------------------------------- layout


def test_one_folder_two_executables_sharing_the_libraries():
    assert os.access(CLI, os.X_OK) and os.access(GUI, os.X_OK)
    assert sorted(p.name for p in BUNDLE.iterdir()) == sorted([CLI.name, GUI.name, "_internal"])
    # the Qt and Python libraries exist once, beside both executables
    assert len([p for p in INTERNAL.rglob("*Qt6Core*") if not p.is_symlink()]) == 1
    assert len(list(INTERNAL.glob("*python3*.*"))) >= 1


def test_version_is_the_one_in_pyproject(env):
    assert ptce(env, "--version").strip() == f"PTCE Toolkit {PROJECT['version']}"
    metadata = list(INTERNAL.glob("ptce_toolkit-*.dist-info/METADATA"))
    assert len(metadata) == 1
    assert f"\nVersion: {PROJECT['version']}\n" in metadata[0].read_text(encoding="utf-8")


def test_data_files_shipped_beside_their_modules():
    for source, pattern in (("referential", "*.yaml"), ("referential", "*.json"), ("exports/fonts", "*.ttf"),
                            ("ptce_toolkit/schemas", "*.json"), ("ptce_toolkit/migrations/versions", "0*.py"),
                            ("ui/i18n", "*.qm")):
        wanted = sorted(p.name for p in (ROOT / source).glob(pattern))
        assert sorted(p.name for p in (INTERNAL / source).glob(pattern)) == wanted, source
    assert (INTERNAL / "ptce_toolkit/migrations/env.py").is_file()
    assert list((INTERNAL / "reportlab" / "fonts").glob("*.afm")), "données de ReportLab absentes"


def test_left_out_parts_stay_out():
    files = [p.relative_to(INTERNAL).as_posix() for p in INTERNAL.rglob("*") if p.is_file()]
    assert not [f for f in files if re.search(r"Qt6?(Quick|Qml|WebEngine|VirtualKeyboard|Pdf|Multimedia)", f)]
    assert not [f for f in files if bundle_filters.excluded(f)]
    translations = {Path(f).name for f in files if "/translations/" in f}
    assert "qtbase_fr.qm" in translations and len(translations) <= 5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd : Linux seulement")
def test_every_library_finds_its_dependencies():
    """Each shared object resolves its libraries from the bundle or from the system; what
    is missing here (say, a Qt library dropped by the filters) would crash at start-up."""
    missing = {}
    for lib in [p for p in INTERNAL.rglob("*.so*") if p.is_file()] + [CLI, GUI]:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True,
                             env={"LD_LIBRARY_PATH": f"{INTERNAL}:{INTERNAL / 'PySide6/Qt/lib'}"}).stdout
        absent = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if absent:
            missing[lib.relative_to(BUNDLE).as_posix()] = absent
    assert missing == {}


# ----------------------------------------------------------------------------- CLI


def test_cli_demo_report_workbook_and_reimport(tmp_path, env, demo):
    db, uuid = demo
    pdf, xlsx, other = tmp_path / "rapport.pdf", tmp_path / "classeur.xlsx", tmp_path / "y.sqlite3"
    pole = json.loads(ptce(env, "--db", db, "poles", "--json"))[0]["name"]

    ptce(env, "--db", db, "report", uuid, "-o", pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
        assert pole in text
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
        assert "DejaVuSans" in fonts  # the app's font travelled with the bundle

    ptce(env, "--db", db, "export", uuid, "--xlsx", xlsx)
    assert xlsx.read_bytes()[:2] == b"PK"
    imported = ptce(env, "--db", other, "import", xlsx).split()[0]
    assert imported == uuid
    assert ptce(env, "--db", other, "score", uuid, "--json") == ptce(env, "--db", db, "score", uuid, "--json")
    # the new database went through the shipped migrations up to the last revision
    revisions = sorted(p.stem.split("_")[0] for p in (ROOT / "ptce_toolkit/migrations/versions").glob("0*.py"))
    with sqlite3.connect(other) as con:
        assert con.execute("select version_num from alembic_version").fetchone()[0] == revisions[-1]


def test_cli_json_round_trip(tmp_path, env, demo):
    db, uuid = demo
    doc = tmp_path / "evaluation.json"
    ptce(env, "--db", db, "export", uuid, "--json", doc)
    assert json.loads(doc.read_text(encoding="utf-8"))["format"] == "ptce-assessment"
    assert ptce(env, "--db", tmp_path / "z.sqlite3", "import", doc).split()[0] == uuid


@pytest.mark.skipif(not (ROOT / "exports" / "consolidate.py").exists(), reason="consolidation pas encore écrite")
def test_cli_consolidates_with_worker_processes(tmp_path, env, demo):
    """Two workers: in a frozen app the worker processes re-run the executable."""
    db, uuid = demo
    folder = tmp_path / "reseau"
    folder.mkdir()
    ptce(env, "--db", db, "export", uuid, "--xlsx", folder / "pole.xlsx")
    out = tmp_path / "synthese.xlsx"
    ptce(env, "consolidate", folder, "-o", out, "--workers", "2", "--quiet")
    assert out.read_bytes()[:2] == b"PK"


def test_cli_error_is_one_french_sentence(tmp_path, env):
    proc = run([CLI, "--db", tmp_path / "vide.sqlite3", "report", "0000", "-o", tmp_path / "r.pdf"], env)
    assert proc.returncode != 0
    assert proc.stderr.startswith("Erreur")


# ----------------------------------------------------------------------------- GUI


def smoke_gui(env, *args) -> dict:
    """Start the bundled app with its smoke-test hook (packaging/launch_gui.py)."""
    report = Path(env["HOME"]).parent / "fenetre.json"
    proc = run([GUI, *args], dict(env, PTCE_TOOLKIT_SMOKE_TEST=str(report)), timeout=90)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def test_gui_shows_the_main_window_on_the_demo(env, demo):
    db, uuid = demo
    pole = json.loads(ptce(env, "--db", db, "poles", "--json"))[0]["name"]
    shown = smoke_gui(env, "--db", db, "--assessment", uuid)
    assert shown["shown"] and shown["loaded"] and not shown["failed"]
    assert pole in shown["title"]
    assert shown["tabs"] >= 5  # profile, walk-through, SWOT, options, action plan…
    assert shown["version"] == PROJECT["version"]  # what « À propos » shows, from the bundled metadata


def test_gui_starts_on_a_new_database(tmp_path, env):
    """First start of a new user: the frozen app creates and migrates its database."""
    db = tmp_path / "neuve.sqlite3"
    shown = smoke_gui(env, "--db", db)
    assert shown["shown"] and shown["loaded"] and not shown["failed"]
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from alembic_version").fetchone()[0] == 1
