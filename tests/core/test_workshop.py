"""Workshop mode core: participants, individual ratings, divergence, agreed answer."""

from __future__ import annotations

import math

import pytest

from ptce_toolkit import scoring
from ptce_toolkit import services as sv
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.services import workshop as ws

NA, DK = "NA", "DK"
PEOPLE = [("Awa Diallo", "ess"), ("Bruno Marchal", "entreprise"), ("Claire Roussel", "collectivite"),
          ("David Nguyen", "recherche"), ("Élise Fontaine", "ess")]
# criterion -> rating of each of the five people above (None: not rated)
RATINGS = {
    "FIN.1": [4, 0, 4, 0, 4],
    "GOV.1": [0, 4, 2, 2, 2],
    "GOV.2": [1, 1, 3, 3, NA],
    "GOV.3": [2, 2, 2, 2, 2],
    "GOV.4": [0, 2, 0, 2, 2],
    "GOV.5": [3, DK, None, None, None],
    "GOV.6": [3, 3, 1, 1, None],
}


def rate(db, uuid, person, crit, value):
    if value == NA:
        ws.set_rating(db, uuid, person, crit, status="not_applicable")
    elif value == DK:
        ws.set_rating(db, uuid, person, crit, status="unknown")
    elif value is not None:
        ws.set_rating(db, uuid, person, crit, level=value)


@pytest.fixture
def session(db):
    pole = sv.create_pole(db, "Pôle de l’Estuaire").created
    uuid = sv.create_assessment(db, pole, "Séance de printemps").created
    people = [ws.add_participant(db, uuid, name, college).created for name, college in PEOPLE]
    for crit, values in RATINGS.items():
        for person, value in zip(people, values):
            rate(db, uuid, person, crit, value)
    return db, uuid, people


def test_participants_are_listed_in_the_order_they_were_added(session):
    db, uuid, people = session
    listed = ws.list_participants(db, uuid)
    assert [(p.name, p.college) for p in listed] == PEOPLE
    assert [p.uuid for p in listed] == people


def test_divergence_of_each_criterion_computed_by_hand(session):
    db, uuid, people = session
    div = ws.divergence(db, uuid)
    g1 = div.criteria["GOV.1"]
    # 0 4 2 2 2: mean 2, squared deviations 4+4 -> variance 8/5
    assert (g1.n, g1.mean, g1.median, g1.range) == (5, 2.0, 2, 4)
    assert g1.stdev == pytest.approx(math.sqrt(1.6))
    assert g1.spread
    assert g1.by_college == {"ess": [0, 2], "entreprise": [4], "collectivite": [2], "recherche": [2]}
    assert g1.levels == dict(zip(people, [0, 4, 2, 2, 2]))
    g2 = div.criteria["GOV.2"]  # the "sans objet" is left out of the measures but kept
    assert (g2.n, g2.mean, g2.range, g2.stdev) == (4, 2.0, 2, 1.0)
    assert g2.count("not_applicable") == 1 and len(g2.answers) == 5
    g4 = div.criteria["GOV.4"]  # 0 2 0 2 2: mean 1.2, variance (2·1.44 + 3·0.64)/5 = 0.96
    assert g4.mean == pytest.approx(1.2)
    assert g4.stdev == pytest.approx(math.sqrt(0.96))
    assert (g4.median, g4.range) == (2, 2)
    g3 = div.criteria["GOV.3"]
    assert (g3.range, g3.stdev, g3.spread) == (0, 0.0, False)
    g5 = div.criteria["GOV.5"]  # one numeric rating, one « ne sait pas »
    assert (g5.n, g5.range, g5.count("unknown")) == (1, 0, 1)
    assert not g5.spread
    f1 = div.criteria["FIN.1"]  # 4 0 4 0 4: mean 2.4, variance (3·2.56 + 2·5.76)/5 = 3.84
    assert f1.stdev == pytest.approx(math.sqrt(3.84))
    untouched = div.criteria["TER.1"]
    assert (untouched.n, untouched.range, untouched.mean) == (0, None, None)


