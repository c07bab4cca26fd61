"""SWOT suggestions from the answers: 3–4 → forces, 0–1 → faiblesses, 2 and non-numeric → none."""

from __future__ import annotations

from ptce_toolkit.services.suggestions import swot_suggestions
from ptce_toolkit.snapshot import AnswerData, SwotData


def answered(cid, level, priority=False):
    return AnswerData(cid, "answered", level, priority=priority)


def test_levels_map_to_quadrants(ref):
    answers = {
        "FIN.1": answered("FIN.1", 4),
        "FIN.2": answered("FIN.2", 3),
        "FIN.3": answered("FIN.3", 2),
        "FIN.4": answered("FIN.4", 1),
        "FIN.5": answered("FIN.5", 0),
        "TER.1": AnswerData("TER.1", "not_applicable"),
        "TER.2": AnswerData("TER.2", "unknown"),
    }
    got = {(s.criteria[0], s.quadrant) for s in swot_suggestions(ref, answers)}
    assert got == {("FIN.1", "S"), ("FIN.2", "S"), ("FIN.4", "W"), ("FIN.5", "W")}


def test_text_comes_from_the_statement_and_detail_from_the_level(ref):
    force, faiblesse = swot_suggestions(ref, {"GOV.1": answered("GOV.1", 4), "GOV.4": answered("GOV.4", 0)})
    assert force.text == ref.criterion("GOV.1").statement
    statement = ref.criterion("GOV.4").statement
    assert faiblesse.text == "À construire\u00a0: " + statement[0].lower() + statement[1:]
    assert faiblesse.detail == ref.criterion("GOV.4").level_hints[0]
    assert faiblesse.detail  # the shipped referential describes every level


def test_importance_and_order(ref):
    answers = {
        "FIN.2": answered("FIN.2", 3),                  # medium
        "TER.1": answered("TER.1", 4),                  # extreme -> high
        "GOV.1": answered("GOV.1", 1, priority=True),   # priority -> high
        "ECO.1": answered("ECO.1", 1),                  # medium
    }
    got = [(s.criteria[0], s.importance) for s in swot_suggestions(ref, answers)]
    assert got == [("TER.1", 3), ("GOV.1", 3), ("FIN.2", 2), ("ECO.1", 2)]


def test_criteria_already_in_the_grid_are_not_suggested_again(ref):
    answers = {"FIN.1": answered("FIN.1", 4), "FIN.4": answered("FIN.4", 0)}
    existing = [SwotData("u1", "S", "Notre charte", criteria=["FIN.1"]),
                SwotData("u2", "S", "Lié au mauvais quadrant", criteria=["FIN.4"])]
    got = [(s.criteria[0], s.quadrant) for s in swot_suggestions(ref, answers, existing)]
    assert got == [("FIN.4", "W")]


def test_demo_assessment_gives_suggestions_on_both_sides(demo):
    from ptce_toolkit import services as sv

    db, uuid = demo
    ref = sv.referential_of(db, uuid)
    suggestions = swot_suggestions(ref, sv.get_answers(db, uuid), sv.list_swot(db, uuid))
    quadrants = {s.quadrant for s in suggestions}
    assert quadrants == {"S", "W"}
    # the demo grid already links COO.5 (rated 4) to a force
    assert not any(s.criteria == ["COO.5"] and s.quadrant == "S" for s in suggestions)
