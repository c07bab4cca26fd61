"""Poles and their assessments: list, create, rename, copy last year's, delete (with undo)."""

from __future__ import annotations

import uuid as _uuid
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QInputDialog, QLabel, QLineEdit,
    QMessageBox,
    QPushButton, QTreeView, QVBoxLayout, QWidget,
)

from ptce_toolkit import referential as ref_mod
from ptce_toolkit import services as sv
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.services import carry
from ptce_toolkit.vocabulary import ASSESSMENT_STATUS_LABELS
from ui.translation import plural, tr_vocabulary
from ui.undo import OperationCommand

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
UUID_ROLE = Qt.ItemDataRole.UserRole + 2
POLE_ROLE = Qt.ItemDataRole.UserRole + 3
TITLE_ROLE = Qt.ItemDataRole.UserRole + 4
STATUS_ROLE = Qt.ItemDataRole.UserRole + 5


class NewAssessmentDialog(QDialog):
    """Title, whether to start from the previous assessment, and the referential version:
    another version is reached through its crosswalk (services/carry.py), split or merged
    criteria then coming as proposals « à confirmer »."""

    def __init__(self, pole_name: str, can_copy: bool, parent=None, previous_ref=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nouvelle évaluation"))
        self.previous_ref = previous_ref
        form = QFormLayout(self)
        self.title_edit = QLineEdit(self.tr("Diagnostic %1").replace("%1", str(date.today().year)), self)
        self.title_edit.setAccessibleName(self.tr("Titre de l’évaluation"))
        form.addRow(self.tr("Pôle :"), QLineEdit(pole_name, self, readOnly=True))
        form.addRow(self.tr("&Titre\u00a0:"), self.title_edit)
        self.copy_box = QCheckBox(self.tr("Partir de l’évaluation précédente (réponses, profil, AFOM, plan)"), self)
        self.copy_box.setChecked(can_copy)
        self.copy_box.setEnabled(can_copy)
        form.addRow(self.copy_box)
        self.version_box = QComboBox(self)
        self.version_box.setAccessibleName(self.tr("Version du référentiel"))
        default = previous_ref if previous_ref is not None else ref_mod.default()
        for ref in ref_mod.registry().all():
            self.version_box.addItem(self.tr("%1 — version %2").replace("%1", ref.title).replace("%2", ref.version),
                                     ref.key)
            if ref.key == default.key:
                self.version_box.setCurrentIndex(self.version_box.count() - 1)
        form.addRow(self.tr("&Référentiel :"), self.version_box)
        self.carry_note = QLabel("", self)
        self.carry_note.setWordWrap(True)
        form.addRow(self.carry_note)
        self.copy_box.toggled.connect(self._update)
        self.version_box.currentIndexChanged.connect(self._update)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._update()

    def referential(self):
        return ref_mod.registry().get(*self.version_box.currentData())

    def _update(self) -> None:
        ref, prev = self.referential(), self.previous_ref
        copying = self.copy_box.isChecked() and prev is not None
        possible = not copying or carry.can_carry(prev, ref)
        note = ""
        if copying and not possible:
            note = self.tr("Aucune correspondance n’est installée depuis la version %1 : décochez la reprise "
                           "ou choisissez une autre version.").replace("%1", prev.version)
        elif copying and ref.key != prev.key:
            note = self.tr("Les réponses de la version %1 seront reprises par la correspondance ; les critères "
                           "découpés ou fusionnés arriveront « à confirmer ».").replace("%1", prev.version)
        self.carry_note.setText(note)
        self.ok_button.setEnabled(possible)


class Navigator(QWidget):
    """Left panel. Emits ``openRequested(assessment uuid)``; ``changed(change record)`` after
    any edit, its undo or its redo (the services' ``Change``: which poles and assessments)."""

    openRequested = Signal(str)
    changed = Signal(object)

    def __init__(self, db, save, stack, parent=None):
        super().__init__(parent)
        self.db, self.save, self.stack = db, save, stack
        self.current_assessment: str | None = None
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels([self.tr("Pôles et évaluations")])
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Pôles et évaluations"))
        self.view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._activated)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.view, 1)
        grid = QGridLayout()
        self.buttons = {}
        for i, (key, text, slot) in enumerate((
                ("pole", self.tr("Nouveau pôle…"), self.new_pole),
                ("assessment", self.tr("Nouvelle évaluation…"), self.new_assessment),
                ("rename", self.tr("Renommer…"), self.rename_selected),
                ("delete", self.tr("Supprimer…"), self.delete_selected))):
            b = QPushButton(text, self)
            b.clicked.connect(slot)
            grid.addWidget(b, i // 2, i % 2)
            self.buttons[key] = b
        lay.addLayout(grid)
        self.refresh()

    # ------------------------------------------------------------------ listing

    def refresh(self) -> None:
        expanded_sel = self.selected()
        self.model.removeRows(0, self.model.rowCount())
        by_pole: dict[str, list] = {}
        for a in sv.list_assessments(self.db):
            by_pole.setdefault(a.pole_uuid, []).append(a)
        status = {k: tr_vocabulary(v).lower() for k, v in ASSESSMENT_STATUS_LABELS.items()}
        bold = QFont()
        bold.setBold(True)
        for p in sv.list_poles(self.db):
            pi = QStandardItem(p.name)
            pi.setData("pole", KIND_ROLE)
            pi.setData(p.uuid, UUID_ROLE)
            pi.setData(p.uuid, POLE_ROLE)
            pi.setFont(bold)
            for a in by_pole.get(p.uuid, []):
                ai = QStandardItem()
                ai.setData("assessment", KIND_ROLE)
                ai.setData(a.title, TITLE_ROLE)
                ai.setData(status.get(a.status, a.status), STATUS_ROLE)
                self._show_count(ai, a.answered)
                ai.setData(a.uuid, UUID_ROLE)
                ai.setData(p.uuid, POLE_ROLE)
                if a.uuid == self.current_assessment:
                    ai.setFont(bold)
                pi.appendRow(ai)
            self.model.appendRow(pi)
        self.view.expandAll()
        if expanded_sel:
            self.select(expanded_sel[1])

    def _show_count(self, item: QStandardItem, answered: int) -> None:
        count = plural(answered, self.tr("%n réponse"), self.tr("%n réponses"))
        item.setText(f"{item.data(TITLE_ROLE)} · {item.data(STATUS_ROLE)} · {count}")
        # the panel is narrow: the tooltip always carries the whole line
        item.setToolTip(f"{item.data(TITLE_ROLE)} · {item.data(STATUS_ROLE)}\n"
                        + plural(answered, self.tr("%n réponse enregistrée"), self.tr("%n réponses enregistrées")))

    def mark_current(self, assessment_uuid: str) -> None:
        """The open assessment in bold, without rereading the database."""
        self.current_assessment = assessment_uuid
        for r in range(self.model.rowCount()):
            pole = self.model.item(r)
            for i in range(pole.rowCount()):
                item = pole.child(i)
                f = item.font()
                if f.bold() != (item.data(UUID_ROLE) == assessment_uuid):
                    f.setBold(not f.bold())
                    item.setFont(f)

    def set_answered(self, assessment_uuid: str, answered: int) -> None:
        """Live count while rating (the list is otherwise read from the database)."""
        for r in range(self.model.rowCount()):
            pole = self.model.item(r)
            for i in range(pole.rowCount()):
                item = pole.child(i)
                if item.data(UUID_ROLE) == assessment_uuid:
                    self._show_count(item, answered)
                    return

    def select(self, uuid: str) -> None:
        for r in range(self.model.rowCount()):
            pole = self.model.item(r)
            for item in [pole] + [pole.child(i) for i in range(pole.rowCount())]:
                if item.data(UUID_ROLE) == uuid:
                    self.view.setCurrentIndex(item.index())
                    return

    def selected(self) -> tuple[str, str, str] | None:
        """(kind, uuid, pole uuid) of the selected row."""
        idx = self.view.currentIndex()
        if not idx.isValid():
            return None
        return idx.data(KIND_ROLE), idx.data(UUID_ROLE), idx.data(POLE_ROLE)

    def _activated(self, index) -> None:
        if index.data(KIND_ROLE) == "assessment":
            self.openRequested.emit(index.data(UUID_ROLE))

    # ------------------------------------------------------------------ edits

    def _push(self, text: str, op: Operation) -> None:
        """An undoable edit replayed through the services; the list is read again from its change."""
        self.stack.push(OperationCommand(text, self.save, self.db, op, shown=self._shown, reread=self._reread))

    def _shown(self, change: Change) -> None:
        self.refresh()
        self.changed.emit(change)

    def _reread(self, op: Operation | None) -> None:
        """A write dropped or refused: show the database as it is."""
        self.refresh()
        self.changed.emit(Change("", None))

    def new_pole(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Nouveau pôle"), self.tr("Nom du pôle :"))
        if not ok or not name.strip():
            return
        u = str(_uuid.uuid4())
        self._push(self.tr("Créer le pôle « %1 »").replace("%1", name.strip()), Operation.of("create_pole", name, uuid=u))
        self.select(u)

    def new_assessment(self) -> None:
        sel = self.selected()
        if sel is None:
            QMessageBox.information(self, self.tr("Nouvelle évaluation"),
                                    self.tr("Choisissez d’abord un pôle dans la liste."))
            return
        pole_uuid = sel[2]
        pole = sv.get_pole(self.db, pole_uuid)
        latest = sv.latest_assessment(self.db, pole_uuid)
        previous_ref = None
        if latest is not None:
            try:
                previous_ref = sv.referential_of(self.db, latest)
            except ref_mod.ReferentialError:
                latest = None  # its referential is not installed here: nothing to copy from
        dialog = NewAssessmentDialog(pole.name, latest is not None, self, previous_ref)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.create_assessment(pole_uuid, dialog.title_edit.text().strip(), dialog.copy_box.isChecked(),
                               dialog.referential())

    def create_assessment(self, pole_uuid: str, title: str, copy_previous: bool, referential=None) -> str:
        u = str(_uuid.uuid4())
        copy_from = "previous" if copy_previous else None
        text = self.tr("Copier l’évaluation précédente") if copy_previous else self.tr("Créer une évaluation")
        self._push(text, Operation.of("create_assessment", pole_uuid, title, referential=referential,
                                      copy_from=copy_from, uuid=u))
        self.openRequested.emit(u)
        return u

    def rename_selected(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, uuid, _ = sel
        if kind == "pole":
            old = sv.get_pole(self.db, uuid).name
            label = self.tr("Nouveau nom du pôle :")
        else:
            old = next(a.title for a in sv.list_assessments(self.db) if a.uuid == uuid)
            label = self.tr("Nouveau titre de l’évaluation :")
        name, ok = QInputDialog.getText(self, self.tr("Renommer"), label, text=old)
        if not ok or not name.strip() or name.strip() == old:
            return
        name = name.strip()
        if kind == "pole":
            self._push(self.tr("Renommer le pôle"), Operation.of("update_pole", uuid, name=name))
        else:
            self._push(self.tr("Renommer l’évaluation"), Operation.of("update_assessment", uuid, title=name))

    def delete_selected(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, uuid, _ = sel
        name = self.view.currentIndex().data()
        if kind == "pole":
            question = self.tr("Supprimer le pôle « %1 » et toutes ses évaluations ?").replace("%1", name)
        else:
            question = self.tr("Supprimer l’évaluation « %1 » ?").replace("%1", name)
        question += "\n" + self.tr("Vous pourrez revenir en arrière avec Édition > Annuler (Ctrl+Z).")
        answer = QMessageBox.question(self, self.tr("Confirmer la suppression"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.delete(kind, uuid)

    def delete(self, kind: str, uuid: str) -> None:
        if kind == "pole":
            self._push(self.tr("Supprimer un pôle"), Operation.of("delete_pole", uuid))
        else:
            self._push(self.tr("Supprimer une évaluation"), Operation.of("delete_assessment", uuid))
