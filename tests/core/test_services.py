"""Services: every edit is stored, checked, and returns what undo needs."""

from __future__ import annotations

import sqlite3

import pytest

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot
from ptce_toolkit.exchange import to_document


@pytest.fixture
def assessment(db):
    pole = sv.create_pole(db, "Pôle des Écluses", territory="Val de Saône", department="71")
    return sv.create_assessment(db, pole, "Diagnostic 2026", started_on="2026-11-02")


def rows(db, sql, *args):
    """Read through a separate connection: what is there is committed."""
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_set_answer_is_committed_at_once_and_returns_previous(db, assessment):
    prev = sv.set_answer(db, assessment, "GOV.2", level=3, comment="Règlement intérieur voté en 2024")
    assert prev.status == "unanswered"
    # another connection sees it: the edit is committed, not pending
    assert rows(db, "SELECT status, level, comment FROM answer WHERE criterion_id='GOV.2'") == [
        ("answered", 3, "Règlement intérieur voté en 2024")]
    prev = sv.set_answer(db, assessment, "GOV.2", status="not_applicable")
    assert (prev.status, prev.level, prev.comment) == ("answered", 3, "Règlement intérieur voté en 2024")
    assert rows(db, "SELECT status, level, comment FROM answer WHERE criterion_id='GOV.2'") == [
        ("not_applicable", None, "Règlement intérieur voté en 2024")]  # comment kept: only status changed
    sv.restore_answer(db, assessment, prev)
    assert sv.get_answer(db, assessment, "GOV.2").level == 3


@pytest.mark.parametrize("kwargs, message", [
    ({"level": 5}, "entier de 0 à 4"),
    ({"level": -1}, "entier de 0 à 4"),
    ({"level": "3"}, "entier de 0 à 4"),
    ({"level": True}, "entier de 0 à 4"),
    ({"status": "peut-être"}, "Statut de réponse inconnu"),
])
def test_bad_answers_are_refused_and_change_nothing(db, assessment, kwargs, message):
    with pytest.raises(sv.ServiceError, match=message):
        sv.set_answer(db, assessment, "FIN.1", **kwargs)
    assert rows(db, "SELECT count(*) FROM answer") == [(0,)]


def test_unknown_criterion_is_refused(db, assessment):
    with pytest.raises(sv.ServiceError, match="Critère inconnu.*« FIN.9 »"):
        sv.set_answer(db, assessment, "FIN.9", level=2)


def test_swot_move_delete_restore_keeps_order_and_links(db, assessment):
    s1 = sv.add_swot_item(db, assessment, "S", "Confiance ancienne entre membres", criteria=["COO.5"])
    s2 = sv.add_swot_item(db, assessment, "S", "Un lieu totem", importance=3)
    w1 = sv.add_swot_item(db, assessment, "W", "Pas d’évaluation", criteria=["EVA.1"])
    opt = sv.add_option(db, assessment, "Évaluer avec l’université", swot=[s1, w1])
    old = sv.move_swot_item(db, s2, "W", 0)
    assert old == ("S", 1)
    snap = snapshot.load(db, assessment)
    assert [(i.quadrant, i.position, i.text) for i in snap.swot] == [
        ("S", 0, "Confiance ancienne entre membres"), ("W", 0, "Un lieu totem"), ("W", 1, "Pas d’évaluation")]
    removed = sv.delete_swot_item(db, s1)
    assert sv.get_option(db, opt).swot == [w1]
    sv.restore_swot_item(db, removed)
    assert sorted(sv.get_option(db, opt).swot) == sorted([s1, w1])
    assert sv.get_swot_item(db, s1).criteria == ["COO.5"]


def test_option_kind_is_derived_from_linked_quadrants(db, assessment):
    s = sv.add_swot_item(db, assessment, "S", "Force")
    w = sv.add_swot_item(db, assessment, "W", "Faiblesse")
    o = sv.add_swot_item(db, assessment, "O", "Opportunité")
    t = sv.add_swot_item(db, assessment, "T", "Menace")
    cases = [([s, o], "SO"), ([s, t], "ST"), ([w, o], "WO"), ([w, t], "WT"), ([o], ""), ([], "")]
    for links, kind in cases:
        uid = sv.add_option(db, assessment, f"Option {kind or 'sans type'}", swot=links)
        snap = snapshot.load(db, assessment)
        opt = next(x for x in snap.options if x.uuid == uid)
        assert snap.option_kind(opt) == kind


def test_actions_crud_and_restore(db, assessment):
    opt = sv.add_option(db, assessment, "Préparer la relève")
    a = sv.add_action(db, assessment, "Former deux binômes", owner="Bureau", due_on="2027-03-31", priority=1,
                      criteria=["GOV.4"], options=[opt])
    old = sv.update_action(db, a, status="doing", owner="Conseil")
    assert (old.status, old.owner) == ("todo", "Bureau")
    with pytest.raises(sv.ServiceError, match="Échéance invalide"):
        sv.update_action(db, a, due_on="31/03/2027")
    removed = sv.delete_action(db, a)
    assert rows(db, "SELECT count(*) FROM action_criterion") == [(0,)]
    sv.restore_action(db, removed)
    back = sv.get_action(db, a)
    assert (back.title, back.status, back.criteria, back.options) == ("Former deux binômes", "doing", ["GOV.4"], [opt])


def test_delete_assessment_then_restore_gives_back_everything(demo):
    db, uuid = demo
    before = to_document(snapshot.load(db, uuid))
    removed = sv.delete_assessment(db, uuid)
    assert rows(db, "SELECT count(*) FROM answer WHERE assessment_id=?", uuid) == [(0,)]
    sv.restore_assessment(db, removed)
    after = to_document(snapshot.load(db, uuid))
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before


def test_delete_pole_then_restore(demo):
    db, uuid = demo
    pole = snapshot.load(db, uuid).pole.uuid
    removed = sv.delete_pole(db, pole)
    assert sv.list_poles(db) == []
    sv.restore_pole(db, removed)
    assert len(sv.list_assessments(db, pole)) == 2


def test_copy_from_previous_year(demo):
    db, uuid = demo
    pole = snapshot.load(db, uuid).pole.uuid
    new = sv.create_assessment(db, pole, "Diagnostic 2027", copy_from="previous", started_on="2027-11-01")
    src, dst = snapshot.load(db, uuid), snapshot.load(db, new)
    assert {k: (v.status, v.level, v.comment) for k, v in dst.answers.items()} == \
        {k: (v.status, v.level, v.comment) for k, v in src.answers.items()}
    assert [s.text for s in dst.swot] == [s.text for s in src.swot]
    assert not {s.uuid for s in dst.swot} & {s.uuid for s in src.swot}  # copies, not shared rows
    # links follow the copies
    dst_ids = {s.uuid for s in dst.swot}
    assert all(set(o.swot) <= dst_ids for o in dst.options)
    assert dst.assessment.status == "draft" and dst.assessment.copied_from == uuid
    assert sv.previous_assessment(db, new) == uuid


def test_empty_pole_name_is_refused(db):
    with pytest.raises(sv.ServiceError, match="ne peut pas être vide"):
        sv.create_pole(db, "   ")


def test_option_kind_is_said_in_french_words():
    from ptce_toolkit.vocabulary import option_kind_label

    assert option_kind_label([]) == "Sans lien"
    assert option_kind_label(["W", "T"]) == "Faiblesse × menace"
    assert option_kind_label(["S", "W", "O"]) == "Force × opportunité ; Faiblesse × opportunité"
    assert option_kind_label(["T"]) == "Externe seulement"
    assert option_kind_label(["S", "W"]) == "Interne seulement"
