"""Crash safety: the app is killed (SIGKILL) while answers are being saved; every
acknowledged answer must be found afterwards, in an intact base.

The harness lives in bench/crash_soak.py (``--kills 200`` for the long run); here it
runs a quick 20-kill version.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from ptce_toolkit import services as sv
from ptce_toolkit.db import open_database

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="le banc d’arrêts brutaux utilise fork (POSIX)")]


@pytest.fixture
def bench_folder(tmp_path, empty_template):
    """A folder for the harness, its base (bench/crash_soak.py's « crash.sqlite3 ») already at the current
    schema: a copy of the session's empty base instead of running every migration for each test."""
    folder = tmp_path / "banc"
    folder.mkdir()
    shutil.copyfile(empty_template, folder / "crash.sqlite3")
    return folder


@pytest.fixture(scope="module")
def harness():
    path = Path(__file__).resolve().parents[2] / "bench" / "crash_soak.py"
    spec = importlib.util.spec_from_file_location("crash_soak", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_soak"] = module
    spec.loader.exec_module(module)
    return module


def test_twenty_kills_lose_no_acknowledged_answer(harness, bench_folder):
    report = harness.soak(20, bench_folder, seed=20261123)
    print("\n" + report.summary())
    assert report.losses == [], report.summary()
    assert report.kills == 20
    # the kills really landed in the middle of work, not only before or after it
    assert sum(r.acknowledged > 0 for r in report.rounds) >= 10, report.summary()
    assert {r.phase for r in report.rounds} == {"ouverture", "saisie"}
    assert report.acknowledged > 100
    # the dead child's lock never blocked the next opening
    assert sum(r.lock_recovered for r in report.rounds) >= 10, report.summary()


def test_the_checker_notices_a_lost_answer(harness, bench_folder):
    """A harness that cannot fail proves nothing: change one acknowledged answer behind
    its back and it must report it."""
    db_path, assessment, criteria = harness.prepare(bench_folder)
    assert db_path == bench_folder / "crash.sqlite3"  # the copied base is the one the harness uses
    gen = harness.edit_sequence(5, criteria)
    edits = [next(gen) for _ in range(30)]
    db = open_database(db_path)
    for e in edits[:29]:
        sv.set_answer(db, assessment, e["criterion"], **{k: v for k, v in e.items() if k != "criterion"})
    db.close()
    victim = edits[10]["criterion"]
    con = sqlite3.connect(db_path)
    con.execute("UPDATE answer SET comment = comment || ' (altéré)' WHERE criterion_id = ?", (victim,))
    con.commit()
    con.close()

    honest = harness.Round(seed=5, phase="saisie")
    harness.verify(db_path, assessment, {}, edits, 29, honest)
    assert any(victim in p for p in honest.problems)


def test_every_commit_reaches_the_disk_before_it_is_acknowledged(db):
    """WAL with synchronous=NORMAL may lose the last commits on power loss; FULL does not."""
    with db.connection() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    # the answers' own path (plain sqlite3, no SQLAlchemy) has the same settings
    with db.writing() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_wal_left_by_a_killed_process_is_replayed_on_opening(harness, bench_folder):
    """The last commits of a killed process live only in the -wal file; reopening (and the
    start-up backup) must see them."""
    db_path, assessment, criteria = harness.prepare(bench_folder)
    assert db_path == bench_folder / "crash.sqlite3"  # the copied base is the one the harness uses
    pid = os.fork()
    if pid == 0:  # child: commit, then die without closing anything
        try:
            child = open_database(db_path, lock=True)
            sv.set_answer(child, assessment, "FIN.1", level=3, comment="écrit puis tué")
        finally:
            os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    assert Path(f"{db_path}-wal").stat().st_size > 0
    db = open_database(db_path, lock=True, startup_backup=True)
    try:
        assert sv.get_answers(db, assessment)["FIN.1"].comment == "écrit puis tué"
        assert db.startup_backup is not None
    finally:
        db.close()
    con = sqlite3.connect(db.startup_backup)
    try:
        assert con.execute("SELECT comment FROM answer WHERE criterion_id='FIN.1'").fetchone()[0] == "écrit puis tué"
    finally:
        con.close()
