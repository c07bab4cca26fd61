"""Hostile referential files in a network's folder: refused in seconds, under a memory cap,
with a French message naming the file, and the app still starts on the shipped referential.

Each bomb is parsed in a child process with ``resource.setrlimit(RLIMIT_AS)`` and a
timeout, so a regression can never take the test machine down with it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ptce_toolkit import paths
from ptce_toolkit import referential as r

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = paths.SHIPPED_REFERENTIAL_DIR / "ptce-referentiel-action.fr.yaml"
MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB of address space for the whole child
TIMEOUT_S = 60

_LAUGHS = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
    f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]" for i in range(1, 10)]


def billion_laughs() -> str:
    """The classic bomb (10⁹ « lol » once expanded), padded to 85 KB like the report's file."""
    bomb = "\n".join(_LAUGHS) + "\n"
    pad = "# " + "x" * 78 + "\n"
    return bomb + pad * ((85_000 - len(bomb)) // len(pad))


def deep_nesting() -> str:
    return "[" * 10_000 + "]" * 10_000


def bomb_under_unknown_key() -> str:
    """A valid referential with the bomb under a key the schema does not know."""
    return SHIPPED.read_text(encoding="utf-8") + "\nbombe:\n" + "".join(f"  {line}\n" for line in _LAUGHS)


def self_alias() -> str:
    return "a: &a [1, *a]\n"


CASES = [
    # (file name, content, French words of the message)
    ("rires.yaml", billion_laughs, "plus de 100\u00a0000 éléments une fois ses alias YAML développés"),
    ("profond.yaml", deep_nesting, "imbrication trop profonde (plus de 50 niveaux)"),
    ("cle-inconnue.yaml", bomb_under_unknown_key, "plus de 100\u00a0000 éléments une fois ses alias YAML développés"),
    ("boucle.yaml", self_alias, "se contient lui-même"),
]

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    start = time.monotonic()
    from ptce_toolkit import referential as r
    try:
        r.load_file(sys.argv[1])
        outcome = "accepté"
    except r.ReferentialError as exc:
        outcome = str(exc)
    print(json.dumps({{"message": outcome, "seconds": time.monotonic() - start,
                      "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
""")


def _run_child(code: str, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=env, cwd=ROOT)


@pytest.mark.parametrize("name, content, words", CASES, ids=[c[0] for c in CASES])
def test_a_yaml_bomb_is_refused_in_seconds_under_a_memory_cap(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_text(content(), encoding="utf-8")
    proc = _run_child(CHILD.format(cap=MEMORY_CAP), str(path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["message"].startswith(name), result
    assert words in result["message"], result
    assert result["seconds"] < 5, result
    assert "Traceback" not in proc.stderr


def test_the_billion_laughs_file_is_85_kb():
    assert 84_000 < len(billion_laughs().encode()) <= 85_000


def test_the_bound_still_accepts_the_shipped_file_and_ordinary_aliases(tmp_path):
    # what a network may reasonably write: a few anchors reused a few times
    data = r.parse_untrusted_yaml(b"base: &b {x: 1, y: [1, 2]}\nautre: *b\nencore: {<<: *b, z: 3}\n", "ok.yaml")
    assert data["encore"] == {"x": 1, "y": [1, 2], "z": 3}
    assert r.load_untrusted_yaml(SHIPPED)["id"] == "ptce-referentiel-action"


@pytest.mark.parametrize("text, words", [
    (b"a: *nulle\n", "ne renvoie à aucune ancre"),
    (b"a: [\n", "YAML illisible"),
    (b"\xff\xfe", "n’est pas en UTF-8"),
    (("x: " + "y" * 200 + "\n").encode(), "plus de 100 caractères"),
], ids=["alias-inconnu", "syntaxe", "utf8", "caracteres"])
def test_untrusted_yaml_errors_are_french_and_name_the_file(tmp_path, text, words):
    limits = {"max_chars": 100} if words.startswith("plus de 100") else {}
    (tmp_path / "reseau.yaml").write_bytes(text)
    with pytest.raises(r.ReferentialError) as exc:
        r.load_untrusted_yaml(tmp_path / "reseau.yaml", **limits)
    assert str(exc.value).startswith("reseau.yaml")
    assert words in str(exc.value)


def test_a_file_too_large_is_refused_before_reading(tmp_path):
    path = tmp_path / "gros.yaml"
    path.write_bytes(b"# " + b"x" * (r.MAX_YAML_BYTES + 10))
    with pytest.raises(r.YamlRefused, match=r"^gros.yaml\u00a0: fichier trop volumineux"):
        r.load_file(path)


def _drop_hostile_files() -> Path:
    folder = paths.user_referential_dir()
    (folder / "rires.yaml").write_text(billion_laughs(), encoding="utf-8")
    (folder / "profond.yaml").write_text(deep_nesting(), encoding="utf-8")
    (folder / "cle-inconnue.yaml").write_text(bomb_under_unknown_key(), encoding="utf-8")
    shadow = SHIPPED.read_text(encoding="utf-8").replace(
        'title: "Référentiel d’action des PTCE (proposition PTCE Toolkit)"', 'title: "Copie modifiée"', 1)
    (folder / "copie.yaml").write_text(shadow, encoding="utf-8")
    (folder / "identique.yaml").write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_the_registry_starts_on_the_shipped_referential_and_lists_every_problem():
    _drop_hostile_files()
    r.reset_registry()
    reg = r.registry()
    assert r.default().source_path == SHIPPED
    assert r.default().title != "Copie modifiée"
    by_file = {p.path.name: p for p in reg.problems}
    assert set(by_file) == {"rires.yaml", "profond.yaml", "cle-inconnue.yaml", "copie.yaml"}
    assert by_file["copie.yaml"].kind == r.SHADOWED
    assert by_file["copie.yaml"].field == "version" and by_file["copie.yaml"].line
    assert "même identifiant et même version" in by_file["copie.yaml"].message
    assert by_file["profond.yaml"].kind == r.INVALID and by_file["profond.yaml"].line == 1


def test_an_invalid_file_reports_its_line_and_field(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 2.0.0", 1)
    text = text.replace("format: ptce-referential", "format: autre-chose", 1)
    (paths.user_referential_dir() / "mauvais.yaml").write_text(text, encoding="utf-8")
    r.reset_registry()
    [problem] = r.registry().problems
    assert problem.kind == r.INVALID and problem.field == "format" and problem.line == 1 + next(
        i for i, line in enumerate(text.splitlines()) if line.startswith("format:"))


CLI_CHILD = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    from cli.main import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("command", [["referentiels"], ["template", "-o", "{tmp}/q.xlsx"], ["poles"]])
def test_the_cli_starts_whatever_the_folder_holds(tmp_path, command, no_referential_cache, empty_template):
    """Under the memory cap, with every bomb in the folder and no cache yet (the base is a copy
    of the empty one: the migrations are not what this test is about)."""
    _drop_hostile_files()
    shutil.copyfile(empty_template, tmp_path / "base.sqlite3")
    env = {"PTCE_TOOLKIT_DATA": str(paths.data_dir()), "PTCE_TOOLKIT_DB": str(tmp_path / "base.sqlite3")}
    args = [a.format(tmp=tmp_path) for a in command]
    proc = _run_child(CLI_CHILD.format(cap=MEMORY_CAP), *args, env_extra=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    if command == ["referentiels"]:
        out = proc.stdout
        assert "ptce-referentiel-action 1.0.0" in out and "fourni avec l’application" in out
        assert "4 fichiers mis de côté" in out
        for name in ("rires.yaml", "profond.yaml", "cle-inconnue.yaml", "copie.yaml"):
            assert name in out
        assert "identique.yaml" not in out  # same content as the shipped file: nothing to say
        assert "ligne 1, champ" not in out.split("profond.yaml")[1].split("\n")[0]


def test_cli_referentiels_json_lists_problems_with_line_and_field(capsys):
    from cli.main import main

    _drop_hostile_files()
    r.reset_registry()
    assert main(["referentiels", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted((x["id"], x["version"]) for x in doc["referentials"]) == [
        ("ptce-referentiel-action", "1.0.0"), ("ptce-referentiel-action", "2.0.0")]
    copie = next(p for p in doc["problems"] if p["file"].endswith("copie.yaml"))
    assert copie["kind"] == "masqué" and copie["field"] == "version" and copie["line"] > 0


def test_a_crosswalk_bomb_is_refused_through_the_same_parser(tmp_path):
    from ptce_toolkit import crosswalk

    path = tmp_path / "correspondance.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    with pytest.raises(r.ReferentialError, match="correspondance.yaml, ligne 5\u00a0: .*«\u00a0bombe\u00a0» d’alias"):
        crosswalk.load_file(path)


@pytest.mark.parametrize("text, words", [
    ("a: [1, 2\n", "ligne 2\u00a0: YAML illisible, virgule ou «\u00a0]\u00a0» attendue."),
    ("a: b: c\n", "ligne 1\u00a0: YAML illisible, deux-points inattendu"),
    ("x:\n\t- y\n", "ligne 2\u00a0: YAML illisible, caractère interdit à cet endroit (une tabulation"),
    ("a: \"x\n", "YAML illisible, fin de fichier inattendue"),
    ("!!python/object:os.system {}\n", "YAML illisible, étiquette YAML non permise."),
], ids=["crochet", "deux-points", "tabulation", "guillemet", "etiquette-python"])
def test_yaml_syntax_errors_are_explained_in_french(tmp_path, text, words):
    path = tmp_path / "reseau.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(r.ReferentialError) as exc:
        r.load_untrusted_yaml(path)
    assert str(exc.value).startswith("reseau.yaml, ") and words in str(exc.value), str(exc.value)
