"""Scores computed by hand on small, known answer sets (method: docs/METHODE.md)."""

from __future__ import annotations

import pytest

from ptce_toolkit import scoring
from ptce_toolkit.records import AnswerData


def answered(cid, level, priority=False):
    return AnswerData(cid, "answered", level, priority=priority)


def test_domain_mean_excludes_na_dk_and_unanswered(ref):
    # FIN has 5 criteria: levels 4 and 1, one NA, one DK, one left empty.
    answers = {
        "FIN.1": answered("FIN.1", 4), "FIN.2": answered("FIN.2", 1),
        "FIN.3": AnswerData("FIN.3", "not_applicable"), "FIN.4": AnswerData("FIN.4", "unknown"),
    }
    s = scoring.score(ref, answers)
    fin = s.domains["FIN"]
    assert fin.score == pytest.approx(2.5)
    assert (fin.answered, fin.not_applicable, fin.unknown, fin.unanswered) == (2, 1, 1, 1)
    # only FIN has numbers, so the overall index is FIN's score
    assert s.overall == pytest.approx(2.5)
    assert s.domains["TER"].score is None
    # completion = numeric answers / (48 criteria - 1 NA)
    assert s.completion == pytest.approx(2 / 47)
    assert s.counts == {"answered": 2, "not_applicable": 1, "unknown": 1, "unanswered": 44}
    assert s.distribution == {0: 0, 1: 1, 2: 0, 3: 0, 4: 1}


def test_overall_is_mean_of_domain_scores_not_of_criteria(ref):
    # FIN: three criteria at 4 -> 4.0 ; TER: five criteria at 0,0,0,0,1 -> 0.2
    answers = {f"FIN.{i}": answered(f"FIN.{i}", 4) for i in range(1, 4)}
    answers.update({f"TER.{i}": answered(f"TER.{i}", 0) for i in range(1, 5)})
    answers["TER.5"] = answered("TER.5", 1)
    s = scoring.score(ref, answers)
    assert s.domains["TER"].score == pytest.approx(0.2)
    assert s.overall == pytest.approx((4.0 + 0.2) / 2)  # not (4*3+0+0+0+0+1)/8
    assert s.strongest() == ["FIN"] and s.weakest() == ["TER"]


def test_a_domain_with_fewer_than_half_answered_is_kept_out_of_the_index(ref):
    # FIN (5 criteria, 1 NA -> 4 applicable): 1 level -> 1 < 4/2 -> insufficient
    # TER (5 criteria): 3 levels -> 3 >= 5/2 -> counted ; exactly half counts (see next test)
    answers = {"FIN.1": answered("FIN.1", 4), "FIN.2": AnswerData("FIN.2", "not_applicable", comment="pas de cible"),
               "FIN.3": AnswerData("FIN.3", "unknown")}
    answers.update({f"TER.{i}": answered(f"TER.{i}", 1) for i in range(1, 4)})
    s = scoring.score(ref, answers)
    fin = s.domains["FIN"]
    assert fin.score == 4.0 and fin.insufficient and not fin.counted
    assert not s.domains["TER"].insufficient
    assert s.insufficient == ["FIN"]
    assert s.overall == pytest.approx(1.0)  # TER only, FIN's 4,0 stays out
    assert s.strongest(3) == ["TER"]  # rankings ignore it too
    # exactly half of the applicable criteria is enough: 2 levels out of 4 applicable
    answers["FIN.4"] = answered("FIN.4", 2)
    s = scoring.score(ref, answers)
    assert not s.domains["FIN"].insufficient and s.overall == pytest.approx((3.0 + 1.0) / 2)


def test_median_and_distribution_beside_the_mean(ref):
    answers = {f"FIN.{i}": answered(f"FIN.{i}", lv) for i, lv in zip(range(1, 6), (0, 0, 1, 4, 4))}
    s = scoring.score(ref, answers)
    assert s.distribution == {0: 2, 1: 1, 2: 0, 3: 0, 4: 2}
    assert s.median == 1.0 and s.mean_level == pytest.approx(1.8)


def test_unexplained_not_applicable_is_listed(ref):
    answers = {"TER.5": AnswerData("TER.5", "not_applicable", comment="Pas de lieu : choix assumé"),
               "COO.6": AnswerData("COO.6", "not_applicable", comment="  "),
               "INN.2": AnswerData("INN.2", "not_applicable")}
    assert scoring.score(ref, answers).unexplained_na == ["COO.6", "INN.2"]


@pytest.mark.parametrize("value, shown", [(2.25, 2.3), (2.35, 2.4), (0.15, 0.2), (0.05, 0.1), (-0.05, -0.1),
                                          (2.649, 2.6), (1 / 6, 0.2), (-0.04, 0.0), (None, None)])
def test_one_rounding_rule_half_away_from_zero(value, shown):
    assert scoring.rounded(value) == shown


def test_difference_is_taken_on_unrounded_scores_then_rounded_once():
    before, now = 2.5, 2 + 2 / 3  # a true change of 0,1667
    assert scoring.difference(now, before) == 0.2
    # rounding each score first would say 2,7 - 2,5 = 0,2 here but 0,1 in the next case
    assert scoring.difference(2.24, 2.06) == 0.2  # shown 2,2 and 2,1: honest 0,18 -> 0,2
    assert scoring.difference(None, 1.0) is None


def test_fmt_uses_the_core_rule():
    from ptce_toolkit import fmt

    assert fmt.score(2.25) == "2,3"  # Babel alone rounds half to even: 2,2
    assert fmt.signed_score(scoring.difference(2.5, 2 + 2 / 3)) == "\u22120,2"