def test_domain_measures_count_criteria_compared_by_two_people_or_more(session):
    db, uuid, _ = session
    div = ws.divergence(db, uuid)
    gov = div.domains["GOV"]
    # GOV.5 has one numeric rating: not compared. Ranges 4, 2, 0, 2, 2.
    assert gov.compared == 5
    assert gov.mean_range == pytest.approx(10 / 5)
    assert gov.spread_count == 4
    assert (div.domains["FIN"].compared, div.domains["FIN"].mean_range, div.domains["FIN"].spread_count) == (1, 4, 1)
    assert (div.domains["TER"].compared, div.domains["TER"].mean_range, div.domains["TER"].spread_count) == (0, None, 0)


def test_session_order_range_then_stdev_then_referential(session):
    db, uuid, _ = session
    order = [c.criterion_id for c in ws.session_order(ws.divergence(db, uuid))]
    # FIN.1 and GOV.1 both span 4 levels, FIN.1 with the larger deviation; GOV.2 and GOV.6
    # tie exactly (range 2, deviation 1) and keep the referential order; GOV.4 (0.98) after.
    assert order[:6] == ["FIN.1", "GOV.1", "GOV.2", "GOV.6", "GOV.4", "GOV.3"]
    # then every criterion not compared, in the referential's order
    rest = [c.id for c in sv.referential_of(db, uuid).criteria() if c.id not in order[:6]]
    assert order[6:] == rest
    assert [c.criterion_id for c in ws.divergence(db, uuid).most_divergent(3)] == ["FIN.1", "GOV.1", "GOV.2"]


def test_agreed_answer_scores_and_individual_ratings_do_not(session, ref):
    db, uuid, people = session
    assert scoring.score(ref, sv.get_answers(db, uuid)).overall is None  # only individual ratings so far
    change = ws.record_agreed(db, uuid, "GOV.1", level=3, reason="Le bureau se réunit tous les mois.")
    assert change.answers == {"GOV.1"} and change.inverse.name == "delete_answer"  # there was no agreed answer
    agreed = sv.get_answers(db, uuid)
    assert list(agreed) == ["GOV.1"]
    assert (agreed["GOV.1"].level, agreed["GOV.1"].comment) == (3, "Le bureau se réunit tous les mois.")
    scores = scoring.score(ref, snap_mod.load(db, uuid).answers)
    assert scores.domains["GOV"].score == 3.0
    assert scores.domains["GOV"].answered == 1
    assert scores.domains["FIN"].score is None  # FIN.1 was rated by people, never agreed
    # the individual ratings are still there, untouched
    assert ws.participant_answers(db, uuid)[people[0]]["GOV.1"].level == 0
    assert ws.divergence(db, uuid).criteria["GOV.1"].agreed.level == 3


def test_agreed_answer_undo_and_special_status(session):
    db, uuid, _ = session
    first = ws.record_agreed(db, uuid, "GOV.2", level=2, reason="Compromis")
    second = ws.record_agreed(db, uuid, "GOV.2", status="not_applicable", reason="")
    assert sv.get_answer(db, uuid, "GOV.2").status == "not_applicable"
    assert sv.get_answer(db, uuid, "GOV.2").comment == "Compromis"  # no new reason: the old one stays
    sv.apply(db, second.inverse)
    assert (sv.get_answer(db, uuid, "GOV.2").level, sv.get_answer(db, uuid, "GOV.2").status) == (2, "answered")
    sv.apply(db, first.inverse)
    assert sv.get_answer(db, uuid, "GOV.2").status == "unanswered"


def test_solo_diagnostic_is_unchanged_by_one_participant(demo, ref):
    db, uuid = demo
    before = scoring.score(ref, sv.get_answers(db, uuid)).as_dict()
    solo = ws.add_participant(db, uuid, "Coordinatrice", "salaries").created
    for c in ref.criteria():
        ws.set_rating(db, uuid, solo, c.id, level=0)
    assert scoring.score(ref, sv.get_answers(db, uuid)).as_dict() == before
    div = ws.divergence(db, uuid)
    assert all(d.compared == 0 and d.mean_range is None for d in div.domains.values())
    assert [c.criterion_id for c in div.ordered()] == [c.id for c in ref.criteria()]
    assert div.most_divergent() == []


