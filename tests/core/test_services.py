"""Services: every edit is stored, checked, runs in one transaction, and returns a change
record whose inverse undoes it."""

from __future__ import annotations

import sqlite3

import pytest

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot
from ptce_toolkit.exchange import to_document


@pytest.fixture
def assessment(db):
    pole = sv.create_pole(db, "Pôle des Écluses", territory="Val de Saône", department="71").created
    return sv.create_assessment(db, pole, "Diagnostic 2026", started_on="2026-11-02").created


def rows(db, sql, *args):
    """Read through a separate connection: what is there is committed."""
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_set_answer_is_committed_at_once_and_its_inverse_restores(db, assessment):
    first = sv.set_answer(db, assessment, "GOV.2", level=3, comment="Règlement intérieur voté en 2024")
    assert first.answers == {"GOV.2"} and first.assessment == assessment
    # another connection sees it: the edit is committed, not pending
    assert rows(db, "SELECT status, level, comment FROM answer WHERE criterion_id='GOV.2'") == [
        ("answered", 3, "Règlement intérieur voté en 2024")]
    second = sv.set_answer(db, assessment, "GOV.2", status="not_applicable")
    assert rows(db, "SELECT status, level, comment FROM answer WHERE criterion_id='GOV.2'") == [
        ("not_applicable", None, "Règlement intérieur voté en 2024")]  # comment kept: only status changed
    redo = sv.apply(db, second.inverse)
    assert sv.get_answer(db, assessment, "GOV.2").level == 3
    sv.apply(db, redo.inverse)
    assert rows(db, "SELECT status, level FROM answer WHERE criterion_id='GOV.2'") == [("not_applicable", None)]
    sv.apply(db, sv.apply(db, second.inverse).inverse)  # undo, redo again: same row
    sv.apply(db, second.inverse)
    sv.apply(db, first.inverse)  # the first answer of a criterion: undo leaves no row at all
    assert rows(db, "SELECT count(*) FROM answer") == [(0,)]


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
    s1 = sv.add_swot_item(db, assessment, "S", "Confiance ancienne entre membres", criteria=["COO.5"]).created
    s2 = sv.add_swot_item(db, assessment, "S", "Un lieu totem", importance=3).created
    w1 = sv.add_swot_item(db, assessment, "W", "Pas d’évaluation", criteria=["EVA.1"]).created
    opt = sv.add_option(db, assessment, "Évaluer avec l’université", swot=[s1, w1]).created
    moved = sv.move_swot_item(db, s2, "W", 0)
    # both quadrants were renumbered, and the option linked to W lists its links in a new order
    assert moved.swot == {s1, s2, w1} and moved.options == {opt}
    snap = snapshot.load(db, assessment)
    assert [(i.quadrant, i.position, i.text) for i in snap.swot] == [
        ("S", 0, "Confiance ancienne entre membres"), ("W", 0, "Un lieu totem"), ("W", 1, "Pas d’évaluation")]
    sv.apply(db, sv.apply(db, moved.inverse).inverse)  # undo and redo the move
    assert [(i.quadrant, i.position) for i in snapshot.load(db, assessment).swot] == [("S", 0), ("W", 0), ("W", 1)]
    removed = sv.delete_swot_item(db, s1)
    assert removed.options == {opt}
    assert sv.get_option(db, opt).swot == [w1]
    sv.apply(db, removed.inverse)
    assert sorted(sv.get_option(db, opt).swot) == sorted([s1, w1])
    assert sv.get_swot_item(db, s1).criteria == ["COO.5"]


def test_option_kind_is_derived_from_linked_quadrants(db, assessment):
    s = sv.add_swot_item(db, assessment, "S", "Force").created
    w = sv.add_swot_item(db, assessment, "W", "Faiblesse").created
    o = sv.add_swot_item(db, assessment, "O", "Opportunité").created
    t = sv.add_swot_item(db, assessment, "T", "Menace").created
    cases = [([s, o], "SO"), ([s, t], "ST"), ([w, o], "WO"), ([w, t], "WT"), ([o], ""), ([], "")]
    for links, kind in cases:
        uid = sv.add_option(db, assessment, f"Option {kind or 'sans type'}", swot=links).created
        snap = snapshot.load(db, assessment)
        opt = next(x for x in snap.options if x.uuid == uid)
        assert snap.option_kind(opt) == kind


