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
    # FIN: one criterion at 4 -> 4.0 ; TER: five criteria at 0,0,0,0,1 -> 0.2
    answers = {"FIN.1": answered("FIN.1", 4)}
    answers.update({f"TER.{i}": answered(f"TER.{i}", 0) for i in range(1, 5)})
    answers["TER.5"] = answered("TER.5", 1)
    s = scoring.score(ref, answers)
    assert s.domains["TER"].score == pytest.approx(0.2)
    assert s.overall == pytest.approx((4.0 + 0.2) / 2)  # not (4+0+0+0+0+1)/6
    assert s.strongest() == ["FIN"] and s.weakest() == ["TER"]


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


def test_learning_and_interaction_axes_by_hand(ref):
    answers = {"INN.3": answered("INN.3", 4), "INN.5": answered("INN.5", 1),
               "EVA.1": AnswerData("EVA.1", "not_applicable"),  # left out, not counted as 0
               "ACT.2": answered("ACT.2", 3), "COO.2": AnswerData("COO.2", "unknown")}
    assert scoring.learning_interaction(ref, answers) == (pytest.approx(2.5), pytest.approx(3.0))
    assert scoring.learning_interaction(ref, {}) == (None, None)
