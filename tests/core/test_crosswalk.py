"""Crosswalk files: shipped ones valid, 1.0.0 -> 2.0.0 complete, bad files refused with file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ptce_toolkit import crosswalk as cw_mod
from ptce_toolkit import paths
from ptce_toolkit import referential as r

SHIPPED = sorted(cw_mod.SHIPPED_DIR.glob("*.yaml"))
V1_V2 = cw_mod.SHIPPED_DIR / "ptce-referentiel-action.1.0.0-2.0.0.yaml"


def refs():
    reg = r.registry()
    return reg.get("ptce-referentiel-action", "1.0.0"), reg.get("ptce-referentiel-action", "2.0.0")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_crosswalk_validates(path):
    cw = cw_mod.load_file(path)
    assert cw.links and all(k.relation in cw_mod.RELATIONS for k in cw.links)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_french_typography_of_shipped_crosswalks(path):
    text = path.read_text(encoding="utf-8")
    assert "'" not in re.sub(r"^\s*#.*$", "", text, flags=re.M)
    space = " "  # an ordinary space, where French wants a no-break one
    for bad in (space + ":", space + ";", space + "?", space + "!", "«" + space, space + "»"):
        assert bad not in text, bad


def test_every_v1_criterion_is_accounted_for_and_every_v2_criterion_has_one_line():
    v1, v2 = refs()
    cw = cw_mod.load_file(V1_V2)
    sources = {s for k in cw.links for s in k.sources}
    assert sources == {c.id for c in v1.criteria()}
    targets = [k.target for k in cw.links if k.target]
    assert sorted(targets) == sorted(c.id for c in v2.criteria()) and len(targets) == len(set(targets))
    # an id found in both versions keeps its meaning: it maps onto itself, as same or reworded
    for c in v2.criteria():
        if v1.has_criterion(c.id):
            link = cw.link(c.id)
            assert link.relation in cw_mod.CARRIED and link.sources == (c.id,), c.id
    assert cw.removed() == ["ECO.4"]
    assert cw.link("GOV.7").relation == cw.link("GOV.8").relation == "split"
    assert cw.link("INN.6").sources == ("INN.3", "ACT.4") and cw.link("INN.6").relation == "merged"


def test_correspondence_names_the_criteria_left_out():
    v1, v2 = refs()
    co = cw_mod.correspondence(v1, v2)
    assert co.crosswalk is not None
    assert co.mapping["TER.4"] == "TER.4" and "GOV.7" not in co.mapping
    assert {"GOV.7", "GOV.8", "ECO.7", "INN.6", "COO.10"} <= set(co.left_out)
    assert set(co.left_out) == {c.id for c in v2.criteria()} - set(co.mapping)
    same = cw_mod.correspondence(v1, v1)
    assert same.mapping is None and same.left_out == []


def _write(tmp_path: Path, data: dict, name="reseau.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in s)


@pytest.fixture
def data():
    return yaml.safe_load(V1_V2.read_text(encoding="utf-8"))


def test_unknown_source_names_file_line_and_field(tmp_path, data):
    data["criteria"][3]["sources"] = ["FIN.99"]
    path = _write(tmp_path, data)
    with pytest.raises(cw_mod.CrosswalkError, match=rf"^reseau.yaml, ligne {_line_of(path, 'FIN.99')}, "
                                                    r"champ «.criteria\[3\]\.sources\[0\].».*FIN.99"):
        cw_mod.load_file(path)


def test_schema_error_names_file_line_and_field(tmp_path, data):
    data["criteria"][5]["relation"] = "renamed"
    path = _write(tmp_path, data)
    with pytest.raises(cw_mod.CrosswalkError, match=rf"ligne {_line_of(path, 'renamed')}, champ «.criteria\[5\]\.relation"):
        cw_mod.load_file(path)


def test_a_forgotten_criterion_is_refused(tmp_path, data):
    data["criteria"] = [e for e in data["criteria"] if e.get("sources") != ["ECO.4"]]
    with pytest.raises(cw_mod.CrosswalkError, match="version 1.0.0 dont le devenir n’est pas dit.*ECO.4"):
        cw_mod.load_file(_write(tmp_path, data))
    data["criteria"] = [e for e in data["criteria"] if e.get("target") != "GOV.11"]
    with pytest.raises(cw_mod.CrosswalkError, match="version 2.0.0 sans ligne.*GOV.11"):
        cw_mod.load_file(_write(tmp_path, data, "b.yaml"))


@pytest.mark.parametrize("relation, sources, message", [
    ("same", ["FIN.1", "FIN.3"], "demande une source"),
    ("merged", ["FIN.1"], "au moins deux sources"),
    ("new", ["FIN.1"], "aucune source"),
])
def test_relation_and_number_of_sources_must_agree(tmp_path, data, relation, sources, message):
    data["criteria"][0].update(relation=relation, sources=sources)
    with pytest.raises(cw_mod.CrosswalkError, match=message):
        cw_mod.load_file(_write(tmp_path, data))


def test_a_crosswalk_for_a_referential_not_installed_says_so(tmp_path, data):
    data["from"] = "0.9.0"
    with pytest.raises(cw_mod.CrosswalkError, match="reseau.yaml : .*version 0.9.0 n’est pas installé"):
        cw_mod.load_file(_write(tmp_path, data))


def test_crosswalk_yaml_goes_through_the_referential_parser(tmp_path, monkeypatch):
    seen = []
    real = r.parse_untrusted_yaml
    monkeypatch.setattr(r, "parse_untrusted_yaml", lambda raw, name, **kw: seen.append(name) or real(raw, name, **kw))
    cw_mod.load_file(V1_V2)
    assert V1_V2.name in seen
    bad = tmp_path / "casse.yaml"
    bad.write_text("format: [pas fermé\n", encoding="utf-8")
    with pytest.raises(cw_mod.CrosswalkError, match="casse.yaml, ligne \\d+\u00a0: YAML illisible"):
        cw_mod.load_file(bad)


def test_a_network_crosswalk_in_the_user_folder_is_found(tmp_path, data):
    v1, v2 = refs()
    folder = paths.user_referential_dir() / "crosswalks"
    folder.mkdir(parents=True)
    _write(folder, data, "reseau.yaml")
    assert cw_mod.find(v1, v2) is not None
