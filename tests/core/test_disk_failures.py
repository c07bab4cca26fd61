"""Disk full, read-only folder, base locked by another program, files cut short.

Each case: the save fails with a French message (``SaveError``), nothing half-written
is left, the caller still holds the edit, and the same call succeeds once the cause
is gone.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import event

from ptce_toolkit import atomic, exchange, save_errors
from ptce_toolkit import services as sv
from ptce_toolkit.db import open_database
from ptce_toolkit.save_errors import SaveError

NB = "\u00a0"


def assert_french(message: str) -> None:
    """Typography of the product: ’ not ', no-break space before ; : ! ? and inside « »."""
    assert "'" not in message, message
    for mark in (";", ":", "!", "?", "»"):
        for i, ch in enumerate(message):
            if ch == mark and i > 0 and message[i - 1] == " ":
                pytest.fail(f"espace ordinaire avant «{NB}{mark}{NB}»{NB}: {message}")
    assert "« " not in message, message


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "dossier" / "pole.sqlite3"
    db = open_database(path)
    pole = sv.create_pole(db, "Pôle des pannes").created
    assessment = sv.create_assessment(db, pole, "Diagnostic").created
    sv.set_answer(db, assessment, "FIN.1", level=1, comment="avant la panne")
    yield db, assessment
    db.close()


def stored(db, assessment):
    a = sv.get_answers(db, assessment)["FIN.1"]
    return a.level, a.comment


# ------------------------------------------------------------------------------ disk full


def test_disk_full_then_space_freed(base):
    db, assessment = base
    with db.connection() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_conn, _record):  # the disk holds not one page more than the base uses now
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    event.listen(db.engine, "connect", cap)
    db.dispose()
    with db.reading() as plain:  # the answers' own connection (plain sqlite3)
        cap(plain, None)
    edit = {"level": 4, "comment": "un long compte rendu d’atelier " * 1000}  # ≈ 31 000 characters: 8 pages
    with pytest.raises(SaveError) as err:
        sv.set_answer(db, assessment, "FIN.1", **edit)
    assert err.value.kind == save_errors.FULL
    message = str(err.value)
    assert "est plein" in message and "reste affichée" in message and "Libérez de l’espace" in message
    assert_french(message)
    assert stored(db, assessment) == (1, "avant la panne")  # nothing half-written

    event.remove(db.engine, "connect", cap)  # space freed
    db.dispose()
    sv.set_answer(db, assessment, "FIN.1", **edit)  # the caller kept the edit: same call again
    assert stored(db, assessment) == (4, edit["comment"])


# ------------------------------------------------------------------------ read-only folder


