"""A workshop session in memory, and every edit the workshop views make to it (undoable).

Like ``ui.document.Document`` for the solo pages: views read from here and never touch
the database; each edit is an ``OperationCommand`` handed to ``push`` (the assessment's
undo stack) that runs a service operation (``ptce_toolkit.services.workshop``…) through
the SaveManager; the session re-reads what the returned change record names (``refresh``).
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.records import AnswerData, ParticipantData
from ptce_toolkit.services import workshop as ws
from ui.translation import plural, tr
from ui.undo import OperationCommand

Op = Operation.of
MANY = 20  # more ratings changed at once (an import): the views redraw everything


class WorkshopSession(QObject):
    participantsChanged = Signal()
    ratingChanged = Signal(str, str)  # participant uuid, criterion id
    agreedChanged = Signal(str)  # criterion id: the main window's Document should reread it

    def __init__(self, db, assessment_uuid: str, ref, push, save, parent=None):
        super().__init__(parent)
        self.db, self.uuid, self.ref, self.push, self.save = db, assessment_uuid, ref, push, save
        self.participants: list[ParticipantData] = []
        self.answers: dict[str, dict[str, AnswerData]] = {}
        self.agreed_answers: dict[str, AnswerData] = {}
        self._read()

    def _read(self) -> None:
        self.participants = ws.list_participants(self.db, self.uuid)
        self.answers = ws.participant_answers(self.db, self.uuid)
        self.agreed_answers = sv.get_answers(self.db, self.uuid)

    def reload(self) -> None:
        """Read everything again (after a bulk write such as an import)."""
        self._read()
        self.participantsChanged.emit()

    # ------------------------------------------------------------------ reading

    def participant(self, uuid: str) -> ParticipantData | None:
        return next((p for p in self.participants if p.uuid == uuid), None)

    def rating(self, participant_uuid: str, criterion_id: str) -> AnswerData:
        return self.answers.get(participant_uuid, {}).get(criterion_id) or AnswerData(criterion_id)

    def agreed(self, criterion_id: str) -> AnswerData:
        return self.agreed_answers.get(criterion_id) or AnswerData(criterion_id)

    def divergence(self) -> ws.Divergence:
        return ws.compute_divergence(self.ref, self.participants, self.answers, self.agreed_answers)

    def answer_label(self, answer: AnswerData, short: bool = False) -> str:
        if answer.status == "answered":
            return str(answer.level) if short else f"{answer.level} · {self.ref.level_label(answer.level)}"
        if answer.status == "not_applicable":
            return tr("SO") if short else self.ref.not_applicable.label
        if answer.status == "unknown":
            return tr("NSP") if short else self.ref.unknown.label
        return "" if short else tr("Sans réponse")

    # ------------------------------------------------------------------ the read model

    def refresh(self, change: Change) -> None:
        """Re-read what a change record names: participants, their ratings, agreed answers."""
        if change.participants:
            self.participants = ws.list_participants(self.db, self.uuid)
            present = {p.uuid for p in self.participants}
            for gone in [u for u in self.answers if u not in present]:
                del self.answers[gone]
        parts = snap_mod.read_changed(self.db, change)
        for p, c in change.ratings:
            if (p, c) in parts.ratings:
                self.answers.setdefault(p, {})[c] = parts.ratings[(p, c)]
            elif p in self.answers:
                self.answers[p].pop(c, None)
        for c in change.answers:
            if c in parts.answers:
                self.agreed_answers[c] = parts.answers[c]
            else:
                self.agreed_answers.pop(c, None)
        if change.participants or len(change.ratings) > MANY:
            self.participantsChanged.emit()
        else:
            for p, c in sorted(change.ratings):
                self.ratingChanged.emit(p, c)
        for c in sorted(change.answers):
            self.agreedChanged.emit(c)

    def _preview(self, op: Operation) -> None:
        """A rating whose write waits in the queue (after a storage failure): show what the
        service will store (``services.answer_fields``); it is re-read if the write is dropped."""
        p = op.options.get("participant_uuid")
        if op.name not in ("set_answer", "delete_answer") or not p:
            return
        c = op.args[1]
        if op.name == "delete_answer":
            self.answers.get(p, {}).pop(c, None)
        else:
            fields = {k: v for k, v in op.options.items() if k not in ("participant_uuid", "to_confirm")}
            try:
                self.answers.setdefault(p, {})[c] = replace(self.rating(p, c), **sv.answer_fields(**fields))
            except sv.ServiceError:
                return  # refused in its turn (a text too long…), then the database is shown again
        self.ratingChanged.emit(p, c)

    def _reread(self, _op: Operation | None) -> None:
        """A write dropped or refused: show the database as it is."""
        self._read()
        self.participantsChanged.emit()

    def _command(self, text: str, op: Operation, *, background: bool = False) -> None:
        self.push(OperationCommand(text, self.save, self.db, op, shown=self.refresh, preview=self._preview,
                                   reread=self._reread, background=background))

    # ------------------------------------------------------------------ participants

    def check_name(self, name: str, exclude: str | None = None) -> str:
        """The cleaned name, or ServiceError before anything is queued (the service checks again)."""
        name = " ".join((name or "").split())
        if not name:
            raise sv.ServiceError(tr("Le nom d’un participant ne peut pas être vide."))
        for p in self.participants:
            if p.uuid != exclude and p.name.casefold() == name.casefold():
                raise sv.ServiceError(tr("Un participant s’appelle déjà « %1 » dans cette séance.")
                                      .replace("%1", p.name))
        return name

    def add_participant(self, name: str, college: str = "") -> str:
        name = self.check_name(name)
        u = str(_uuid.uuid4())
        self._command(tr("Ajouter « %1 »").replace("%1", name),
                      Op("add_participant", self.uuid, name, college, uuid=u))
        return u

    def rename_participant(self, uuid: str, name: str) -> None:
        name = self.check_name(name, exclude=uuid)
        person = self.participant(uuid)
        if person.name == name:
            return
        self._command(tr("Renommer « %1 »").replace("%1", person.name), Op("rename_participant", uuid, name))

    def set_college(self, uuid: str, college: str) -> None:
        person = self.participant(uuid)
        if person.college == college:
            return
        self._command(tr("Collège de « %1 »").replace("%1", person.name), Op("set_participant_college", uuid, college))

    def remove_participant(self, uuid: str) -> None:
        self._command(tr("Retirer « %1 »").replace("%1", self.participant(uuid).name), Op("remove_participant", uuid))

    # ------------------------------------------------------------------ ratings

    @staticmethod
    def _fields(level, status) -> dict:
        return {"status": "answered", "level": level} if level is not None else {"status": status, "level": None}

    def rate(self, participant_uuid: str, criterion_id: str, *, level: int | None = None,
             status: str = "unanswered") -> None:
        fields = self._fields(level, status)
        before = self.rating(participant_uuid, criterion_id)
        after = replace(before, **fields)
        if (after.status, after.level) == (before.status, before.level):
            return
        name = self.participant(participant_uuid).name
        self._command(tr("%1 pour %2 (%3)").replace("%1", self.answer_label(after, short=True) or tr("Effacer"))
                      .replace("%2", criterion_id).replace("%3", name),
                      Op("set_answer", self.uuid, criterion_id, participant_uuid=participant_uuid, **fields))

    def agree(self, criterion_id: str, *, level: int | None = None, status: str = "unanswered",
              reason: str | None = None) -> None:
        """Record the group's answer (the one that scores) and, if given, its reason."""
        fields = self._fields(level, status)
        before = self.agreed(criterion_id)
        after = replace(before, **fields)
        if reason is not None and reason.strip():
            after = replace(after, comment=reason.strip())
        if after == before:
            return
        self._command(tr("Réponse retenue pour %1").replace("%1", criterion_id),
                      Op("record_agreed", self.uuid, criterion_id, level=fields["level"], status=fields["status"],
                         reason=reason))

    # ------------------------------------------------------------------ import

    def import_plan(self, plan, *, overwrite: bool = False) -> None:
        """Import checked questionnaires (``participant_import.ImportPlan``) as ONE undo step,
        written off the GUI thread; undo puts back every answer it replaced."""
        self._command(plural(len(plan.files), tr("Importer %n questionnaire"), tr("Importer %n questionnaires")),
                      Op("apply_import", plan, overwrite=overwrite), background=True)
