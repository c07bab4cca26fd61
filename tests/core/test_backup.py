"""Backups and damaged bases: rolling copies, restore without losing anything, and a
damaged file met at start-up with the newest intact backup offered instead."""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from ptce_toolkit import backup, dbfile, instance_lock, paths
from ptce_toolkit.services import workshop
from ptce_toolkit import services as sv
from cli.main import main
from ptce_toolkit.db import open_database
from ptce_toolkit.integrity import DamagedDatabase
from tests.helpers.dbcontent import rows_of


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def comment_in(path: Path, criterion: str = "FIN.1") -> str | None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT comment FROM answer WHERE criterion_id = ? AND participant_id IS NULL",
                          (criterion,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()


_BASE: dict = {}  # the base below, made once per worker (migrations ≈ 0.15 s); each test gets a copy


@pytest.fixture
def base(tmp_path, tmp_path_factory):
    """A closed base with one assessment and FIN.1 = « version 1 »; yields (path, assessment)."""
    if not _BASE:
        template = tmp_path_factory.mktemp("sauvegardes-modele") / "pole.sqlite3"
        db = open_database(template)
        pole = sv.create_pole(db, "Pôle des sauvegardes").created
        assessment = sv.create_assessment(db, pole, "Diagnostic").created
        sv.set_answer(db, assessment, "FIN.1", level=2, comment="version 1")
        db.close()
        assert sorted(p.name for p in template.parent.iterdir()) == [template.name], "un seul fichier à copier"
        _BASE.update(path=template, assessment=assessment)
    path = tmp_path / "pole.sqlite3"
    shutil.copyfile(_BASE["path"], path)
    return path, _BASE["assessment"]


def edit(path: Path, assessment: str, comment: str, **options) -> None:
    db = open_database(path, **options)
    sv.set_answer(db, assessment, "FIN.1", comment=comment)
    db.close()


# ------------------------------------------------------------------------- making backups


def test_a_backup_includes_commits_still_in_the_wal(base):
    path, assessment = base
    db = open_database(path)
    sv.set_answer(db, assessment, "FIN.1", comment="seulement dans le journal")
    assert Path(f"{path}-wal").stat().st_size > 0  # the base is open: the commit sits in the WAL
    made = backup.make_backup(path)
    db.close()
    assert comment_in(made) == "seulement dans le journal"
    assert not Path(f"{made}-wal").exists()  # one self-contained file
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_start_up_backup_only_when_the_data_changed(base):
    path, assessment = base
    first = open_database(path, startup_backup=True)
    first.close()
    assert first.startup_backup is not None and comment_in(first.startup_backup) == "version 1"

    again = open_database(path, startup_backup=True)  # nothing changed since
    again.close()
    assert again.startup_backup is None
    assert len(backup.list_backups(path)) == 1

    edit(path, assessment, "version 2")
    third = open_database(path, startup_backup=True)
    third.close()
    assert comment_in(third.startup_backup) == "version 2"
    assert [b.reason for b in backup.list_backups(path)] == [backup.STARTUP, backup.STARTUP]


def test_a_base_too_big_to_compare_in_memory_is_copied_at_every_start(base, monkeypatch):
    path, assessment = base
    monkeypatch.setattr(backup, "IMAGE_LIMIT", path.stat().st_size - 1)
    monkeypatch.setattr(backup, "database_image", lambda p: pytest.fail("image taken of a base over the limit"))
    for _ in range(2):  # nothing changed the second time: copied all the same, never one backup less
        opened = open_database(path, startup_backup=True)
        opened.close()
        assert comment_in(opened.startup_backup) == "version 1"
    assert len(backup.list_backups(path)) == 2


def test_only_the_last_n_backups_are_kept(base, monkeypatch):
    path, assessment = base
    monkeypatch.setenv(backup.KEEP_ENV, "3")
    for i in range(5):
        edit(path, assessment, f"version {i + 2}", startup_backup=True)
    # the setting counts rolling backups; the newest survive
    kept = backup.list_backups(path)
    assert [comment_in(b.path) for b in kept] == ["version 5", "version 4", "version 3"]
    assert list(backup.paths.backups_dir(path).glob(".*.part")) == []


def test_a_start_up_backup_that_fails_does_not_block_the_opening(base, monkeypatch):
    path, assessment = base
    edit(path, assessment, "version 2")

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_copy", disk_full)
    monkeypatch.setattr(backup, "_write_image", disk_full)  # the start-up backup writes its snapshot
    db = open_database(path, startup_backup=True)
    try:
        assert db.startup_backup is None
        assert len(db.warnings) == 1 and "est plein" in db.warnings[0] and "sauvegarde n’a pas été faite" in db.warnings[0]
        assert sv.get_answers(db, assessment)["FIN.1"].comment == "version 2"
    finally:
        db.close()
    assert backup.list_backups(path) == []
    assert list(backup.paths.backups_dir(path).glob(".*.part")) == []  # no half copy left


# The start-up check compares the base's pages with the newest backup's file: every kind
# of change in every table must be seen, and a base unchanged since must not be copied again.

def prepared_once(cache: dict, tmp_path_factory, target: Path, prepare) -> dict:
    """A base and its backups folder, made once per worker by ``prepare(model)`` (a base named like
    ``target`` in a folder of its own; what it returns is kept in ``cache``), then copied next to
    ``target`` for each test."""
    if not cache:
        folder = tmp_path_factory.mktemp("modele")
        cache.update(prepare(folder / target.name), folder=folder)
    shutil.copytree(cache["folder"], target.parent, dirs_exist_ok=True)
    dbfile.remember(target)  # as when the test wrote the base itself: a base this machine knows
    return cache


_FULL: dict = {}


@pytest.fixture
def full_base(tmp_path, tmp_path_factory, demo_template):
    """The demo base with a participant: a row in every table; one start-up backup made."""
    def prepare(model):
        shutil.copyfile(demo_template[0], model)
        db = open_database(model)
        workshop.add_participant(db, demo_template[1], "Camille Durand", "salaries")
        db.close()
        assert all(rows_of(model).values()), "une table sans ligne ne serait pas éprouvée"
        assert backup.backup_if_changed(model) is not None
        return {}

    path = tmp_path / "complete.sqlite3"
    prepared_once(_FULL, tmp_path_factory, path, prepare)
    return path


def changed_in_sql(path: Path, *statements: tuple) -> None:
    """Raw writes, foreign keys off (what any write path could do), committed."""
    con = sqlite3.connect(path)
    try:
        with con:
            for sql, args in statements:
                con.execute(sql, args)
    finally:
        con.close()


def other_value(value):
    if isinstance(value, str):
        return value + " (modifié)"
    if isinstance(value, (int, float)):
        return value + 1
    return None


def assert_backed_up(path: Path) -> None:
    made = backup.backup_if_changed(path)
    assert made is not None, "modification non vue : aucune sauvegarde faite"
    assert rows_of(made) == rows_of(path)
    assert backup.is_good(made) and not Path(f"{made}-wal").exists()
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert backup.backup_if_changed(path) is None, "aucun changement depuis : pas de nouvelle sauvegarde"


def test_start_up_backup_sees_every_change_in_every_table(full_base):
    path = full_base
    for table, rows in rows_of(path).items():
        rowid, *values = rows[-1]
        con = sqlite3.connect(path)
        columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        con.close()
        insert = (f'INSERT INTO "{table}" (rowid, {", ".join(columns)}) VALUES (?{", ?" * len(columns)})',
                  (rowid, *values))
        delete = (f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))

        changed_in_sql(path, delete)           # a delete
        assert_backed_up(path)
        changed_in_sql(path, insert)           # an insert (the same row back)
        assert_backed_up(path)
        # an update of a column (the first one constraints allow), then a delete and an
        # insert of a different row under the same rowid: same count
        for i, column in enumerate(columns):
            if other_value(values[i]) is None:
                continue
            try:
                changed_in_sql(path, (f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                                      (other_value(values[i]), rowid)))
            except sqlite3.IntegrityError:  # a CHECK or UNIQUE constraint on that column
                continue
            assert_backed_up(path)
            changed_in_sql(path, (f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (values[i], rowid)))
            assert_backed_up(path)
            replaced = list(values)
            replaced[i] = other_value(values[i])
            before = len(rows_of(path)[table])
            changed_in_sql(path, delete, (insert[0], (rowid, *replaced)))
            assert len(rows_of(path)[table]) == before
            assert_backed_up(path)
            changed_in_sql(path, delete, insert)
            assert_backed_up(path)
            break
        else:
            pytest.fail(f"aucune colonne de {table} n’a pu être modifiée")