def _freeze(folder: Path) -> None:
    """Make the folder refuse writes, also for root (who ignores permission bits)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
            pytest.skip("impossible de rendre un dossier non modifiable pour root ici")
    else:
        folder.chmod(0o555)


def _thaw(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o755)


def test_read_only_folder_then_writable_again(base):
    db, assessment = base
    folder = db.path.parent
    db.dispose()  # the next save opens a new connection, as after a pause or a resume
    _freeze(folder)
    try:
        with pytest.raises(SaveError) as err:
            sv.set_answer(db, assessment, "FIN.1", level=3, comment="pendant la panne")
        assert err.value.kind == save_errors.READ_ONLY
        message = str(err.value)
        assert "lecture seule" in message and str(folder) in message and "reste affichée" in message
        assert_french(message)
        with pytest.raises(SaveError) as at_open:  # the same folder at start-up
            open_database(db.path)
        assert at_open.value.kind == save_errors.READ_ONLY and "n’a pas été ouverte" in str(at_open.value)
    finally:
        _thaw(folder)
    sv.set_answer(db, assessment, "FIN.1", level=3, comment="pendant la panne")
    assert stored(db, assessment) == (3, "pendant la panne")


def test_missing_folder_is_not_called_read_only(tmp_path):
    err = save_errors.from_exception(sqlite3.OperationalError("unable to open database file"),
                                     tmp_path / "debranche" / "pole.sqlite3")
    assert err.kind == save_errors.CANT_OPEN and "introuvable" in str(err)


# ---------------------------------------------------------------- locked by another program


def test_base_locked_by_another_program_then_released(tmp_path):
    path = tmp_path / "pole.sqlite3"
    db = open_database(path, busy_timeout_ms=100)
    try:
        pole = sv.create_pole(db, "Pôle verrouillé").created
        assessment = sv.create_assessment(db, pole, "Diagnostic").created
        other = sqlite3.connect(path, isolation_level=None)  # e.g. a sync tool holding the file
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(SaveError) as err:
                sv.set_answer(db, assessment, "FIN.2", level=2)
            assert err.value.kind == save_errors.LOCKED
            assert "verrouillée par un autre programme" in str(err.value) and "Réessayez" in str(err.value)
            assert_french(str(err.value))
        finally:
            other.execute("ROLLBACK")
            other.close()
        sv.set_answer(db, assessment, "FIN.2", level=2)
        assert sv.get_answers(db, assessment)["FIN.2"].level == 2
    finally:
        db.close()


def test_a_constraint_violation_is_not_mistaken_for_a_disk_problem(base):
    """Only storage failures become SaveError; a bug stays a bug."""
    db, _ = base
    with pytest.raises(Exception) as err:
        with db.connection() as conn:
            conn.exec_driver_sql("INSERT INTO answer (id, assessment_id, criterion_id, status, level, comment, "
                                 "evidence, priority, updated_at) VALUES ('x', 'absente', 'FIN.1', 'answered', 9, "
                                 "'', '', 0, '')")
    assert not isinstance(err.value, SaveError)


@pytest.mark.parametrize("code, kind", [(errno.ENOSPC, save_errors.FULL), (errno.EROFS, save_errors.READ_ONLY),
                                        (errno.EACCES, save_errors.READ_ONLY), (errno.EIO, save_errors.IO)])
def test_file_write_errors_are_described_in_french(code, kind, tmp_path):
    exc = OSError(code, os.strerror(code), str(tmp_path / "rapport.pdf"))
    assert save_errors.classify(exc) == kind
    message = save_errors.describe(exc, during="file")
    assert str(tmp_path) in message and "n’a pas été écrit" in message
    assert_french(message)


def test_every_message_follows_french_typography(tmp_path):
    for kind in save_errors._CAUSE:
        for during in save_errors.CONSEQUENCES:
            assert_french(str(SaveError(kind, tmp_path / "b.sqlite3", during=during)))
    assert_french(save_errors.describe(RuntimeError("inattendu")))


# ------------------------------------------------------------------------- atomic files


def _no_temp_left(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_a_write_failing_halfway_keeps_the_old_file(tmp_path):
    target = tmp_path / "synthese.json"
    target.write_bytes(b"ancienne version")
    with pytest.raises(OSError):
        with atomic.atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(b"nouvelle version, moiti")
                raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"ancienne version"
    assert _no_temp_left(tmp_path)


@pytest.fixture
def failing_rename(monkeypatch):
    """The very last step (rename over the old file) fails, as on a full or removed disk."""

    def refuse(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(atomic.os, "replace", refuse)


def _writers():
    """Every writer of files leaving the app, as (name, function(db, uuid, path))."""
    out = [("json", lambda db, uuid, path: exchange.export_file(db, uuid, path))]
    try:
        from exports.pdf_report import write_report

        out.append(("pdf", lambda db, uuid, path: write_report(db, uuid, path)))
    except ImportError:
        pass
    try:
        from exports.xlsx_export import export_workbook

        out.append(("xlsx", lambda db, uuid, path: export_workbook(db, uuid, path)))
    except ImportError:
        pass
    return out


@pytest.mark.parametrize("name, writer", _writers(), ids=[n for n, _ in _writers()])
def test_exported_files_are_replaced_atomically(name, writer, demo, tmp_path, failing_rename):
    db, uuid = demo
    out = tmp_path / "sorties"
    out.mkdir()
    target = out / f"diagnostic.{name}"
    target.write_bytes(b"version precedente")
    with pytest.raises(OSError):
        writer(db, uuid, target)
    assert target.read_bytes() == b"version precedente"
    assert _no_temp_left(out)


def test_backups_are_written_atomically(base, failing_rename):
    from ptce_toolkit import backup

    db, _ = base
    with pytest.raises(backup.BackupError, match="est plein. La sauvegarde n’a pas été faite"):
        backup.make_backup(db.path)
    assert backup.list_backups(db.path) == []
    assert list(backup.paths.backups_dir(db.path).iterdir()) == []
