"""A workshop session in memory, and every edit the workshop views make to it (undoable).

Like ``ui.document.Document`` for the solo pages: views read from here and never touch
the database; each edit is an ``EditCommand`` handed to ``push`` (the window's undo
stack), applied in memory at once and written through the SaveManager by the services
of ``ptce_toolkit.services.workshop``.
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from ptce_toolkit import services as sv
from ptce_toolkit.records import AnswerData, ParticipantData
from ptce_toolkit.services import workshop as ws
from ui.translation import plural, tr
from ui.undo import EditCommand


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

    # ------------------------------------------------------------------ participants

    def _command(self, text: str, **kw) -> None:
        self.push(EditCommand(text, self.save, **kw))

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
        position = max((p.position for p in self.participants), default=-1) + 1

        def apply():
            self.participants.append(ParticipantData(u, name, college, position))
            self.participantsChanged.emit()

        def revert():
            self.participants.remove(self.participant(u))
            self.answers.pop(u, None)
            self.participantsChanged.emit()

        self._command(tr("Ajouter « %1 »").replace("%1", name), apply=apply, revert=revert,
                      persist=lambda: ws.add_participant(self.db, self.uuid, name, college, uuid=u, position=position),
                      unpersist=lambda _: ws.remove_participant(self.db, u))
        return u

    def _set_field(self, uuid: str, field: str, value: str, text: str, persist, unpersist) -> None:
        before = getattr(self.participant(uuid), field)
        if before == value:
            return

        def put(v):
            def run():
                setattr(self.participant(uuid), field, v)
                self.participantsChanged.emit()
            return run

        self._command(text, apply=put(value), revert=put(before), persist=lambda: persist(value),
                      unpersist=lambda old: unpersist(before if old is None else old))

    def rename_participant(self, uuid: str, name: str) -> None:
        name = self.check_name(name, exclude=uuid)
        self._set_field(uuid, "name", name, tr("Renommer « %1 »").replace("%1", self.participant(uuid).name),
                        lambda v: ws.rename_participant(self.db, uuid, v),
                        lambda old: ws.rename_participant(self.db, uuid, old))

    def set_college(self, uuid: str, college: str) -> None:
        self._set_field(uuid, "college", college, tr("Collège de « %1 »").replace("%1", self.participant(uuid).name),
                        lambda v: ws.set_participant_college(self.db, uuid, v),
                        lambda old: ws.set_participant_college(self.db, uuid, old))

    def remove_participant(self, uuid: str) -> None:
        person = self.participant(uuid)
        index = self.participants.index(person)
        saved = dict(self.answers.get(uuid, {}))

        def apply():
            self.participants.remove(self.participant(uuid))
            self.answers.pop(uuid, None)
            self.participantsChanged.emit()

        def revert():
            self.participants.insert(index, person)
            if saved:
                self.answers[uuid] = dict(saved)
            self.participantsChanged.emit()

        self._command(tr("Retirer « %1 »").replace("%1", person.name), apply=apply, revert=revert,
                      persist=lambda: ws.remove_participant(self.db, uuid),
                      unpersist=lambda removed: ws.restore_participant(
                          self.db, removed or ws.RemovedParticipant(self.uuid, person, saved)))

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

        def put(value):
            def run():
                self.answers.setdefault(participant_uuid, {})[criterion_id] = value
                self.ratingChanged.emit(participant_uuid, criterion_id)
            return run

        name = self.participant(participant_uuid).name
        self._command(tr("%1 pour %2 (%3)").replace("%1", self.answer_label(after, short=True) or tr("Effacer"))
                      .replace("%2", criterion_id).replace("%3", name),
                      apply=put(after), revert=put(before),
                      persist=lambda: ws.set_rating(self.db, self.uuid, participant_uuid, criterion_id, **fields),
                      unpersist=lambda change: sv.apply(self.db, change.inverse))

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

        def put(value):
            def run():
                self.agreed_answers[criterion_id] = value
                self.agreedChanged.emit(criterion_id)
            return run

        self._command(tr("Réponse retenue pour %1").replace("%1", criterion_id), apply=put(after), revert=put(before),
                      persist=lambda: ws.record_agreed(self.db, self.uuid, criterion_id, level=fields["level"],
                                                       status=fields["status"], reason=reason),
                      unpersist=lambda change: sv.apply(self.db, change.inverse))

    # ------------------------------------------------------------------ import

    def import_plan(self, plan, *, overwrite: bool = False) -> None:
        """Import checked questionnaires (``participant_import.ImportPlan``) as ONE undo step."""
        from ptce_toolkit.services import participant_import as pim

        def unpersist(outcome):
            if outcome is not None:
                pim.undo_import(self.db, self.uuid, outcome)

        self._command(plural(len(plan.files), tr("Importer %n questionnaire"), tr("Importer %n questionnaires")),
                      persist=lambda: pim.apply_import(self.db, plan, overwrite=overwrite),
                      unpersist=unpersist, after=self.reload, background=True)
