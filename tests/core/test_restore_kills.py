"""A restore killed at every step never leaves the user without a base: at the next opening
it is either completed (from the journal on) or forgotten (before), and the base holds
exactly the backup's data or exactly the data it had before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from ptce_toolkit import backup
from ptce_toolkit import services as sv
from ptce_toolkit.db import open_database
from tests.core.test_backup import base as backup_base  # noqa: F401 - a fixture
from tests.core.test_backup import comment_in, edit

ROOT = Path(__file__).resolve().parents[2]
RESTORE = ("import sys; from pathlib import Path; from ptce_toolkit import backup; "
           "backup.restore_backup(Path(sys.argv[1]), Path(sys.argv[2]))")
# where each kill leaves the base once reopened: the backup (completed) or as before
EXPECTED = {"copie": "avant", "journal": "version 1", "journal-a-cote": "version 1",
            "base-de-cote": "version 1", "remplacee": "version 1"}


@pytest.fixture
def base(backup_base):
    """FIN.1 = « version 1 » in the backup, « avant » in the base."""
    path, assessment = backup_base
    made = backup.make_backup(path, reason=backup.MANUAL)
    edit(path, assessment, "avant")
    return path, made, assessment


def _killed_restore(path: Path, made: Path, step: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{backup.KILL_ENV: step})
    return subprocess.run([sys.executable, "-c", RESTORE, str(path), str(made)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_every_step_is_a_declared_kill_point():
    assert tuple(EXPECTED) == backup.RESTORE_STEPS


@pytest.mark.parametrize("step", backup.RESTORE_STEPS)
def test_a_restore_killed_at_each_step_is_completed_or_forgotten(base, step):
    path, made, assessment = base
    proc = _killed_restore(path, made, step)
    assert proc.returncode == -9, proc.stderr  # really killed there
    db = open_database(path, lock=True)  # what the app does at the next start
    try:
        assert sv.get_answers(db, assessment)["FIN.1"].comment == EXPECTED[step]
        with db.connection() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.close()
    leftovers = [p.name for p in path.parent.iterdir() if ".restauration" in p.name]
    assert leftovers == []
    aside = [b for b in backup.list_backups(path) if b.reason == backup.REPLACED]
    if EXPECTED[step] == "version 1":  # the replaced base is kept aside, with its data
        assert len(aside) == 1 and comment_in(aside[0].path) == "avant"
    else:
        assert aside == []


def test_the_cli_reads_a_base_left_by_a_killed_restore(base, capsys):
    path, made, assessment = base
    assert _killed_restore(path, made, "base-de-cote").returncode == -9
    assert not path.exists()  # the window the old code left open: no base at all
    assert main(["--db", str(path), "score", assessment]) == 0
    assert "Indice global" in capsys.readouterr().out
    assert comment_in(path) == "version 1"


def test_a_pending_restore_in_another_process_is_not_touched(base):
    path, made, _ = base
    assert _killed_restore(path, made, "journal").returncode == -9
    holder = subprocess.Popen(  # as if another process were still restoring
        [sys.executable, "-c", "import sys; from ptce_toolkit import instance_lock; "
         "lock = instance_lock.acquire(sys.argv[1]); print('PRET', flush=True); sys.stdin.read()", str(path)],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "PRET"
        with pytest.raises(backup.BackupError, match="restauration .* est en cours"):
            backup.recover_at_opening(Path(path))
        assert backup.restore_pending(path)  # untouched
    finally:
        holder.kill()
        holder.wait()
        holder.stdin.close()
        holder.stdout.close()


def test_a_restore_after_an_interrupted_one_works(base):
    path, made, assessment = base
    assert _killed_restore(path, made, "copie").returncode == -9
    backup.restore_backup(path, made)
    assert comment_in(path) == "version 1"
