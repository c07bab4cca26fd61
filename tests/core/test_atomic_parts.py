"""Temporary ``.part`` files left by a killed export are cleaned at the next write to that
folder — only ours, never anyone else's files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ptce_toolkit import atomic

ROOT = Path(__file__).resolve().parents[2]

KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from ptce_toolkit import atomic
    with atomic.atomic_path(sys.argv[1]) as tmp:
        tmp.write_bytes(b"%PDF-1.4 half")
        print(tmp, flush=True)
        time.sleep(60)  # killed here, between the write and the rename
""")


def _killed_export(target: Path) -> Path:
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    part = Path(proc.stdout.readline().strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    return part


def test_a_killed_export_leaves_a_part_that_the_next_write_removes(tmp_path):
    target = tmp_path / "rapport.pdf"
    part = _killed_export(target)
    assert part.exists() and part.parent == tmp_path and not target.exists()
    atomic.write_bytes(tmp_path / "classeur.xlsx", b"PK")  # another file, same folder
    assert not part.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classeur.xlsx"]


def test_other_files_are_never_touched(tmp_path):
    old = time.time() - 10 * 24 * 3600
    others = {
        "notes.part": b"x",                                    # not hidden
        ".rapport.pdf.part": b"x",                             # no random part
        ".rapport.pdf.ABCDEFGH.part": b"x",                    # not mkstemp's alphabet
        ".rapport.pdf.ptce-zzzzzzzz-1-abc.part": b"x",         # not our host tag
        "rapport.pdf": b"x",
    }
    for name, data in others.items():
        (tmp_path / name).write_bytes(data)
        os.utime(tmp_path / name, (old, old))
    alive = tmp_path / f".a.pdf.ptce-{atomic._host_tag()}-{os.getppid()}-abcdefgh.part"  # a running writer
    alive.write_bytes(b"en cours")
    recent_elsewhere = tmp_path / ".b.pdf.ptce-0123abcd-4242-abcdefgh.part"  # another machine, today
    recent_elsewhere.write_bytes(b"en cours ailleurs")
    folder_like_ours = tmp_path / f".c.pdf.ptce-{atomic._host_tag()}-999999-abcdefgh.part"
    folder_like_ours.mkdir()
    link = tmp_path / f".d.pdf.ptce-{atomic._host_tag()}-999999-abcdefgh.part"
    link.symlink_to(tmp_path / "rapport.pdf")
    legacy_recent = tmp_path / ".e.pdf.abcdefgh.part"
    legacy_recent.write_bytes(b"x")
    legacy_old = tmp_path / ".f.pdf.abcdefgh.part"
    legacy_old.write_bytes(b"x")
    os.utime(legacy_old, (old, old))
    dead_here = tmp_path / f".g.pdf.ptce-{atomic._host_tag()}-999999999-abcdefgh.part"
    dead_here.write_bytes(b"x")
    removed = atomic.clean_stale_parts(tmp_path)
    assert sorted(p.name for p in removed) == sorted([legacy_old.name, dead_here.name])
    for name in others:
        assert (tmp_path / name).exists(), name
    for p in (alive, recent_elsewhere, folder_like_ours, link, legacy_recent):
        assert p.exists() or p.is_symlink(), p


def test_a_part_from_another_machine_is_removed_after_a_day(tmp_path):
    part = tmp_path / ".b.pdf.ptce-0123abcd-4242-abcdefgh.part"
    part.write_bytes(b"x")
    two_days = time.time() - 2 * 24 * 3600
    os.utime(part, (two_days, two_days))
    assert atomic.clean_stale_parts(tmp_path) == [part]


@pytest.mark.parametrize("target, words", [
    ("", "Nom de fichier vide ou invalide"),
    (".", "Nom de fichier vide ou invalide"),
    ("{tmp}", "est un dossier"),
])
def test_a_target_that_is_no_file_name_is_refused_in_french(tmp_path, target, words):
    before = sorted(tmp_path.iterdir())
    with pytest.raises(atomic.TargetError, match=words):
        atomic.write_bytes(target.format(tmp=tmp_path), b"x")
    assert sorted(tmp_path.iterdir()) == before