def test_no_start_up_backup_when_the_app_opened_and_closed_without_writing(full_base):
    path = full_base
    for _ in range(2):
        db = open_database(path, lock=True, startup_backup=True)
        sv.get_answers(db, sv.list_assessments(db)[0].uuid)
        db.close()
        assert db.startup_backup is None
    assert len(backup.list_backups(path)) == 1


def test_a_commit_still_in_the_wal_is_seen(full_base):
    path = full_base
    db = open_database(path)
    uuid = sv.list_assessments(db)[0].uuid
    sv.set_answer(db, uuid, "FIN.1", comment="seulement dans le journal")
    assert Path(f"{path}-wal").stat().st_size > 0
    made = backup.backup_if_changed(path)
    db.close()
    assert made is not None and rows_of(made) == rows_of(path)
    assert any("seulement dans le journal" in row for row in rows_of(made)["answer"])


def test_a_copy_by_the_backup_api_counts_as_the_same_data(full_base):
    """A manual backup (SQLite's backup API, the commit still in the WAL), then the base
    closed (checkpointed): same data, so no start-up backup."""
    path = full_base
    db = open_database(path)
    sv.set_answer(db, sv.list_assessments(db)[0].uuid, "FIN.1", comment="copie par l’API")
    manual = backup.make_backup(path, reason=backup.MANUAL)
    db.close()
    assert backup.list_backups(path)[0].path == manual
    assert backup.backup_if_changed(path) is None


