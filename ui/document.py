"""The open assessment in memory: a read model of the database, and the edits the pages make.

Pages read from ``Document.snap`` (a ptce_toolkit Snapshot) and never touch the
database. Each edit method pushes an undoable OperationCommand onto the assessment's own
undo stack: the command runs a service operation through the SaveManager, and the
Document re-reads exactly what the returned change record names (``refresh``). The
rules (renumbering a quadrant, unlinking options…) live in the services only.

A rating key writes synchronously (the SaveManager runs the write at once, ≈1 ms) and
the screen shows what was stored. Only when a write waits in the queue (an earlier
storage failure) is an answer shown before it is stored: the value is the one the
service will store (``services.answer_fields``), and it is re-read if the write is dropped.
That is also the case of a key pressed at start-up before the services are imported
(``SaveManager.set_ready``): the Document is read with plain sqlite3 (``load_data``) and
needs SQLAlchemy only once a write runs.
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.snapshot import ActionData, AnswerData, OptionData, SwotData
from ui.save_state import SaveManager
from ui.translation import plural, tr
from ui.undo import OperationCommand

Op = Operation.of


def load_data(db, assessment_uuid: str):
    """What a Document needs from the database (runs in the loading worker), read with
    plain sqlite3: the assessment, its pinned referential and the pole's previous one."""
    from ptce_toolkit import quickread
    from ptce_toolkit import referential as ref_mod

    snap = snap_mod.load(db, assessment_uuid)
    with db.reading() as con:
        key = quickread.referential_key(con, assessment_uuid)
        prev = quickread.previous_assessment(con, assessment_uuid)
    return snap, ref_mod.registry().get(*key), (snap_mod.load(db, prev) if prev else None)


def _new_uuid() -> str:
    return str(_uuid.uuid4())


def _merge(current: list, fresh: dict, named, key) -> list:
    """The list with the items a change named replaced by their fresh copies (or removed)."""
    kept = [x for x in current if x.uuid not in named]
    return sorted(kept + list(fresh.values()), key=key)


# The edits of one SWOT item, option or action (its uuid first): what a refusal re-reads.
_EDITS_OF_ONE = {"update_swot_item": "swot", "update_option": "options", "update_action": "actions"}