def test_actions_crud_and_restore(db, assessment):
    opt = sv.add_option(db, assessment, "Préparer la relève").created
    a = sv.add_action(db, assessment, "Former deux binômes", owner="Bureau", due_on="2027-03-31", priority=1,
                      criteria=["GOV.4"], options=[opt]).created
    changed = sv.update_action(db, a, status="doing", owner="Conseil")
    assert changed.actions == {a}
    assert changed.inverse == sv.Operation.of("update_action", a, status="todo", owner="Bureau")
    with pytest.raises(sv.ServiceError, match="Échéance invalide"):
        sv.update_action(db, a, due_on="31/03/2027")
    removed = sv.delete_action(db, a)
    assert rows(db, "SELECT count(*) FROM action_criterion") == [(0,)]
    sv.apply(db, removed.inverse)
    back = sv.get_action(db, a)
    assert (back.title, back.status, back.criteria, back.options) == ("Former deux binômes", "doing", ["GOV.4"], [opt])


def test_delete_assessment_then_restore_gives_back_everything(demo):
    db, uuid = demo
    before = to_document(snapshot.load(db, uuid))
    removed = sv.delete_assessment(db, uuid)
    assert rows(db, "SELECT count(*) FROM answer WHERE assessment_id=?", uuid) == [(0,)]
    sv.apply(db, removed.inverse)
    after = to_document(snapshot.load(db, uuid))
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before


def test_delete_pole_then_restore(demo):
    db, uuid = demo
    pole = snapshot.load(db, uuid).pole.uuid
    removed = sv.delete_pole(db, pole)
    assert sv.list_poles(db) == []
    sv.apply(db, removed.inverse)
    assert len(sv.list_assessments(db, pole)) == 2


def test_copy_from_previous_year(demo):
    db, uuid = demo
    pole = snapshot.load(db, uuid).pole.uuid
    new = sv.create_assessment(db, pole, "Diagnostic 2027", copy_from="previous", started_on="2027-11-01").created
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
        sv.create_pole(db, "   ").created


def test_option_kind_is_said_in_french_words():
    from ptce_toolkit.vocabulary import option_kind_label

    assert option_kind_label([]) == "Sans lien"
    assert option_kind_label(["W", "T"]) == "Faiblesse × menace"
    assert option_kind_label(["S", "W", "O"]) == "Force × opportunité\u00a0; Faiblesse × opportunité"
    assert option_kind_label(["T"]) == "Externe seulement"
    assert option_kind_label(["S", "W"]) == "Interne seulement"


# --------------------------------------------------------------------------- one edit, one transaction


def _first(db, uuid, quadrant):
    return next(s.uuid for s in snapshot.load(db, uuid).swot if s.quadrant == quadrant)


Op = sv.Operation.of

# each edit as an operation (reading what it needs first), then replayed through sv.apply
EDITS = {
    "réponse": lambda db, u: Op("set_answer", u, "FIN.1", level=2, comment="Revu"),
    "profil": lambda db, u: Op("set_profile_value", u, "benevoles", {"value": 60}),
    "AFOM ajout": lambda db, u: Op("add_swot_item", u, "T", "Hausse du prix de l’énergie", criteria=["FIN.1"]),
    "AFOM modification": lambda db, u: Op("update_swot_item", _first(db, u, "S"), text="Confiance", importance=1,
                                          criteria=["FIN.1"]),
    "AFOM déplacement": lambda db, u: Op("move_swot_item", _first(db, u, "S"), "O", 0),
    "AFOM suppression": lambda db, u: Op("delete_swot_item", _first(db, u, "S")),
    "option ajout": lambda db, u: Op("add_option", u, "Ouvrir un lieu", swot=[_first(db, u, "W")]),
    "option modification": lambda db, u: Op("update_option", snapshot.load(db, u).options[0].uuid, text="Autre",
                                            swot=[_first(db, u, "O")]),
    "option suppression": lambda db, u: Op("delete_option", snapshot.load(db, u).options[0].uuid),
    "action ajout": lambda db, u: Op("add_action", u, "Former", criteria=["GOV.1"]),
    "action modification": lambda db, u: Op("update_action", snapshot.load(db, u).actions[0].uuid, title="Autre",
                                            status="done", criteria=["GOV.1"], options=[]),
    "action suppression": lambda db, u: Op("delete_action", snapshot.load(db, u).actions[0].uuid),
}