def test_change_is_like_for_like_and_says_what_it_rests_on(ref):
    before = {"FIN.1": answered("FIN.1", 1), "FIN.2": answered("FIN.2", 2), "FIN.3": AnswerData("FIN.3", "unknown"),
              "TER.1": answered("TER.1", 3)}
    now = {"FIN.1": answered("FIN.1", 2), "FIN.2": answered("FIN.2", 2), "FIN.3": answered("FIN.3", 4),
           "FIN.4": answered("FIN.4", 4)}
    cmp = scoring.compare(ref, now, before)
    fin = cmp.domains["FIN"]
    # FIN.3 and FIN.4 were not rated both years: left out of the change
    assert fin.criteria == ["FIN.1", "FIN.2"]
    assert (fin.before, fin.now, fin.difference) == (1.5, 2.0, 0.5)
    assert cmp.domains["TER"].criteria == [] and cmp.domains["TER"].difference is None
    assert cmp.criteria == 2 and {"FIN.3", "FIN.4", "TER.1"} <= set(cmp.not_in_both)
    # naive full scores would claim +1,5 for FIN (3,0 now vs 1,5 before)
    assert scoring.score(ref, now).domains["FIN"].score - scoring.score(ref, before).domains["FIN"].score == 1.5
    assert cmp.difference == 0.5 and cmp.left_out == []


def test_change_across_versions_uses_the_mapping_and_names_what_is_left_out(ref):
    before = {"FIN.1": answered("FIN.1", 1), "FIN.2": answered("FIN.2", 3)}
    now = {"FIN.1": answered("FIN.1", 2), "FIN.2": answered("FIN.2", 1)}
    mapping = {"FIN.1": "FIN.1"}  # say FIN.2 changed meaning
    cmp = scoring.compare(ref, now, before, mapping)
    assert cmp.domains["FIN"].criteria == ["FIN.1"] and cmp.domains["FIN"].difference == 1.0
    assert "FIN.2" in cmp.left_out and "TER.1" in cmp.left_out


def test_all_not_applicable_domain_has_no_score_and_full_completion(ref):
    answers = {f"RES.{i}": AnswerData(f"RES.{i}", "not_applicable") for i in range(1, 5)}
    s = scoring.score(ref, answers)
    assert s.domains["RES"].score is None
    assert s.overall is None
    assert s.completion == 0.0  # nothing numeric among the 44 applicable criteria


def test_priority_flags_are_listed_even_without_level(ref):
    answers = {"GOV.4": answered("GOV.4", 0, priority=True), "EVA.1": AnswerData("EVA.1", priority=True)}
    assert scoring.score(ref, answers).priority_criteria == ["GOV.4", "EVA.1"]


def test_json_shape_matches_the_documented_format(ref):
    d = scoring.score(ref, {"FIN.1": answered("FIN.1", 3)}).as_dict()
    assert d["domains"]["FIN"] == 3.0 and d["domains"]["TER"] is None
    assert set(d["counts"]) == {"answered", "not_applicable", "unknown", "unanswered"}
    assert set(d["distribution"]) == {"0", "1", "2", "3", "4"}


def test_level_stats_by_hand():
    st = scoring.level_stats([1, 3, 3, 1])
    assert st == {"n": 4, "mean": 2.0, "median": 2.0, "range": 2, "stdev": 1.0}
    assert scoring.level_stats([])["mean"] is None


def test_objective_groups_are_summarised():
    from ptce_toolkit import referential as r

    v2 = r.registry().get("ptce-referentiel-action", "2.0.0")
    answers = {"TER.1": answered("TER.1", 4), "TER.2": answered("TER.2", 2), "TER.3": AnswerData("TER.3", "unknown")}
    groups = {g.group_id: g for g in scoring.group_scores(v2, answers)}
    assert list(groups) == ["dynamisme_economique", "ancrage_territorial", "mobilisation_acteurs"]
    anchoring = groups["ancrage_territorial"]
    assert (anchoring.score, anchoring.answered, anchoring.criteria) == (3.0, 2, 6) and anchoring.insufficient
    assert groups["dynamisme_economique"].score is None


def test_learning_and_interaction_axes_by_hand(ref):
    answers = {"INN.3": answered("INN.3", 4), "INN.5": answered("INN.5", 1),
               "EVA.1": AnswerData("EVA.1", "not_applicable"),  # left out, not counted as 0
               "ACT.2": answered("ACT.2", 3), "COO.2": AnswerData("COO.2", "unknown")}
    assert scoring.learning_interaction(ref, answers) == (pytest.approx(2.5), pytest.approx(3.0))
    assert scoring.learning_interaction(ref, {}) == (None, None)


def test_the_median_is_statistics_median():
    """scoring writes its own median (statistics costs 3 ms at each command start): the same to the letter."""
    import random
    import statistics

    from ptce_toolkit.scoring import _median

    rng = random.Random(17)
    for _ in range(3000):
        data = [rng.choice([0, 1, 2, 3, 4]) for _ in range(rng.randint(1, 60))]
        assert _median(data) == statistics.median(data) and type(_median(data)) is type(statistics.median(data))
    assert _median([2.5, 1.0, 4.0, 3.0]) == statistics.median([2.5, 1.0, 4.0, 3.0])


def test_the_host_name_is_sockets():
    import socket

    from ptce_toolkit import atomic

    assert atomic._host_name() == socket.gethostname()
