"""The open assessment in memory, and every edit the pages can make to it.

Pages read from ``Document.snap`` (a ptce_toolkit Snapshot) and never touch the
database: each edit method below pushes an undoable EditCommand that changes the
snapshot at once and writes through the services (via the SaveManager).
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.services import carry
from ptce_toolkit.snapshot import ActionData, AnswerData, OptionData, SwotData
from ui.save_state import SaveManager
from ui.translation import tr
from ui.undo import EditCommand



def load_data(db, assessment_uuid: str):
    """What a Document needs from the database (runs in the loading worker)."""
    snap = snap_mod.load(db, assessment_uuid)
    ref = sv.referential_of(db, assessment_uuid)
    prev = sv.previous_assessment(db, assessment_uuid)
    return snap, ref, (snap_mod.load(db, prev) if prev else None)


def _new_uuid() -> str:
    return str(_uuid.uuid4())


class Document(QObject):
    answerChanged = Signal(str)   # criterion id
    swotChanged = Signal()
    optionsChanged = Signal()
    actionsChanged = Signal()
    profileChanged = Signal(str)  # field id

    def __init__(self, db, assessment_uuid: str, save: SaveManager, stack: QUndoStack, parent=None, *, data=None):
        super().__init__(parent)
        self.db, self.uuid, self.save, self.stack = db, assessment_uuid, save, stack
        self.snap, self.ref, self.previous = data or load_data(db, assessment_uuid)

    # ------------------------------------------------------------------ helpers

    def _push(self, text: str, **kw) -> None:
        self.stack.push(EditCommand(text, self.save, **kw))

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
        after = replace(before, **fields)
        if after == before:
            return
        if before.to_confirm and "status" in fields:
            after = replace(after, to_confirm=False)  # rating a carried proposal confirms it (as the service does)

        def put(value: AnswerData):
            def run():
                self.snap.answers[criterion_id] = value
                self.answerChanged.emit(criterion_id)
            return run

        self._push(self._answer_text(criterion_id, fields), apply=put(after), revert=put(before),
                   persist=lambda: sv.set_answer(self.db, self.uuid, criterion_id, **fields),
                   unpersist=lambda prev: self._restore_answer(criterion_id, prev or before))

    def _restore_answer(self, criterion_id: str, previous: AnswerData):
        out = sv.restore_answer(self.db, self.uuid, previous)
        if previous.to_confirm:  # undoing the rating of a carried proposal: « à confirmer » again
            carry.confirm(self.db, self.uuid, criterion_id, confirmed=False)
        return out

    def confirm_carried(self, criterion_id: str) -> None:
        """Confirm an answer carried over from another referential version (undoable)."""
        before = self.answer(criterion_id)
        if not before.to_confirm:
            return
        after = replace(before, to_confirm=False)

        def put(value: AnswerData):
            def run():
                self.snap.answers[criterion_id] = value
                self.answerChanged.emit(criterion_id)
            return run

        self._push(tr("Confirmer la reprise de %1").replace("%1", criterion_id), apply=put(after), revert=put(before),
                   persist=lambda: carry.confirm(self.db, self.uuid, criterion_id),
                   unpersist=lambda _prev: carry.confirm(self.db, self.uuid, criterion_id, confirmed=False))

    def _answer_text(self, criterion_id: str, fields: dict) -> str:
        if "status" in fields:
            if fields["status"] == "answered":
                return tr("Niveau %1 pour %2").replace("%1", str(fields["level"])).replace("%2", criterion_id)
            label = self.ref.not_applicable.label if fields["status"] == "not_applicable" else self.ref.unknown.label
            return tr("« %1 » pour %2").replace("%1", label).replace("%2", criterion_id)
        if "comment" in fields:
            return tr("Commentaire de %1").replace("%1", criterion_id)
        if "evidence" in fields:
            return tr("Preuves de %1").replace("%1", criterion_id)
        return tr("Priorité de %1").replace("%1", criterion_id)

    # ------------------------------------------------------------------ profile

    def set_profile(self, field_id: str, value: dict | None) -> None:
        before = self.snap.assessment.profile.get(field_id)
        if before == value:
            return

        def put(v):
            def run():
                if v is None:
                    self.snap.assessment.profile.pop(field_id, None)
                else:
                    self.snap.assessment.profile[field_id] = dict(v)
                self.profileChanged.emit(field_id)
            return run

        label = self.ref.profile_field(field_id).label
        self._push(tr("Profil : %1").replace("%1", label), apply=put(value), revert=put(before),
                   persist=lambda: sv.set_profile_value(self.db, self.uuid, field_id, value),
                   unpersist=lambda old: sv.set_profile_value(self.db, self.uuid, field_id, old))

    # ------------------------------------------------------------------ SWOT

    def _renumber(self, quadrant: str) -> None:
        for i, it in enumerate(self.quadrant_items(quadrant)):
            it.position = i

    def _place(self, item: SwotData, quadrant: str, position: int) -> None:
        """Put an item (already removed from the list) into a quadrant at a position."""
        items = self.quadrant_items(quadrant)
        items.insert(max(0, min(position, len(items))), item)
        item.quadrant = quadrant
        for i, it in enumerate(items):
            it.position = i
        self.snap.swot.append(item)

    def _take(self, item_uuid: str) -> SwotData:
        item = self.swot_item(item_uuid)
        self.snap.swot.remove(item)
        self._renumber(item.quadrant)
        return item

    def add_swot(self, quadrant: str, text: str, *, importance: int = 2, criteria=(), position: int | None = None,
                 command_text: str | None = None) -> str:
        u = _new_uuid()
        pos = len(self.quadrant_items(quadrant)) if position is None else position
        criteria = list(criteria)

        def apply():
            self._place(SwotData(u, quadrant, text.strip(), importance, pos, list(criteria)), quadrant, pos)
            self.swotChanged.emit()

        def revert():
            self._take(u)
            self.swotChanged.emit()

        self._push(command_text or tr("Ajouter un élément AFOM"), apply=apply, revert=revert,
                   persist=lambda: sv.add_swot_item(self.db, self.uuid, quadrant, text, importance=importance,
                                                    position=pos, criteria=criteria, uuid=u),
                   unpersist=lambda _: sv.delete_swot_item(self.db, u))
        return u

    def update_swot(self, item_uuid: str, **fields) -> None:
        """fields: text, importance, criteria."""
        item = self.swot_item(item_uuid)
        before = {k: getattr(item, k) for k in fields}
        if all(before[k] == v for k, v in fields.items()):
            return

        def put(values):
            def run():
                it = self.swot_item(item_uuid)
                for k, v in values.items():
                    setattr(it, k, list(v) if k == "criteria" else v)
                self.swotChanged.emit()
            return run

        self._push(tr("Modifier un élément AFOM"), apply=put(fields), revert=put(before),
                   persist=lambda: sv.update_swot_item(self.db, item_uuid, **fields),
                   unpersist=lambda old: sv.update_swot_item(self.db, item_uuid, **before))

    def move_swot(self, item_uuid: str, quadrant: str, position: int) -> None:
        item = self.swot_item(item_uuid)
        old = (item.quadrant, item.position)
        if old == (quadrant, position):
            return

        def to(q, p):
            def run():
                self._place(self._take(item_uuid), q, p)
                self.swotChanged.emit()
            return run

        text = tr("Déplacer un élément AFOM") if quadrant == old[0] else \
            tr("Déplacer vers « %1 »").replace("%1", self.ref.quadrants[quadrant].title)
        self._push(text, apply=to(quadrant, position), revert=to(*old),
                   persist=lambda: sv.move_swot_item(self.db, item_uuid, quadrant, position),
                   unpersist=lambda prev: sv.move_swot_item(self.db, item_uuid, *(prev or old)))

    def delete_swot(self, item_uuid: str) -> None:
        item = self.swot_item(item_uuid)
        saved = replace(item, criteria=list(item.criteria))
        linked = [o for o in self.snap.options if item_uuid in o.swot]
        link_index = {o.uuid: o.swot.index(item_uuid) for o in linked}

        def apply():
            self._take(item_uuid)
            for o in linked:
                o.swot.remove(item_uuid)
            self.swotChanged.emit()
            self.optionsChanged.emit()

        def revert():
            self._place(replace(saved, criteria=list(saved.criteria)), saved.quadrant, saved.position)
            for o in linked:
                o.swot.insert(link_index[o.uuid], item_uuid)
            self.swotChanged.emit()
            self.optionsChanged.emit()

        self._push(tr("Supprimer un élément AFOM"), apply=apply, revert=revert,
                   persist=lambda: sv.delete_swot_item(self.db, item_uuid),
                   unpersist=lambda removed: sv.restore_swot_item(
                       self.db, removed or (self.uuid, saved, [o.uuid for o in linked])))

    def accept_suggestions(self, suggestions) -> None:
        """Add several suggested items as ONE undo step."""
        suggestions = list(suggestions)
        if not suggestions:
            return
        self.stack.beginMacro(tr("Accepter %n suggestion(s)").replace("%n", str(len(suggestions))))
        for s in suggestions:
            self.add_swot(s.quadrant, s.text, importance=s.importance, criteria=s.criteria)
        self.stack.endMacro()

    # ------------------------------------------------------------------ options

    def add_option(self, text: str, swot=()) -> str:
        u = _new_uuid()
        swot = list(swot)
        pos = max((o.position for o in self.snap.options), default=-1) + 1

        def apply():
            self.snap.options.append(OptionData(u, text.strip(), pos, list(swot)))
            self.optionsChanged.emit()

        def revert():
            self.snap.options.remove(self.option(u))
            self.optionsChanged.emit()

        self._push(tr("Ajouter une option stratégique"), apply=apply, revert=revert,
                   persist=lambda: sv.add_option(self.db, self.uuid, text, swot=swot, uuid=u, position=pos),
                   unpersist=lambda _: sv.delete_option(self.db, u))
        return u

    def update_option(self, option_uuid: str, **fields) -> None:
        """fields: text, swot."""
        opt = self.option(option_uuid)
        before = {k: (list(getattr(opt, k)) if k == "swot" else getattr(opt, k)) for k in fields}
        if all(before[k] == v for k, v in fields.items()):
            return

        def put(values):
            def run():
                o = self.option(option_uuid)
                for k, v in values.items():
                    setattr(o, k, list(v) if k == "swot" else v)
                self.optionsChanged.emit()
            return run

        text = tr("Lier une option aux éléments AFOM") if "swot" in fields else tr("Modifier une option stratégique")
        self._push(text, apply=put(fields), revert=put(before),
                   persist=lambda: sv.update_option(self.db, option_uuid, **fields),
                   unpersist=lambda _: sv.update_option(self.db, option_uuid, **before))

    def delete_option(self, option_uuid: str) -> None:
        opt = self.option(option_uuid)
        index = self.snap.options.index(opt)
        users = [a for a in self.snap.actions if option_uuid in a.options]

        def apply():
            self.snap.options.remove(opt)
            for a in users:
                a.options.remove(option_uuid)
            self.optionsChanged.emit()
            self.actionsChanged.emit()

        def revert():
            self.snap.options.insert(index, opt)
            for a in users:
                a.options.append(option_uuid)
            self.optionsChanged.emit()
            self.actionsChanged.emit()

        self._push(tr("Supprimer une option stratégique"), apply=apply, revert=revert,
                   persist=lambda: sv.delete_option(self.db, option_uuid),
                   unpersist=lambda removed: sv.restore_option(
                       self.db, removed or (self.uuid, opt, [a.uuid for a in users])))

    # ------------------------------------------------------------------ actions

    def add_action(self, title: str, **fields) -> str:
        """fields: owner, due_on, status, priority, criteria, options."""
        u = _new_uuid()
        pos = max((a.position for a in self.snap.actions), default=-1) + 1
        data = ActionData(u, title.strip(), position=pos, **fields)

        def apply():
            self.snap.actions.append(replace(data, criteria=list(data.criteria), options=list(data.options)))
            self.actionsChanged.emit()

        def revert():
            self.snap.actions.remove(self.action(u))
            self.actionsChanged.emit()

        self._push(tr("Ajouter une action"), apply=apply, revert=revert,
                   persist=lambda: sv.add_action(self.db, self.uuid, title, uuid=u, position=pos, **fields),
                   unpersist=lambda _: sv.delete_action(self.db, u))
        return u

    def update_action(self, action_uuid: str, **fields) -> None:
        act = self.action(action_uuid)
        before = {k: (list(v) if isinstance(v, list) else v) for k, v in ((k, getattr(act, k)) for k in fields)}
        if all(before[k] == v for k, v in fields.items()):
            return

        def put(values):
            def run():
                a = self.action(action_uuid)
                for k, v in values.items():
                    setattr(a, k, list(v) if isinstance(v, list) else v)
                self.actionsChanged.emit()
            return run

        self._push(tr("Modifier une action"), apply=put(fields), revert=put(before),
                   persist=lambda: sv.update_action(self.db, action_uuid, **fields),
                   unpersist=lambda _: sv.update_action(self.db, action_uuid, **before))

    def delete_action(self, action_uuid: str) -> None:
        act = self.action(action_uuid)
        index = self.snap.actions.index(act)

        def apply():
            self.snap.actions.remove(act)
            self.actionsChanged.emit()

        def revert():
            self.snap.actions.insert(index, act)
            self.actionsChanged.emit()

        self._push(tr("Supprimer une action"), apply=apply, revert=revert,
                   persist=lambda: sv.delete_action(self.db, action_uuid),
                   unpersist=lambda removed: sv.restore_action(self.db, removed or (self.uuid, act)))