@pytest.fixture
def commits(demo):
    """Counts the transactions committed: by the engine (a listener on its connections) and
    on the plain sqlite3 connection of the answers' path (its COMMIT statements)."""
    from sqlalchemy import event

    db, _uuid = demo
    seen = []

    def on_commit(_conn):
        seen.append(1)

    event.listen(db.engine, "commit", on_commit)
    with db.reading() as plain:
        plain.set_trace_callback(lambda statement: seen.append(1) if statement.strip().upper() == "COMMIT" else None)
    yield seen
    plain.set_trace_callback(None)
    event.remove(db.engine, "commit", on_commit)


@pytest.mark.parametrize("kind", list(EDITS))
def test_each_edit_its_undo_and_its_redo_is_one_transaction(kind, demo, commits):
    db, uuid = demo
    before = stored(db, uuid)
    op = EDITS[kind](db, uuid)
    commits.clear()
    change = sv.apply(db, op)
    assert len(commits) == 1
    after = stored(db, uuid)
    assert after != before
    commits.clear()
    redo = sv.apply(db, change.inverse)
    assert len(commits) == 1
    assert stored(db, uuid) == before
    commits.clear()
    sv.apply(db, redo.inverse)
    assert len(commits) == 1
    assert stored(db, uuid) == after


def stored(db, uuid):
    """The assessment as stored, without timestamps."""
    import dataclasses

    data = dataclasses.asdict(snapshot.load(db, uuid))
    data["assessment"].pop("updated_at")
    for a in data["answers"].values():
        a.pop("updated_at")
    return data


def test_a_refused_edit_commits_nothing(demo, commits):
    db, uuid = demo
    action = snapshot.load(db, uuid).actions[0].uuid
    before = stored(db, uuid)
    commits.clear()
    with pytest.raises(sv.ServiceError):
        sv.update_action(db, action, title="Autre titre", criteria=["GOV.99"])
    assert commits == []
    assert stored(db, uuid) == before


def test_add_and_update_refuse_the_same_links(demo):
    """An option, a SWOT item or a criterion another assessment owns is refused by the add and
    by the update alike."""
    demo_db, uuid = demo
    pole = sv.create_pole(demo_db, "Autre pôle").created
    other = sv.create_assessment(demo_db, pole, "Autre diagnostic").created
    foreign_option = sv.add_option(demo_db, other, "Option d’un autre pôle").created
    foreign_item = sv.add_swot_item(demo_db, other, "S", "Force d’un autre pôle").created
    action = sv.add_action(demo_db, uuid, "Action").created
    option = sv.add_option(demo_db, uuid, "Option").created
    item = sv.add_swot_item(demo_db, uuid, "S", "Force").created
    cases = [
        (lambda: sv.add_action(demo_db, uuid, "Action", options=[foreign_option]),
         lambda: sv.update_action(demo_db, action, options=[foreign_option]), "Option stratégique inconnue"),
        (lambda: sv.add_action(demo_db, uuid, "Action", criteria=["GOV.99"]),
         lambda: sv.update_action(demo_db, action, criteria=["GOV.99"]), "Critère"),
        (lambda: sv.add_option(demo_db, uuid, "Option", swot=[foreign_item]),
         lambda: sv.update_option(demo_db, option, swot=[foreign_item]), "Élément AFOM inconnu"),
        (lambda: sv.add_swot_item(demo_db, uuid, "S", "Force", criteria=["GOV.99"]),
         lambda: sv.update_swot_item(demo_db, item, criteria=["GOV.99"]), "Critère"),
        (lambda: sv.add_action(demo_db, uuid, "  "),
         lambda: sv.update_action(demo_db, action, title="  "), "ne peut pas être vide"),
    ]
    for add, update, message in cases:
        with pytest.raises(sv.ServiceError, match=message):
            add()
        with pytest.raises(sv.ServiceError, match=message):
            update()
    assert sv.get_action(demo_db, action).options == []