def test_no_participant_at_all(demo, ref):
    db, uuid = demo
    div = ws.divergence(db, uuid)
    assert div.participants == []
    assert all(c.n == 0 for c in div.criteria.values())
    assert div.criteria["GOV.4"].agreed.level == 0  # the demo's agreed answer is still read


def test_rename_college_remove_and_restore(session):
    db, uuid, people = session
    assert ws.rename_participant(db, people[1], "Bruno Marchal-Lenoir").inverse == \
        sv.Operation.of("rename_participant", people[1], "Bruno Marchal")
    assert ws.set_participant_college(db, people[1], "salaries").inverse.args == (people[1], "entreprise")
    removed = ws.remove_participant(db, people[0]).inverse
    assert [p.uuid for p in ws.list_participants(db, uuid)] == people[1:]
    assert people[0] not in ws.participant_answers(db, uuid)
    assert ws.divergence(db, uuid).criteria["GOV.1"].levels == dict(zip(people[1:], [4, 2, 2, 2]))
    sv.apply(db, removed)
    listed = ws.list_participants(db, uuid)
    assert [p.uuid for p in listed] == people
    assert (listed[1].name, listed[1].college) == ("Bruno Marchal-Lenoir", "salaries")
    restored = ws.participant_answers(db, uuid)[people[0]]
    assert {c: a.level for c, a in restored.items()} == {"FIN.1": 4, "GOV.1": 0, "GOV.2": 1, "GOV.3": 2,
                                                          "GOV.4": 0, "GOV.5": 3, "GOV.6": 3}


def test_rating_undo_through_its_inverse(session):
    db, uuid, people = session
    change = ws.set_rating(db, uuid, people[2], "GOV.1", level=4)
    assert change.ratings == {(people[2], "GOV.1")} and not change.answers
    sv.apply(db, change.inverse)
    assert ws.participant_answers(db, uuid)[people[2]]["GOV.1"].level == 2
    assert sv.get_answer(db, uuid, "GOV.1").status == "unanswered"  # the agreed answer never moved


def test_bad_requests_are_refused_in_french(session):
    db, uuid, people = session
    with pytest.raises(sv.ServiceError, match="déjà «\u00a0Awa Diallo\u00a0»"):
        ws.add_participant(db, uuid, "  awa   diallo ")
    with pytest.raises(sv.ServiceError, match="vide"):
        ws.add_participant(db, uuid, "   ")
    with pytest.raises(sv.ServiceError, match="Collège inconnu"):
        ws.add_participant(db, uuid, "Fatou", "syndicat")
    other = sv.create_assessment(db, sv.create_pole(db, "Autre pôle").created).created
    with pytest.raises(sv.ServiceError, match="autre évaluation"):
        ws.set_rating(db, other, people[0], "GOV.1", level=1)
    with pytest.raises(sv.NotFound):
        ws.rename_participant(db, "00000000-0000-0000-0000-000000000000", "X")
    with pytest.raises(sv.ServiceError, match="Critère"):
        ws.set_ratings(db, uuid, {people[0]: {"ZZZ.9": snap_mod.AnswerData("ZZZ.9", "answered", 2)}})


def test_colleges_have_french_labels_and_are_recognised_from_text():
    assert ws.college_label("collectivite") == "Collectivité"
    assert ws.college_label("") == "Collège non précisé"
    assert ws.college_label("Syndicat") == "Syndicat"
    assert ws.college_id("  COLLECTIVITE ") == "collectivite"
    assert ws.college_id("Structure de l'ESS") == "ess"
    assert ws.college_id("recherche / formation") == "recherche"
    assert ws.college_id("Syndicat") == "Syndicat"
    assert all("'" not in label for label in ws.COLLEGES.values())
