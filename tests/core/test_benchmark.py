"""« Repères du réseau »: figures by hand, the rule of five (differencing included), strict reading."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ptce_toolkit import benchmark as bm
from ptce_toolkit.records import AnswerData


def pole(n: int, levels: dict[str, int], region: str = "", kind: str = "") -> bm.PoleFigures:
    answers = {c: AnswerData(c, "answered", lv) for c, lv in levels.items()}
    return bm.PoleFigures(f"pole-{n}", answers, {"region": region, "type_territoire": kind})


def fin_everywhere(ref, level: int) -> dict[str, int]:
    fin = next(d for d in ref.domains if d.id == "FIN")
    return {c.id: level for c in fin.criteria}


def test_median_and_quartiles_computed_by_hand(ref):
    poles = [pole(i, {"GOV.1": lv}) for i, lv in enumerate([0, 1, 2, 3, 4])]
    pack = bm.build_pack(ref, poles, name="Réseau test", made_on=date(2026, 12, 1))
    whole = bm.group_of(pack)
    # levels 0 1 2 3 4: median 2, first quartile 1, third quartile 3 (inclusive method)
    assert whole["chiffres"]["GOV.1"] == {"n": 5, "mediane": 2, "q1": 1, "q3": 3}
    assert "GOV.2" not in whole["chiffres"]  # nobody answered it
    assert pack["date"] == "2026-12-01" and pack["referentiel"] == {"id": ref.id, "version": ref.version}


def test_four_poles_publish_nothing(ref):
    pack = bm.build_pack(ref, [pole(i, {"GOV.1": 2}) for i in range(4)], name="Petit réseau")
    assert bm.group_of(pack)["chiffres"] == {}
    assert all(g["decoupage"] == "ensemble" for g in pack["groupes"])


@pytest.mark.parametrize(("sizes", "published"), [
    ({"Bretagne": 5, "Occitanie": 5}, {"Bretagne", "Occitanie"}),
    # 9 poles: Occitanie (4) is held back; publishing Bretagne (5) would give it away
    # by difference with the whole network, so Bretagne is held back too
    ({"Bretagne": 5, "Occitanie": 4}, set()),
    ({"Bretagne": 7, "Occitanie": 4, "Corse": 1}, {"Bretagne"}),
    ({"Bretagne": 6, "": 3}, set()),  # poles with no region count as held back
    ({"Bretagne": 6, "Occitanie": 6, "Corse": 2}, {"Occitanie"}),
])
def test_no_group_of_fewer_than_five_even_by_difference(ref, sizes, published):
    poles, n = [], 0
    for region, size in sizes.items():
        for _ in range(size):
            poles.append(pole(n, {"GOV.1": n % 5}, region=region))
            n += 1
    pack = bm.build_pack(ref, poles, name="Réseau")
    regions = {g["valeur"] for g in pack["groupes"] if g["decoupage"] == "region"}
    assert regions == published
    for g in pack["groupes"]:
        assert all(s["n"] >= 5 for s in g["chiffres"].values())
    held_back = len(poles) - sum(sizes[r] for r in published)
    assert held_back == 0 or held_back >= 5


def test_the_pack_round_trips_and_gives_the_position_by_hand(ref, tmp_path):
    # FIN scores of the network: 0, 1, 2, 3, 4, 4 -> median 2.5, q1 1.25, q3 3.75
    poles = [pole(i, fin_everywhere(ref, lv), region="Bretagne") for i, lv in enumerate([0, 1, 2, 3, 4, 4])]
    pack = bm.build_pack(ref, poles, name="Réseau breton")
    path = bm.write_pack(pack, tmp_path / "reperes.json")
    again = bm.read_pack(path)
    assert again == pack
    mine = {c: AnswerData(c, "answered", 1) for c in fin_everywhere(ref, 1)}
    fin = next(p for p in bm.positions(ref, again, mine) if p.key == "FIN")
    assert (fin.own, fin.network) == (1.0, bm.Stat(6, 2.5, 1.25, 3.75))
    assert fin.verdict == "sous le 1er quartile"
    by_region = next(p for p in bm.positions(ref, again, mine, breakdown="region", value="Bretagne") if p.key == "FIN")
    assert by_region.network == fin.network
    assert [p.key for p in bm.positions(ref, again, mine)] == ["FIN", "indice"]


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "ptce-reperes", "format": "x"}', "la clé « format » apparaît deux fois"),
    ('{"n": NaN}', "valeur non numérique « NaN » refusée"),
    ("nom;valeur\n", "n’est pas un fichier de repères du réseau"),
    ('{"format": "ptce-reperes"}', "contenu non conforme au format des repères"),
])
def test_a_bad_pack_is_refused_in_french(tmp_path, text, message):
    path = tmp_path / "reperes.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(bm.PackRefused) as err:
        bm.read_pack(path)
    assert message in str(err.value) and "« reperes.json »" in str(err.value)


def test_a_pack_publishing_four_poles_is_refused(ref, tmp_path):
    pack = bm.build_pack(ref, [pole(i, {"GOV.1": i}) for i in range(5)], name="Réseau")
    bm.group_of(pack)["chiffres"]["GOV.1"]["n"] = 4
    path = tmp_path / "reperes.json"
    path.write_text(json.dumps(pack), encoding="utf-8")
    with pytest.raises(bm.PackRefused) as err:
        bm.read_pack(path)
    assert "pour 4 pôles, moins que les 5 requis" in str(err.value)