# the navigator's and the workshop's edits: (setup on the demo, giving the operation)
def _pole(db, u):
    return snapshot.load(db, u).pole.uuid


def _person(db, u):
    """A participant of assessment ``u``, with a rating: what a deletion must keep for its undo."""
    from ptce_toolkit.services import workshop as ws

    person = ws.add_participant(db, u, "Awa Diallo", "ess").created
    ws.set_rating(db, u, person, "FIN.1", level=3, comment="Vu en séance")
    return person


def _with_session(db, u):
    _person(db, u)
    return u


NAV_EDITS = {
    "pôle création": lambda db, u: Op("create_pole", "Pôle des Trois Rivières", region="Bretagne"),
    "pôle renommage": lambda db, u: Op("update_pole", _pole(db, u), name="Pôle renommé"),
    "pôle identité": lambda db, u: Op("update_pole", _pole(db, u), territory="Haut-Doubs", aliases=["PHD"]),
    "pôle suppression": lambda db, u: Op("delete_pole", _pole(db, _with_session(db, u))),
    "évaluation création": lambda db, u: Op("create_assessment", _pole(db, u), "Diagnostic 2027"),
    "évaluation copie": lambda db, u: Op("create_assessment", _pole(db, u), "Diagnostic 2027", copy_from="previous"),
    "évaluation titre": lambda db, u: Op("update_assessment", u, title="Autre titre"),
    "évaluation suppression": lambda db, u: Op("delete_assessment", _with_session(db, u)),
    "participant ajout": lambda db, u: Op("add_participant", u, "Bruno Marchal", "entreprise"),
    "participant renommage": lambda db, u: Op("rename_participant", _person(db, u), "Awa Diallo-Sy"),
    "participant collège": lambda db, u: Op("set_participant_college", _person(db, u), "salaries"),
    "participant retrait": lambda db, u: Op("remove_participant", _person(db, u)),
    "questionnaires importés": lambda db, u: Op("apply_import", _questionnaire(db, u), overwrite=True),
    "import annulé": lambda db, u: Op("set_ratings", u, {_person(db, u): {
        "FIN.1": sv.get_answer(db, u, "FIN.1"), "GOV.1": sv.get_answer(db, u, "GOV.1")}}),
}


def _questionnaire(db, u):
    """An import plan: one questionnaire that changes a rating and adds another."""
    from ptce_toolkit.records import AnswerData
    from ptce_toolkit.services import participant_import as pim

    person = _person(db, u)
    answers = {"FIN.1": AnswerData("FIN.1", "answered", 1), "GOV.4": AnswerData("GOV.4", "answered", 2, "Écrit")}
    return pim.plan_import(db, u, [pim.Incoming("awa.xlsx", answers, participant_uuid=person)])


@pytest.mark.parametrize("kind", list(NAV_EDITS))
def test_each_navigator_and_workshop_edit_its_undo_and_redo_is_one_transaction(kind, demo, commits):
    from tests.helpers.navigation import database

    db, uuid = demo
    op = NAV_EDITS[kind](db, uuid)
    before = database(db)
    commits.clear()
    change = sv.apply(db, op)
    assert len(commits) == 1
    after = database(db)
    assert after != before
    commits.clear()
    redo = sv.apply(db, change.inverse)
    assert len(commits) == 1
    assert database(db) == before
    commits.clear()
    sv.apply(db, redo.inverse)
    assert len(commits) == 1
    assert database(db) == after