class Document(QObject):
    answerChanged = Signal(str)   # criterion id
    swotChanged = Signal()
    optionsChanged = Signal()
    actionsChanged = Signal()
    profileChanged = Signal(str)  # field id
    ratingChanged = Signal(str, str)  # participant uuid, criterion id
    poleChanged = Signal()  # the pole's identity (name, territory…)

    def __init__(self, db, assessment_uuid: str, save: SaveManager, parent=None, *, data=None):
        super().__init__(parent)
        self.db, self.uuid, self.save = db, assessment_uuid, save
        self.stack = QUndoStack(self)  # this assessment's own history
        self.snap, self.ref, self.previous = data or load_data(db, assessment_uuid)

    # ------------------------------------------------------------------ the read model

    def refresh(self, change: Change) -> None:
        """Re-read what a change record names and tell the pages."""
        parts = snap_mod.read_changed(self.db, change)
        for c in change.answers:
            self._put_answer(c, parts.answers.get(c))
        for p, c in change.ratings:
            mine = self.snap.participant_answers.setdefault(p, {})
            if (p, c) in parts.ratings:
                mine[c] = parts.ratings[(p, c)]
            else:
                mine.pop(c, None)
            self.ratingChanged.emit(p, c)
        for f in change.profile:
            if f in parts.profile:
                self.snap.assessment.profile[f] = parts.profile[f]
            else:
                self.snap.assessment.profile.pop(f, None)
            self.profileChanged.emit(f)
        if change.swot:
            self.snap.swot = _merge(self.snap.swot, parts.swot, change.swot, lambda s: (s.quadrant, s.position))
        if change.options:
            self.snap.options = _merge(self.snap.options, parts.options, change.options, lambda o: o.position)
        if change.actions:
            self.snap.actions = _merge(self.snap.actions, parts.actions, change.actions, lambda a: a.position)
        if self.snap.pole.uuid in change.poles and not self._reread_pole():
            return
        if change.swot:
            self.swotChanged.emit()
        if change.options:
            self.optionsChanged.emit()
        if change.actions:
            self.actionsChanged.emit()

    def _reread_pole(self) -> bool:
        """The pole's identity as stored (False: the pole is gone, the window drops this Document)."""
        try:
            self.snap.pole = sv.get_pole(self.db, self.snap.pole.uuid)
        except sv.NotFound:
            return False
        self.poleChanged.emit()
        return True

    def reread_answers(self, criteria) -> None:
        """Show the stored agreed answers of these criteria (e.g. recorded by the workshop view)."""
        self.refresh(Change(self.uuid, None, answers=frozenset(criteria)))

    def show_answer(self, answer: AnswerData) -> None:
        """Show an agreed answer another view holds (the workshop session writes it)."""
        self._put_answer(answer.criterion, answer)

    def _put_answer(self, criterion_id: str, answer: AnswerData | None) -> None:
        if answer is None:
            self.snap.answers.pop(criterion_id, None)
        else:
            self.snap.answers[criterion_id] = answer
        self.answerChanged.emit(criterion_id)

    def _preview(self, op: Operation) -> None:
        """An agreed answer whose write waits in the queue: show what the service will store."""
        o = op.options
        if op.name == "set_answer" and not o.get("participant_uuid"):
            fields = {k: v for k, v in o.items() if k not in ("participant_uuid", "to_confirm")}
            try:
                shown = replace(self.answer(op.args[1]), **sv.answer_fields(**fields))
            except sv.ServiceError:
                return  # refused in its turn (a text too long…), then the database is shown again
            if "to_confirm" in o:
                shown = replace(shown, to_confirm=bool(o["to_confirm"]))
            self._put_answer(op.args[1], shown)
        elif op.name == "delete_answer" and not o.get("participant_uuid"):
            self._put_answer(op.args[1], None)

    def _reread(self, op: Operation | None) -> None:
        """Show the database again for what a dropped or refused write would have changed
        (the pages then show the stored text again, not the one refused)."""
        if op is not None and op.name in ("set_answer", "delete_answer") and not op.options.get("participant_uuid"):
            self.reread_answers([op.args[1]])
        elif op is not None and op.name == "update_pole":
            self._reread_pole()
        elif op is not None and op.name in _EDITS_OF_ONE:
            self.refresh(Change(self.uuid, None, **{_EDITS_OF_ONE[op.name]: frozenset({op.args[0]})}))
        elif op is not None and op.name == "set_profile_value":
            self.refresh(Change(self.uuid, None, profile=frozenset({op.args[1]})))

    def _push(self, text: str, op: Operation) -> None:
        self.stack.push(OperationCommand(text, self.save, self.db, op, shown=self.refresh,
                                         preview=self._preview, reread=self._reread))

    # ------------------------------------------------------------------ reading

    def answer(self, criterion_id: str) -> AnswerData:
        return self.snap.answers.get(criterion_id) or AnswerData(criterion_id)

    def swot_item(self, item_uuid: str) -> SwotData | None:
        return next((s for s in self.snap.swot if s.uuid == item_uuid), None)

    def quadrant_items(self, quadrant: str) -> list[SwotData]:
        return sorted((s for s in self.snap.swot if s.quadrant == quadrant), key=lambda s: s.position)

    def option(self, option_uuid: str) -> OptionData | None:
        return next((o for o in self.snap.options if o.uuid == option_uuid), None)

    def action(self, action_uuid: str) -> ActionData | None:
        return next((a for a in self.snap.actions if a.uuid == action_uuid), None)

    def option_kind(self, option: OptionData) -> str:
        return self.snap.option_kind(option)

    # ------------------------------------------------------------------ answers

    def set_answer(self, criterion_id: str, **fields) -> None:
        """fields: level=0..4 | status="not_applicable"/"unknown", comment, evidence, priority."""
        if "level" in fields and fields["level"] is not None:
            fields["status"] = "answered"
        elif "status" in fields:
            fields["level"] = None
        before = self.answer(criterion_id)
        if replace(before, **fields) == before:
            return
        self._push(self._answer_text(criterion_id, fields), Op("set_answer", self.uuid, criterion_id, **fields))

    def confirm_carried(self, criterion_id: str) -> None:
        """Confirm an answer carried over from another referential version (services/carry.py);
        undo puts it back « à confirmer »."""
        if not self.answer(criterion_id).to_confirm:
            return
        self._push(tr("Confirmer la reprise de %1").replace("%1", criterion_id),
                   Op("set_answer", self.uuid, criterion_id, to_confirm=False))

    def _answer_text(self, criterion_id: str, fields: dict) -> str:
        if "status" in fields:
            if fields["status"] == "answered":
                return tr("Niveau %1 pour %2").replace("%1", str(fields["level"])).replace("%2", criterion_id)
            label = self.ref.not_applicable.label if fields["status"] == "not_applicable" else self.ref.unknown.label
            return tr("« %1 » pour %2").replace("%1", label).replace("%2", criterion_id)
        if "comment" in fields:
            return tr("Commentaire du critère %1").replace("%1", criterion_id)
        if "evidence" in fields:
            return tr("Preuves du critère %1").replace("%1", criterion_id)
        return tr("Priorité du critère %1").replace("%1", criterion_id)

    # ------------------------------------------------------------------ pole and profile

    def update_pole(self, text: str, **fields) -> None:
        """One undoable edit of the pole's identity (``services.update_pole`` fields)."""
        if all(getattr(self.snap.pole, k) == v for k, v in fields.items()):
            return
        self._push(text, Op("update_pole", self.snap.pole.uuid, **fields))

    def set_profile(self, field_id: str, value: dict | None) -> None:
        if self.snap.assessment.profile.get(field_id) == value:
            return
        label = self.ref.profile_field(field_id).label
        self._push(tr("Profil : %1").replace("%1", label),
                   Op("set_profile_value", self.uuid, field_id, None if value is None else dict(value)))

    # ------------------------------------------------------------------ SWOT

    def add_swot(self, quadrant: str, text: str, *, importance: int = 2, criteria=(), position: int | None = None,
                 command_text: str | None = None) -> str:
        u = _new_uuid()
        self._push(command_text or tr("Ajouter un élément AFOM"),
                   Op("add_swot_item", self.uuid, quadrant, text, importance=importance, position=position,
                      criteria=tuple(criteria), uuid=u))
        return u

    def update_swot(self, item_uuid: str, **fields) -> None:
        """fields: text, importance, criteria."""
        item = self.swot_item(item_uuid)
        if all(getattr(item, k) == v for k, v in fields.items()):
            return
        self._push(tr("Modifier un élément AFOM"), Op("update_swot_item", item_uuid, **fields))

    def move_swot(self, item_uuid: str, quadrant: str, position: int) -> None:
        item = self.swot_item(item_uuid)
        if (item.quadrant, item.position) == (quadrant, position):
            return
        text = tr("Déplacer un élément AFOM") if quadrant == item.quadrant else \
            tr("Déplacer vers « %1 »").replace("%1", self.ref.quadrants[quadrant].title)
        self._push(text, Op("move_swot_item", item_uuid, quadrant, position))

    def delete_swot(self, item_uuid: str) -> None:
        self._push(tr("Supprimer un élément AFOM"), Op("delete_swot_item", item_uuid))

    def accept_suggestions(self, suggestions) -> None:
        """Add several suggested items as ONE undo step."""
        suggestions = list(suggestions)
        if not suggestions:
            return
        self.stack.beginMacro(plural(len(suggestions), tr("Accepter %n suggestion"), tr("Accepter %n suggestions")))
        for s in suggestions:
            self.add_swot(s.quadrant, s.text, importance=s.importance, criteria=s.criteria)
        self.stack.endMacro()

    def add_swot_examples(self, examples) -> None:
        """Add library examples, (quadrant, text) pairs, as ONE undo step."""
        examples = list(examples)
        if not examples:
            return
        self.stack.beginMacro(plural(len(examples), tr("Ajouter %n exemple AFOM"), tr("Ajouter %n exemples AFOM")))
        for quadrant, text in examples:
            self.add_swot(quadrant, text)
        self.stack.endMacro()

    # ------------------------------------------------------------------ options

    def add_option(self, text: str, swot=()) -> str:
        u = _new_uuid()
        self._push(tr("Ajouter une option stratégique"), Op("add_option", self.uuid, text, swot=tuple(swot), uuid=u))
        return u

    def add_option_examples(self, examples) -> list[str]:
        """Library options (referential ``OptionExample``), each answering its one SWOT item:
        the item already in the grid (same quadrant, same text) or added from the library.
        All in ONE undo step; returns the new options' uuids."""
        examples = list(examples)
        if not examples:
            return []
        out = []
        self.stack.beginMacro(plural(len(examples), tr("Ajouter %n option tirée des sources"),
                                     tr("Ajouter %n options tirées des sources")))
        for ex in examples:
            item = next((s for s in self.snap.swot if s.quadrant == ex.quadrant and s.text.strip() == ex.item), None)
            item_uuid = item.uuid if item else self.add_swot(ex.quadrant, ex.item)
            out.append(self.add_option(ex.option, swot=[item_uuid]))
        self.stack.endMacro()
        return out

    def update_option(self, option_uuid: str, **fields) -> None:
        """fields: text, swot."""
        opt = self.option(option_uuid)
        if all(getattr(opt, k) == v for k, v in fields.items()):
            return
        text = tr("Lier une option aux éléments AFOM") if "swot" in fields else tr("Modifier une option stratégique")
        self._push(text, Op("update_option", option_uuid, **fields))

    def delete_option(self, option_uuid: str) -> None:
        self._push(tr("Supprimer une option stratégique"), Op("delete_option", option_uuid))

    # ------------------------------------------------------------------ actions

    def add_action(self, title: str, **fields) -> str:
        """fields: owner, due_on, status, priority, criteria, options."""
        u = _new_uuid()
        self._push(tr("Ajouter une action"), Op("add_action", self.uuid, title, uuid=u, **fields))
        return u

    def update_action(self, action_uuid: str, **fields) -> None:
        act = self.action(action_uuid)
        if all(getattr(act, k) == v for k, v in fields.items()):
            return
        self._push(tr("Modifier une action"), Op("update_action", action_uuid, **fields))

    def delete_action(self, action_uuid: str) -> None:
        self._push(tr("Supprimer une action"), Op("delete_action", action_uuid))
