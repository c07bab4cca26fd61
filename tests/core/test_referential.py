"""The shipped referential files are valid, and bad files are refused with file, line and field."""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from ptce_toolkit import paths
from ptce_toolkit import referential as r

SHIPPED = sorted(paths.SHIPPED_REFERENTIAL_DIR.glob("*.yaml"))
# The criterion ids of the draft referential (DOMAIN.md §3.2), which v1 keeps.
DOMAIN_MD_IDS = {"FIN": 5, "TER": 5, "ACT": 6, "GOV": 6, "COO": 6, "ECO": 6, "INN": 5, "EVA": 5, "RES": 4}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_referential_loads(path):
    ref = r.load_file(path)
    assert ref.criteria(), "a referential without criteria is useless"
    for c in ref.criteria():
        assert sorted(c.level_hints) == [0, 1, 2, 3, 4], c.id
        assert c.statement.strip() and c.guidance.strip() and c.evidence


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_french_typography_of_shipped_texts(path):
    text = path.read_text(encoding="utf-8")
    assert "'" not in re.sub(r"^\s*#.*$", "", text, flags=re.M), "apostrophe droite : utiliser ’"
    space = " "  # an ordinary space, where French wants a no-break one
    for bad in (space + ":", space + ";", space + "?", space + "!", "«" + space, space + "»"):
        assert bad not in text, f"espace ordinaire dans {bad!r}"


def test_v1_keeps_the_draft_ids():
    ref = r.registry().get("ptce-referentiel-action", "1.0.0")
    expected = [f"{d}.{i}" for d, n in DOMAIN_MD_IDS.items() for i in range(1, n + 1)]
    assert [c.id for c in ref.criteria()] == expected
    assert [d.id for d in ref.domains] == list(DOMAIN_MD_IDS)
    assert [lv.value for lv in ref.levels] == [0, 1, 2, 3, 4]
    assert not set(ref.not_applicable.spellings) & set(ref.unknown.spellings)
    assert set(ref.quadrants) == {"S", "W", "O", "T"}
    assert any(f.figure for f in ref.profile_fields)


_PARSED: dict[Path, dict] = {}  # shipped file -> its data, parsed once per worker (≈ 0.35 s each in pure Python)


def parsed(path: Path) -> dict:
    """A fresh copy of a shipped file's data (libyaml's safe loader: same data, ten times faster)."""
    if path not in _PARSED:
        _PARSED[path] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return copy.deepcopy(_PARSED[path])


