"""Single instance: a second app on the same base is told who holds it; a crashed one
never leaves the base locked."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ptce_toolkit import instance_lock
from ptce_toolkit.db import open_database
from ptce_toolkit.instance_lock import AlreadyOpen

ROOT = Path(__file__).resolve().parents[2]

# A second process that holds the base until told to stop (stdin closed).
HOLDER = textwrap.dedent("""
    import sys
    from ptce_toolkit.db import open_database
    db = open_database(sys.argv[1], lock=True)
    print("PRET", flush=True)
    sys.stdin.read()
    db.close()
""")


@pytest.fixture
def other_process(tmp_path, empty_template):
    """Start another app process holding tmp_path/base.sqlite3 (a copy of the empty base: the
    process starts without running the migrations); yields (path, start)."""
    path = tmp_path / "base.sqlite3"
    shutil.copyfile(empty_template, path)
    procs = []

    def start():
        p = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        procs.append(p)
        assert p.stdout.readline().strip() == "PRET"
        return p

    yield path, start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stdin.close()
        p.stdout.close()


def test_a_second_process_is_told_who_holds_the_base(other_process):
    path, start = other_process
    holder_proc = start()
    with pytest.raises(AlreadyOpen) as err:
        open_database(path, lock=True)
    info = err.value.info
    assert info.pid == holder_proc.pid
    assert info.host == socket.gethostname()
    assert info.started_at.endswith("Z")
    message = str(err.value)
    assert "déjà ouverte" in message and str(holder_proc.pid) in message and socket.gethostname() in message
    assert instance_lock.holder(path).pid == holder_proc.pid  # what the GUI uses to bring it forward
    # the lock file says the same thing, for humans too
    content = json.loads(instance_lock.lock_path(path).read_text(encoding="utf-8"))
    assert content["pid"] == holder_proc.pid


def test_the_base_is_free_again_when_the_other_closes_it(other_process):
    path, start = other_process
    p = start()
    p.stdin.close()
    assert p.wait(timeout=30) == 0
    assert not instance_lock.lock_path(path).exists()
    assert instance_lock.holder(path) is None
    db = open_database(path, lock=True)
    assert db.lock.recovered is None  # closed properly: nothing to recover
    db.close()


def test_a_killed_holder_leaves_no_lock_behind(other_process):
    path, start = other_process
    p = start()
    p.kill()
    p.wait()
    assert instance_lock.lock_path(path).exists()  # the dead process could not clean up...
    db = open_database(path, lock=True)  # ...but its lock died with it
    try:
        assert db.lock.recovered.pid == p.pid
    finally:
        db.close()


def test_the_same_process_may_open_the_base_twice(tmp_path, empty_template):
    shutil.copyfile(empty_template, tmp_path / "b.sqlite3")
    first = open_database(tmp_path / "b.sqlite3", lock=True)
    second = open_database(tmp_path / "b.sqlite3", lock=True)
    second.close()
    assert instance_lock.held_here(first.path)  # still held for the first one
    first.close()
    assert not instance_lock.held_here(first.path)
    assert not instance_lock.lock_path(first.path).exists()


def test_a_damaged_or_refused_base_releases_the_lock(tmp_path):
    path = tmp_path / "abimee.sqlite3"
    path.write_bytes(b"ceci n'est pas une base" * 100)
    from ptce_toolkit.integrity import DamagedDatabase

    with pytest.raises(DamagedDatabase):
        open_database(path, lock=True)
    assert not instance_lock.held_here(path)
    assert not instance_lock.lock_path(path).exists()


# ----------------------------------------------------------- file systems without locking


@pytest.fixture
def no_os_locking(monkeypatch):
    def refuse(fd):
        raise OSError(errno.ENOLCK, "pas de verrou sur ce système de fichiers")

    monkeypatch.setattr(instance_lock, "_os_lock", refuse)


def _write_lock(path: Path, pid: int, host: str) -> None:
    instance_lock.lock_path(path).write_text(
        json.dumps({"pid": pid, "host": host, "started_at": "2026-11-23T08:00:00Z", "version": "0.1.0"}))


def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_without_os_locking_a_lock_of_a_dead_process_is_taken_over(tmp_path, no_os_locking):
    path = tmp_path / "b.sqlite3"
    dead = _dead_pid()
    assert not instance_lock.pid_alive(dead)
    _write_lock(path, dead, socket.gethostname())
    lock = instance_lock.acquire(path)
    try:
        assert lock.recovered.pid == dead
        assert instance_lock.read_lock(path).pid == os.getpid()
    finally:
        lock.release()
    assert not instance_lock.lock_path(path).exists()


def test_without_os_locking_a_live_process_keeps_its_lock(tmp_path, no_os_locking):
    path = tmp_path / "b.sqlite3"
    live = subprocess.Popen(["sleep", "60"])
    try:
        _write_lock(path, live.pid, socket.gethostname())
        with pytest.raises(AlreadyOpen) as err:
            instance_lock.acquire(path)
        assert err.value.info.pid == live.pid
    finally:
        live.kill()
        live.wait()


def test_without_os_locking_another_computer_is_never_second_guessed(tmp_path, no_os_locking):
    """We cannot see processes of another computer sharing the folder: assume it is alive."""
    path = tmp_path / "b.sqlite3"
    _write_lock(path, _dead_pid(), "poste-du-secretariat")
    with pytest.raises(AlreadyOpen) as err:
        instance_lock.acquire(path)
    assert "poste-du-secretariat" in str(err.value)


def test_lock_info_reads_in_french():
    info = instance_lock.LockInfo(4242, "bureau", "2026-11-23T09:30:00Z", "0.1.0")
    text = info.describe()
    assert "processus 4242" in text and "«\u00a0bureau\u00a0»" in text and "novembre 2026" in text


# ----------------------------------------------------------------------------- the CLI


def test_cli_commands_that_write_are_refused_while_the_app_has_the_base(other_process, capsys):
    from cli.main import main

    path, start = other_process
    holder_proc = start()
    assert main(["--db", str(path), "demo"]) != 0
    err = capsys.readouterr().err
    assert "déjà ouverte" in err and str(holder_proc.pid) in err and "Traceback" not in err
    assert main(["--db", str(path), "poles"]) == 0  # reading does not disturb the app


def test_cli_releases_the_lock_when_the_command_ends(tmp_path, empty_template):
    from cli.main import main

    path = tmp_path / "b.sqlite3"
    shutil.copyfile(empty_template, path)
    assert main(["--db", str(path), "demo"]) == 0
    assert not instance_lock.held_here(path)
    assert not instance_lock.lock_path(path).exists()
