"""Errors that used to reach the user in English: one French sentence on stderr, exit code
≠ 0, nothing written (database fingerprint unchanged, no stray file)."""

from __future__ import annotations

import errno
import os

import pytest

from cli.main import main
from ptce_toolkit import atomic, backup, paths
from tests.helpers.xlsx import db_fingerprint

NB = "\u00a0"


def _full_disk(monkeypatch):
    def fsync(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(atomic.os, "fsync", fsync)


CASES = [
    # (label, arguments, set-up, French words)
    ("backups --now, disque plein", ["backups", "--now"], _full_disk,
     "est plein. La sauvegarde n’a pas été faite"),
    ("report vers un nom vide", ["report", "{uuid}", "-o", ""], None, "Nom de fichier vide ou invalide"),
    ("report vers un dossier", ["report", "{uuid}", "-o", "{tmp}"], None, "est un dossier"),
    ("export JSON vers un dossier", ["export", "{uuid}", "--json", "{tmp}"], None, "est un dossier"),
    ("report, disque plein", ["report", "{uuid}", "-o", "{tmp}/r.pdf"], _full_disk, "est plein"),
]


@pytest.mark.parametrize("label, args, setup, words", CASES, ids=[c[0] for c in CASES])
def test_cli_failures_are_one_french_sentence(demo, tmp_path, capsys, monkeypatch, label, args, setup, words):
    db, uuid = demo
    out = tmp_path / "sorties"
    out.mkdir()
    if setup:
        setup(monkeypatch)
    before = db_fingerprint(db)
    backups_before = {b.name for b in backup.list_backups(db.path)}
    code = main(["--db", str(db.path), *[a.format(uuid=uuid, tmp=out) for a in args]])
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("Erreur"), err
    assert words in err, err
    assert err.count("\n") == 1, err  # one sentence, one line
    for english in ("Traceback", "Error", "No space", "Device or resource", "Is a directory"):
        assert english not in err, err
    assert db_fingerprint(db) == before
    assert list(out.iterdir()) == []  # no stray .part, no half file
    assert not list(paths.backups_dir(db.path).glob(".*.part"))
    assert {b.name for b in backup.list_backups(db.path)} == backups_before


def test_backup_of_a_missing_base_creates_nothing(tmp_path, capsys):
    code = main(["--db", str(tmp_path / "absente" / "b.sqlite3"), "backups", "--now"])
    assert code != 0
    assert capsys.readouterr().err == f"Erreur{NB}: La base «{NB}{tmp_path / 'absente' / 'b.sqlite3'}{NB}» est " \
                                      f"introuvable{NB}; aucune sauvegarde n’a été faite.\n"
    assert list(tmp_path.iterdir()) == []


def test_an_unexpected_error_is_french_without_english_detail(monkeypatch, capsys, tmp_path):
    import cli.main as cli_main

    def boom(_args):
        raise KeyError("criterion")
    parser = cli_main.build_parser()
    args = parser.parse_args(["--db", str(tmp_path / "b.sqlite3"), "poles"])
    args.func = boom
    assert cli_main._run(args) != 0
    err = capsys.readouterr().err
    assert err == f"Erreur inattendue (KeyError){NB}: l’opération a été abandonnée. Signalez-la en indiquant " \
                  "la commande lancée.\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("argv, words", [
    (["poles", "--inconnu"], f"Erreur\u00a0: argument non reconnu{NB}: --inconnu"),
    (["import"], f"Erreur\u00a0: argument obligatoire manquant{NB}: FICHIER"),
    (["nimporte"], f"COMMANDE{NB}: choix inconnu «{NB}nimporte{NB}»"),
    (["consolidate", "d", "-o", "s.xlsx", "--workers", "z"], f"--workers{NB}: valeur invalide «{NB}z{NB}»"),
])
def test_usage_errors_are_french(capsys, argv, words):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"utilisation{NB}: ptce") and words in err, err
    assert "usage:" not in err and "error:" not in err and "invalid " not in err