def dump(data: dict, sort_keys: bool = True) -> str:
    """yaml.safe_dump's text, written by libyaml (same output, twice as fast)."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=sort_keys)


def _write(tmp_path: Path, data: dict, name="reseau.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def valid_dict():
    return parsed(SHIPPED[0])


def test_missing_field_names_file_line_and_field(tmp_path, valid_dict):
    del valid_dict["domains"][2]["criteria"][1]["guidance"]
    path = _write(tmp_path, valid_dict)
    with pytest.raises(r.ReferentialError) as exc:
        r.load_file(path)
    msg = str(exc.value)
    # the line of the criterion that lacks its guidance
    lines = path.read_text(encoding="utf-8").splitlines()
    crit_line = next(i for i, line in enumerate(lines, 1) if line.strip() == "- id: ACT.2")
    assert msg.startswith("reseau.yaml, ligne ")
    assert int(re.search(r"ligne (\d+)", msg).group(1)) == crit_line
    assert "domains[2].criteria[1]" in msg and "guidance" in msg


def test_wrong_type_points_at_the_value(tmp_path):
    text = textwrap.dedent(SHIPPED[0].read_text(encoding="utf-8"))
    bad = text.replace("version: 1.0.0", "version: [1, 0]", 1)
    path = tmp_path / "mauvais.yaml"
    path.write_text(bad, encoding="utf-8")
    line = next(i for i, s in enumerate(bad.splitlines(), 1) if s.startswith("version:"))
    with pytest.raises(r.ReferentialError, match=rf"mauvais.yaml, ligne {line}, champ « version »"):
        r.load_file(path)


def test_duplicate_criterion_is_refused(tmp_path, valid_dict):
    crits = valid_dict["domains"][0]["criteria"]
    crits[1]["id"] = crits[0]["id"]
    with pytest.raises(r.ReferentialError, match="en double"):
        r.load_file(_write(tmp_path, valid_dict))


def test_yaml_syntax_error_gives_line(tmp_path):
    path = tmp_path / "casse.yaml"
    path.write_text("format: ptce-referential\nid: [pas fermé\nversion: 1.0.0\n", encoding="utf-8")
    with pytest.raises(r.ReferentialError, match=r"casse.yaml, ligne \d+\s: YAML illisible"):
        r.load_file(path)


def test_a_network_can_drop_its_own_referential(tmp_path, valid_dict):
    valid_dict["id"] = "referentiel-reseau-test"
    valid_dict["version"] = "2.1.0"
    _write(paths.user_referential_dir(), valid_dict, "reseau.yaml")
    (paths.user_referential_dir() / "casse.yaml").write_text("id: [", encoding="utf-8")
    r.reset_registry()
    reg = r.registry()
    assert reg.get("referentiel-reseau-test", "2.1.0").version == "2.1.0"
    assert reg.latest().id == "ptce-referentiel-action"  # the bad file does not stop the app
    assert any("casse.yaml" in str(p) for p in reg.problems)


def test_cache_never_hides_a_changed_file(tmp_path, valid_dict, no_referential_cache):
    path = _write(tmp_path, valid_dict)
    assert r.load_file(path).version == valid_dict["version"]
    assert list(paths.cache_dir().glob("referentiel-*.json")), "the validated file is cached"
    del valid_dict["scale"]
    _write(tmp_path, valid_dict)
    with pytest.raises(r.ReferentialError, match="scale"):
        r.load_file(path)


def test_an_unchanged_file_is_built_once_per_process_and_a_changed_one_again(tmp_path, valid_dict):
    path = _write(tmp_path, valid_dict)
    first = r.load_file(path)
    assert r.load_file(path) is first  # the folder read again (tests do it at every test)
    valid_dict["version"] = "2.2.0"
    _write(tmp_path, valid_dict)
    assert r.load_file(path).version == "2.2.0"  # same file, new content: built again


def test_the_process_keeps_a_bounded_number_of_built_files(tmp_path, valid_dict):
    path = _write(tmp_path, valid_dict)
    first = r.load_file(path)
    for n in range(r.BUILT_LIMIT):
        folder = tmp_path / str(n)
        folder.mkdir()
        r.load_file(_write(folder, valid_dict))
    assert r.load_file(path) is not first  # the oldest was let go
    assert r.load_file(path).version == first.version


def test_unknown_version_message_lists_what_is_installed():
    with pytest.raises(r.ReferentialError, match="version 9.9.9 n’est pas installé.*ptce-referentiel-action 1.0.0"):
        r.registry().get("ptce-referentiel-action", "9.9.9")


# ------------------------------------------------------------------ referential 2.0.0 (issue 13)

V2 = paths.SHIPPED_REFERENTIAL_DIR / "ptce-referentiel-action.v2.fr.yaml"


@pytest.fixture
def v2():
    return r.registry().get("ptce-referentiel-action", "2.0.0")


def test_both_versions_are_shipped_and_the_default_stays_pinned():
    reg = r.registry()
    assert reg.get("ptce-referentiel-action", "1.0.0").version == "1.0.0"
    assert reg.latest().version == "2.0.0"
    assert r.default().version == r.DEFAULT_VERSION == "1.0.0"


def test_v2_structure(v2):
    counts = {d.id: len(d.criteria) for d in v2.domains}
    assert counts == {"FIN": 6, "TER": 5, "ACT": 7, "GOV": 9, "COO": 9, "ECO": 7, "INN": 6, "EVA": 5, "RES": 4}
    assert len(v2.criteria()) == 58
    v1 = r.registry().get("ptce-referentiel-action", "1.0.0")
    assert not v1.objectives() and not v1.na_reason_required  # 1.0.0 still loads without the new fields
    assert [g.axis for g in v1.groups] == ["learning", "interaction"]  # only the positioning axes
    assert v2.na_reason_required


def test_v2_declares_the_three_unifying_objectives(v2):
    objectives = v2.objectives()
    assert [o.title for o in objectives] == ["Dynamisme économique du territoire", "Ancrage territorial",
                                             "Mobilisation des autres acteurs du territoire"]
    for o in objectives:
        assert o.criteria and all(v2.has_criterion(c) for c in o.criteria)


def test_v2_ladders_are_distinct_and_carry_no_size_threshold(v2):
    for c in v2.criteria():
        hints = [c.level_hints[i].strip().lower() for i in range(5)]
        assert len(set(hints)) == 5, c.id
        ladder = " ".join(hints)
        # percentages and head counts belong in the guidance, never in a level
        assert not re.search(r"\d+\s*%|\bETP\b|vingtaine|une entreprise (sociale )?par an", ladder, re.I), c.id


def test_v2_wording(v2):
    text = V2.read_text(encoding="utf-8").lower()
    assert "leadership" not in text and "inventons des innovations" not in text
    eco_texts = " ".join(c.statement for c in v2.domain("ECO").criteria)
    # the cell's funding security and the activities' self-financing are rated apart
    assert "cellule d’animation est sécurisé" in eco_texts and "activités créées par le pôle tendent vers l’autofinancement" in eco_texts


def test_v2_profile_fields(v2):
    funding = ["financement_region", "financement_departement", "financement_intercommunalite", "financement_commune",
               "financement_etat", "financement_europe", "financement_prive", "recettes_propres"]
    for fid in funding:
        f = v2.profile_field(fid)
        assert f is not None and f.figure and f.type == "money" and f.default_perimeter, fid  # figure: year + perimeter
    for fid in ("pole_temoin", "laureat_appel", "laureat_annee", "communautes_apprenantes", "reseaux",
                "membres_par_college"):
        assert v2.profile_field(fid) is not None, fid


def test_a_group_naming_an_unknown_criterion_is_refused_with_its_line(tmp_path):
    data = parsed(V2)
    data["criterion_groups"][1]["criteria"].append("TER.99")
    path = _write(tmp_path, data)
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "TER.99" in s)
    with pytest.raises(r.ReferentialError, match=rf"ligne {line}, champ «.criterion_groups\[1\]\.criteria\[6\].».*TER.99"):
        r.load_file(path)
    data["criterion_groups"][1]["kind"] = "autre"
    with pytest.raises(r.ReferentialError, match=r"criterion_groups\[1\]\.kind"):
        r.load_file(_write(tmp_path, data, "autre.yaml"))


def test_axes_declared_once_each_criterion_counted_once(tmp_path):
    v2 = r.registry().get("ptce-referentiel-action", "2.0.0")
    assert v2.axis_group("learning").criteria == ("INN.5", "INN.6", "EVA.1", "EVA.3", "ACT.8")
    assert v2.axis_group("interaction").criteria == ("ACT.2", "ACT.3", "COO.2", "COO.5", "TER.4")
    data = parsed(v2.source_path)
    axes = [g for g in data["criterion_groups"] if g["kind"] == "axis"]
    axes[0]["criteria"].append("ACT.2")  # now on both axes
    path = tmp_path / "double.yaml"
    path.write_text(dump(data), encoding="utf-8")
    with pytest.raises(r.ReferentialError, match="chacun ne compte qu’une fois"):
        r.load_file(path)
    axes[0]["criteria"].pop()
    del axes[0]["axis"]
    path.write_text(dump(data), encoding="utf-8")
    with pytest.raises(r.ReferentialError, match="quel axe"):
        r.load_file(path)


def test_benchmarks_named_dated_and_plausibility_warnings(ref):
    from datetime import date

    from ptce_toolkit import plausibility as pl

    [b] = ref.benchmarks_for("budget_cellule")
    assert (b.label, b.value, b.perimeter) == ("médiane RTES 2013", 152000, "cellule_animation")
    today = date(2026, 12, 1)
    ok = {"budget_cellule": {"value": 152000, "year": 2025, "perimeter": "cellule_animation"},
          "etp_cellule": {"value": 2, "year": 2025, "perimeter": "cellule_animation"}}
    assert pl.figure_warnings(ref, ok, "budget_cellule", today) == []
    members = {**ok, "budget_cellule": {"value": 22_000_000, "year": 2025, "perimeter": "cellule_animation"}}
    [w] = pl.figure_warnings(ref, members, "budget_cellule", today)  # 11 M€ per FTE: members' turnover?
    assert "piège des périmètres" in w
    odd = {"autofinancement": {"value": 120, "year": 2027}}
    found = pl.figure_warnings(ref, odd, "autofinancement", today)
    assert len(found) == 3 and "plus de 100" in found[0] and "futur" in found[1] and "périmètre" in found[2]


def test_lookups_by_id_give_what_a_search_in_order_gives(ref):
    """profile_field and criterion_id_any_case (indexes built once) answer as the search they replace."""
    for f in ref.profile_fields:
        assert ref.profile_field(f.id) is next(g for g in ref.profile_fields if g.id == f.id)
    assert ref.profile_field("inconnu") is None
    for c in ref.criteria():
        for written in (c.id, c.id.lower(), c.id.swapcase()):
            assert ref.criterion_id_any_case(written) == c.id
    assert ref.criterion_id_any_case("FIN.99") is None and ref.criterion_id_any_case("") is None
