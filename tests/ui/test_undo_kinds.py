"""Undo then redo of every kind of edit gives back exactly the database before, then after."""

from __future__ import annotations

import dataclasses

import pytest

from ptce_toolkit import snapshot
from tests.helpers.qt import redo, undo


def stored(db, uuid):
    """The assessment as stored, without timestamps (they change on every write)."""
    snap = snapshot.load(db, uuid)
    data = dataclasses.asdict(snap)
    data["assessment"].pop("updated_at")
    for a in data["answers"].values():
        a.pop("updated_at")
    return data


def first(doc, quadrant):
    return doc.quadrant_items(quadrant)[0].uuid


EDITS = {
    "niveau": lambda d: d.set_answer("RES.4", level=2),
    "sans objet": lambda d: d.set_answer("FIN.1", status="not_applicable"),
    "ne sait pas": lambda d: d.set_answer("FIN.2", status="unknown"),
    "commentaire": lambda d: d.set_answer("FIN.3", comment="Revu en conseil d’administration"),
    "preuves": lambda d: d.set_answer("FIN.3", evidence="Procès-verbal du 3 mars"),
    "priorité": lambda d: d.set_answer("FIN.3", priority=True),
    "profil": lambda d: d.set_profile("benevoles", {"value": 60, "qualifier": "environ", "year": 2025,
                                                     "perimeter": "ensemble_membres", "source": "AG"}),
    "profil effacé": lambda d: d.set_profile("membres_structures", None),
    "AFOM ajout": lambda d: d.add_swot("T", "Hausse du prix de l’énergie"),
    "AFOM texte": lambda d: d.update_swot(first(d, "S"), text="Une confiance solide"),
    "AFOM importance": lambda d: d.update_swot(first(d, "S"), importance=1),
    "AFOM critères": lambda d: d.update_swot(first(d, "S"), criteria=["FIN.1"]),
    "AFOM déplacement": lambda d: d.move_swot(first(d, "S"), "O", 1),
    "AFOM suppression": lambda d: d.delete_swot(first(d, "W")),
    "option ajout": lambda d: d.add_option("Ouvrir un second lieu", swot=[first(d, "S")]),
    "option texte": lambda d: d.update_option(d.snap.options[0].uuid, text="Gouvernance partagée"),
    "option liens": lambda d: d.update_option(d.snap.options[0].uuid, swot=[first(d, "O")]),
    "option suppression": lambda d: d.delete_option(d.snap.options[0].uuid),
    "action ajout": lambda d: d.add_action("Former les bénévoles", owner="Bureau", criteria=["GOV.1"]),
    "action modification": lambda d: d.update_action(d.snap.actions[0].uuid, status="done", due_on="2027-05-01"),
    "action suppression": lambda d: d.delete_action(d.snap.actions[0].uuid),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_undo_redo(kind, shared_window):
    """One window for the 21 edits: each is undone at the end (see SharedWindow)."""
    window = shared_window
    db, uuid = window.test_db, window.doc.uuid
    before = stored(db, uuid)
    EDITS[kind](window.doc)
    after = stored(db, uuid)
    assert after != before
    undo(window)
    assert stored(db, uuid) == before
    redo(window)
    assert stored(db, uuid) == after
    undo(window)  # back to the demo for the next edit
    assert stored(db, uuid) == before


def test_undo_texts_name_the_criterion(window):
    """The Edit menu says « Annuler Commentaire du critère FIN.1 », never « Commentaire de FIN.1 »."""
    doc = window.doc
    for fields, text in [({"comment": "vu"}, "Commentaire du critère FIN.1"),
                         ({"evidence": "compte rendu"}, "Preuves du critère FIN.1"),
                         ({"priority": True}, "Priorité du critère FIN.1")]:
        doc.set_answer("FIN.1", **fields)
        assert window.stack.undoText() == text
