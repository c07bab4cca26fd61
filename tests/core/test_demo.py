"""The demo pole agrees with its own figures (issue 13: ECO.1 vs 2,5 ETP, ECO.4 vs 32,5 %)."""

from __future__ import annotations

from ptce_toolkit import demo
from ptce_toolkit import services as sv
from ptce_toolkit.snapshot import load


def test_demo_levels_agree_with_the_profile(demo, ref):
    db, uuid = demo
    snap = load(db, uuid)
    answers = snap.answers
    etp = snap.assessment.profile["etp_cellule"]["value"]
    own = snap.assessment.profile["autofinancement"]["value"]
    assert etp == 2.5 and own == 32.5
    # 1.0.0 ECO.1: level 3 = a dedicated team with a known volume (4 would also need every function covered)
    assert answers["ECO.1"].level == 3 and "2,5 ETP" in answers["ECO.1"].comment
    # 1.0.0 ECO.4: level 3 = above about 30 % and rising; the comment gives both years
    assert answers["ECO.4"].level == 3 and "32,5 %" in answers["ECO.4"].comment
    previous = sv.get_answers(db, sv.previous_assessment(db, uuid))
    assert previous["ECO.4"].level == 2 and "28 %" in previous["ECO.4"].comment
    assert "32,5" not in previous["ECO.4"].comment


def test_demo_tables_name_only_real_criteria(ref):
    ids = {c.id for c in ref.criteria()}
    assert set(demo.LEVELS_NOW) == ids
    assert set(demo.LEVELS_BEFORE) <= ids and set(demo.COMMENTS) <= ids and set(demo.COMMENTS_BEFORE) <= ids