@pytest.mark.parametrize("damage", ["octet", "tronquee", "vide", "effacee", "journal-a-cote", "illisible"])
def test_a_damaged_or_absent_newest_backup_means_a_fresh_one(full_base, damage, monkeypatch):
    path = full_base
    newest = backup.list_backups(path)[0].path
    if damage == "octet":  # one byte flipped in the middle of the data
        data = bytearray(newest.read_bytes())
        data[len(data) // 2] ^= 0x20
        newest.write_bytes(bytes(data))
    elif damage == "tronquee":
        newest.write_bytes(newest.read_bytes()[:-4096])
    elif damage == "vide":
        newest.write_bytes(b"")
    elif damage == "effacee":
        newest.unlink()
    elif damage == "journal-a-cote":  # its bytes are not all of its content
        Path(f"{newest}-wal").write_bytes(b"x" * 100)
    else:  # no read permission (chmod does not stop the superuser: refused at open)
        real_open = open

        def refused(file, *args, **kwargs):
            if Path(file) == newest:
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(backup, "open", refused, raising=False)
    made = backup.backup_if_changed(path)
    assert made is not None and made != newest
    assert rows_of(made) == rows_of(path)


def test_backups_are_listed_with_french_dates(base):
    path, _ = base
    made = backup.make_backup(path, reason=backup.MANUAL)
    (info,) = backup.list_backups(path)
    assert info.path == made
    label = info.label()
    assert " à " in label and "à la demande" in label
    month = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
    assert any(m in label for m in month)


# ------------------------------------------------------------------------------ restoring


def test_restore_keeps_the_current_base_aside(base):
    path, assessment = base
    old = backup.make_backup(path)
    edit(path, assessment, "version 2")
    db = open_database(path)  # leave the newest commit in the WAL when restoring
    sv.set_answer(db, assessment, "FIN.1", comment="version 3")
    db.dispose()  # (open connections may keep the WAL; close them the way the GUI would)
    db.close()

    aside = backup.restore_backup(path, old)
    assert comment_in(path) == "version 1"
    assert comment_in(aside) == "version 3"  # nothing of the replaced base is lost
    assert backup.find_backup(path, aside.name).reason == backup.REPLACED

    second_aside = backup.restore_backup(path, old)
    assert second_aside != aside and comment_in(aside) == "version 3"  # never overwritten


def test_the_replaced_base_is_never_pruned(base, monkeypatch):
    path, assessment = base
    monkeypatch.setenv(backup.KEEP_ENV, "1")
    aside = backup.restore_backup(path, backup.make_backup(path))
    for i in range(3):
        edit(path, assessment, f"v{i}", startup_backup=True)
    assert aside.exists()


def test_restore_refused_while_another_process_has_the_base(base):
    import subprocess
    import sys

    path, _ = base
    made = backup.make_backup(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ptce_toolkit.db import open_database; "
         "db = open_database(sys.argv[1], lock=True); print('PRET', flush=True); sys.stdin.read()", str(path)],
        cwd=Path(__file__).resolve().parents[2], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "PRET"
        before = sha256(path)
        with pytest.raises(instance_lock.AlreadyOpen):
            backup.restore_backup(path, made)
        assert sha256(path) == before
    finally:
        holder.kill()
        holder.wait()
        holder.stdin.close()
        holder.stdout.close()


def test_restore_refused_while_this_window_has_the_base_open(base):
    path, _ = base
    made = backup.make_backup(path)
    db = open_database(path, lock=True)
    try:
        with pytest.raises(backup.BackupError) as err:
            backup.restore_backup(path, made)
        assert "Fermez la base" in str(err.value)
    finally:
        db.close()


def test_a_damaged_backup_is_never_restored(base):
    path, _ = base
    made = backup.make_backup(path)
    made.write_bytes(made.read_bytes()[:3000])
    before = sha256(path)
    with pytest.raises(backup.BackupError) as err:
        backup.restore_backup(path, made)
    assert "endommagée" in str(err.value)
    assert sha256(path) == before


def test_a_restore_cut_short_by_a_full_disk_leaves_the_current_base_in_place(base, monkeypatch):
    path, _ = base
    made = backup.make_backup(path)
    before = sha256(path)
    real_copy = backup._copy

    def copy_then_fail(src, dst):
        real_copy(src, dst)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_copy", copy_then_fail)
    with pytest.raises(OSError):
        backup.restore_backup(path, made)
    assert sha256(path) == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no staged copy left


# ----------------------------------------------------------------------- damaged bases


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _scribble_header(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[:100] = b"\xff" * 100
    p.write_bytes(bytes(data))


def _zero_pages(p: Path) -> None:
    data = bytearray(p.read_bytes())
    page = 4096
    data[2 * page: 6 * page] = bytes(4 * page)
    p.write_bytes(bytes(data))


def _empty(p: Path) -> None:
    p.write_bytes(b"")


DAMAGES = {"tronquee": _truncate, "en-tete-ecrase": _scribble_header, "pages-a-zero": _zero_pages, "videe": _empty}


_BACKED_UP: dict = {}


@pytest.fixture
def damaged(base, request, tmp_path_factory):
    """A base with two good backups, a newer damaged one, then the base itself damaged."""
    path, assessment = base

    def prepare(model):
        shutil.copyfile(path, model)
        good = backup.make_backup(model)
        edit(model, assessment, "version 2")
        newest_good = backup.make_backup(model)
        edit(model, assessment, "version 3")
        broken_backup = backup.make_backup(model)
        _truncate(broken_backup)
        wal = Path(f"{model}-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # everything is in the main file
        return {"good": good.name, "newest_good": newest_good.name}

    names = prepared_once(_BACKED_UP, tmp_path_factory, path, prepare)
    request.param(path)
    backups = paths.backups_dir(path)
    return path, assessment, backups / names["good"], backups / names["newest_good"]


@pytest.mark.parametrize("damaged", list(DAMAGES.values()), ids=list(DAMAGES), indirect=True)
def test_a_damaged_base_is_detected_and_the_latest_good_backup_offered(damaged):
    path, _, _, newest_good = damaged
    before = sha256(path)
    with pytest.raises(DamagedDatabase) as err:
        open_database(path, lock=True, startup_backup=True)
    assert err.value.backup.path == newest_good  # the newer, damaged backup is skipped
    message = str(err.value)
    assert "endommagée" in message and newest_good.name in message and "ptce backups --restore" in message
    assert sha256(path) == before  # not "repaired", not replaced by an empty base
    assert not instance_lock.lock_path(path).exists()


@pytest.mark.parametrize("damaged", [_zero_pages], ids=["pages-a-zero"], indirect=True)
def test_the_cli_refuses_a_damaged_base_then_restores_the_backup(damaged, capsys):
    path, assessment, _, newest_good = damaged
    damaged_bytes = path.read_bytes()

    assert main(["--db", str(path), "assessments"]) != 0
    err = capsys.readouterr().err
    assert "endommagée" in err and f"ptce backups --restore {newest_good.name}" in err
    assert "Traceback" not in err

    assert main(["--db", str(path), "backups"]) == 0  # listing works on a damaged base
    listing = capsys.readouterr().out
    assert newest_good.name in listing

    assert main(["--db", str(path), "backups", "--restore", newest_good.name]) == 0
    out = capsys.readouterr().out
    assert "restaurée" in out
    db = open_database(path)
    try:
        assert sv.get_answers(db, assessment)["FIN.1"].comment == "version 2"
    finally:
        db.close()
    aside = [b for b in backup.list_backups(path) if b.reason == backup.REPLACED]
    assert len(aside) == 1 and aside[0].path.read_bytes() == damaged_bytes  # the damaged file is kept as is


def test_restore_latest_by_keyword(base, capsys):
    path, assessment = base
    backup.make_backup(path)
    edit(path, assessment, "version 2")
    assert main(["--db", str(path), "backups", "--restore", "derniere"]) == 0
    assert comment_in(path) == "version 1"


def test_damaged_without_any_backup_says_so(tmp_path, empty_template):
    path = shutil.copyfile(empty_template, tmp_path / "seule.sqlite3")
    _scribble_header(path)
    with pytest.raises(DamagedDatabase) as err:
        open_database(path)
    assert err.value.backup is None
    assert "Aucune sauvegarde intacte" in str(err.value) and "Ne supprimez pas" in str(err.value)


def test_an_empty_file_without_backups_is_a_new_base(tmp_path):
    path = tmp_path / "neuve.sqlite3"
    path.write_bytes(b"")
    db = open_database(path)
    try:
        assert sv.list_poles(db) == []
    finally:
        db.close()
