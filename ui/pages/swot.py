"""SWOT grid (grille AFOM): four quadrants, item editor, suggestions from the answers."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
    QLineEdit, QListView, QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ptce_toolkit.services.suggestions import swot_suggestions
from ptce_toolkit.vocabulary import IMPORTANCE_LABELS, QUADRANT_ORDER
from ui.models.swot_model import SwotQuadrantModel, UUID_ROLE
from ui.pickers import criteria_dialog
from ui.translation import tr, tr_vocabulary
from ui.widgets import TextCommitter, finish_pick_dialog, plain_edit, wrapped_label

def importance_labels() -> dict[int, str]:
    """Strongest first, as every scale a person picks from."""
    return {k: tr_vocabulary(v) for k, v in IMPORTANCE_LABELS.items()}


class QuadrantPanel(QGroupBox):
    """One quadrant: its question, the list (drag and drop), a line to add an item."""

    selected = Signal(str)

    def __init__(self, document, quadrant: str, parent=None):
        q = document.ref.quadrants[quadrant]
        super().__init__(q.title, parent)
        self.doc, self.quadrant = document, quadrant
        self.setAccessibleName(q.title)
        lay = QVBoxLayout(self)
        question = wrapped_label(q.question, self)
        question.setStyleSheet("color: #455a64;")
        lay.addWidget(question)
        self.model = SwotQuadrantModel(document, quadrant, self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Éléments : %1").replace("%1", q.title))
        self.view.setWordWrap(True)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.selectionModel().currentChanged.connect(self._current)
        lay.addWidget(self.view, 1)
        self.new_item = QLineEdit(self)
        self.new_item.setPlaceholderText(self.tr("Nouvel élément, puis Entrée"))
        self.new_item.setAccessibleName(self.tr("Nouvel élément : %1").replace("%1", q.title))
        self.new_item.returnPressed.connect(self.add)
        lay.addWidget(self.new_item)

    def add(self) -> None:
        text = self.new_item.text().strip()
        if text:
            uuid = self.doc.add_swot(self.quadrant, text)
            self.new_item.clear()
            self.select(uuid)

    def _current(self, index, _prev) -> None:
        if index.isValid():
            self.selected.emit(index.data(UUID_ROLE))

    def select(self, uuid: str) -> bool:
        row = self.model.row_of(uuid)
        if row < 0:
            return False
        self.view.selectionModel().setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True


class SuggestionsDialog(QDialog):
    """Candidate forces and faiblesses from the answers: tick, edit the text, accept at once."""

    def __init__(self, document, suggestions, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Suggestions tirées des réponses"))
        self.resize(900, 560)
        self.suggestions = suggestions
        lay = QVBoxLayout(self)
        lay.addWidget(wrapped_label(self.tr(
            "Critères notés 3 ou 4 : forces possibles. Critères notés 0 ou 1 : faiblesses possibles. "
            "Cochez ce qui convient et reformulez le texte si besoin (double-clic)."), self))
        self.table = QTableWidget(len(suggestions), 3, self)
        self.table.setAccessibleName(self.tr("Suggestions"))
        self.table.setHorizontalHeaderLabels([self.tr("Quadrant"), self.tr("Texte proposé"), self.tr("Critère")])
        self.table.setWordWrap(True)
        for row, s in enumerate(suggestions):
            q = QTableWidgetItem(document.ref.quadrants[s.quadrant].title)
            q.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            q.setCheckState(Qt.CheckState.Unchecked)  # nothing is added that was not chosen
            self.table.setItem(row, 0, q)
            self.table.setItem(row, 1, QTableWidgetItem(s.text))
            c = QTableWidgetItem(self.tr("%1 · niveau %2").replace("%1", ", ".join(s.criteria))
                                 .replace("%2", str(s.level)))
            c.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            c.setToolTip(s.detail)
            self.table.item(row, 1).setToolTip(s.detail)
            self.table.setItem(row, 2, c)
        self.accept_button = finish_pick_dialog(self, lay, self.table, self.tr("Ajouter les suggestions cochées"))

    def showEvent(self, event):
        super().showEvent(event)
        self.table.resizeRowsToContents()  # widths are known only once shown

    def chosen(self):
        out = []
        for row, s in enumerate(self.suggestions):
            if self.table.item(row, 0).checkState() == Qt.CheckState.Checked:
                text = self.table.item(row, 1).text().strip()
                if text:
                    out.append(replace(s, text=text))
        return out


class ExamplesDialog(QDialog):
    """The cross-case SWOT examples carried in the referential, per quadrant, with their
    source: nothing is ticked; the ticked items become SWOT items in one undo step."""

    def __init__(self, document, existing=(), parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exemples tirés des sources"))
        self.resize(900, 560)
        ref = document.ref
        taken = {t.strip() for t in existing}
        self.examples = [(q, text) for q in QUADRANT_ORDER for text in ref.quadrants[q].examples
                         if text.strip() not in taken]
        lay = QVBoxLayout(self)
        lay.addWidget(wrapped_label(self.tr(
            "Éléments relevés chez plusieurs pôles. Cochez ceux qui valent aussi pour le vôtre ; "
            "vous pourrez ensuite les reformuler et les relier aux critères."), self))
        if ref.examples_source:
            self.source_label = wrapped_label(self.tr("Source\u00a0: %1").replace("%1", ref.examples_source), self)
            lay.addWidget(self.source_label)
        filt = QHBoxLayout()
        self.quadrant = QComboBox(self)
        self.quadrant.setAccessibleName(self.tr("Quadrant affiché"))
        self.quadrant.addItem(self.tr("Tous les quadrants"), "")
        for q in QUADRANT_ORDER:
            self.quadrant.addItem(ref.quadrants[q].title, q)
        self.quadrant.currentIndexChanged.connect(self._filter)
        filt.addWidget(self.quadrant)
        filt.addStretch(1)
        lay.addLayout(filt)
        self.table = QTableWidget(len(self.examples), 2, self)
        self.table.setAccessibleName(self.tr("Exemples"))
        self.table.setHorizontalHeaderLabels([self.tr("Quadrant"), self.tr("Exemple")])
        self.table.setWordWrap(True)
        for row, (q, text) in enumerate(self.examples):
            cell = QTableWidgetItem(ref.quadrants[q].title)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Unchecked)  # nothing is added that was not chosen
            self.table.setItem(row, 0, cell)
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setToolTip(text)
            self.table.setItem(row, 1, item)
        self.accept_button = finish_pick_dialog(self, lay, self.table, self.tr("Ajouter les exemples cochés"))

    def showEvent(self, event):
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def show_quadrant(self, quadrant: str) -> None:
        self.quadrant.setCurrentIndex(max(0, self.quadrant.findData(quadrant)))

    def _filter(self) -> None:
        wanted = self.quadrant.currentData()
        for row, (q, _text) in enumerate(self.examples):
            self.table.setRowHidden(row, bool(wanted) and q != wanted)
        self.table.resizeRowsToContents()

    def set_checked(self, texts) -> None:
        texts = set(texts)
        for row, (_q, text) in enumerate(self.examples):
            if text in texts:
                self.table.item(row, 0).setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[tuple[str, str]]:
        return [ex for row, ex in enumerate(self.examples)
                if self.table.item(row, 0).checkState() == Qt.CheckState.Checked]


class SwotPage(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.selected_uuid: str | None = None
        # the four quadrants scroll together when the window is too low for their questions
        self.quadrants = QWidget(self)
        grid = QGridLayout(self.quadrants)
        grid.setContentsMargins(0, 0, 0, 0)
        self.panels: dict[str, QuadrantPanel] = {}
        for i, q in enumerate(QUADRANT_ORDER):
            panel = QuadrantPanel(document, q, self.quadrants)
            panel.selected.connect(self.select)
            grid.addWidget(panel, i // 2, i % 2)
            self.panels[q] = panel

        top = QHBoxLayout()
        self.suggest_button = QPushButton(self.tr("Suggestions tirées des réponses…"), self)
        self.suggest_button.clicked.connect(self.open_suggestions)
        top.addWidget(wrapped_label(self.tr("Glissez un élément d’un quadrant à l’autre, ou choisissez son "
                                            "quadrant dans le panneau de droite."), self), 1)
        top.addWidget(self.suggest_button)
        self.examples_button = QPushButton(self.tr("Exemples tirés des sources…"), self)
        self.examples_button.clicked.connect(self.open_examples)
        top.addWidget(self.examples_button)

        self.editor = self._build_editor()
        body = QHBoxLayout()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.quadrants)
        scroll.setAccessibleName(self.tr("Quadrants de la grille AFOM"))
        body.addWidget(scroll, 3)
        body.addWidget(self.editor, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(body, 1)
        document.swotChanged.connect(self._swot_changed)
        for key, slot in (("Delete", self.delete_selected), ("Ctrl+Up", lambda: self.shift(-1)),
                          ("Ctrl+Down", lambda: self.shift(1))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        self._show_selected()

    def _build_editor(self) -> QGroupBox:
        box = QGroupBox(self.tr("Élément sélectionné"), self)
        outer = QVBoxLayout(box)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.text_edit = plain_edit(self.tr("Texte de l’élément"), "", box, 5)
        self.text_saver = TextCommitter(self.text_edit, self._commit_text, self)
        self.importance = QComboBox(box)
        self.importance.setAccessibleName(self.tr("Importance"))
        for value, label in importance_labels().items():
            self.importance.addItem(label, value)
        self.importance.activated.connect(
            lambda i: self.selected_uuid and self.doc.update_swot(self.selected_uuid,
                                                                  importance=self.importance.itemData(i)))
        self.quadrant = QComboBox(box)
        self.quadrant.setAccessibleName(self.tr("Quadrant"))
        for q in QUADRANT_ORDER:
            self.quadrant.addItem(self.doc.ref.quadrants[q].title, q)
        self.quadrant.activated.connect(self._move_to)
        self.criteria_label = wrapped_label("", box)
        self.link_button = QPushButton(self.tr("Lier aux critères…"), box)
        self.link_button.clicked.connect(self.link_criteria)
        buttons = QHBoxLayout()
        self.up_button = QPushButton(self.tr("Monter"), box)
        self.up_button.setToolTip(self.tr("Ctrl+Haut"))
        self.up_button.clicked.connect(lambda: self.shift(-1))
        self.down_button = QPushButton(self.tr("Descendre"), box)
        self.down_button.setToolTip(self.tr("Ctrl+Bas"))
        self.down_button.clicked.connect(lambda: self.shift(1))
        self.delete_button = QPushButton(self.tr("Supprimer"), box)
        self.delete_button.setToolTip(self.tr("Suppr"))
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.up_button, self.down_button, self.delete_button):
            buttons.addWidget(b)
        form.addRow(self.tr("&Texte :"), self.text_edit)
        form.addRow(self.tr("&Importance :"), self.importance)
        form.addRow(self.tr("&Quadrant :"), self.quadrant)
        form.addRow(self.tr("Critères :"), self.criteria_label)
        form.addRow("", self.link_button)
        form.addRow(buttons)
        return box

    # ------------------------------------------------------------------ selection

    def select(self, uuid: str | None) -> None:
        if uuid != self.selected_uuid:
            self.text_saver.flush()
        self.selected_uuid = uuid
        item = self.doc.swot_item(uuid) if uuid else None
        for q, panel in self.panels.items():
            if item is None or q != item.quadrant:
                panel.view.selectionModel().clear()
        if item is not None:
            self.panels[item.quadrant].select(uuid)
        self._show_selected()

    def _show_selected(self) -> None:
        item = self.doc.swot_item(self.selected_uuid) if self.selected_uuid else None
        for w in (self.text_edit, self.importance, self.quadrant, self.link_button, self.up_button,
                  self.down_button, self.delete_button):
            w.setEnabled(item is not None)
        if item is None:
            self.text_saver.load("")
            self.criteria_label.setText(self.tr("Aucun élément sélectionné."))
            return
        if not self.text_saver.dirty:
            self.text_saver.load(item.text)
        self.importance.setCurrentIndex(self.importance.findData(item.importance))
        self.quadrant.setCurrentIndex(self.quadrant.findData(item.quadrant))
        self.criteria_label.setText(", ".join(item.criteria) or self.tr("aucun"))

    def _swot_changed(self) -> None:
        if self.selected_uuid and self.doc.swot_item(self.selected_uuid) is None:
            self.selected_uuid = None
        self.select(self.selected_uuid)

    # ------------------------------------------------------------------ edits

    def _commit_text(self, text: str) -> None:
        if self.selected_uuid and text.strip():
            self.doc.update_swot(self.selected_uuid, text=text.strip())

    def _move_to(self, index: int) -> None:
        q = self.quadrant.itemData(index)
        item = self.doc.swot_item(self.selected_uuid)
        if item is not None and q != item.quadrant:
            self.doc.move_swot(item.uuid, q, len(self.doc.quadrant_items(q)))

    def shift(self, delta: int) -> None:
        item = self.doc.swot_item(self.selected_uuid) if self.selected_uuid else None
        if item is None:
            return
        target = item.position + delta
        if 0 <= target < len(self.doc.quadrant_items(item.quadrant)):
            self.doc.move_swot(item.uuid, item.quadrant, target)

    def delete_selected(self) -> None:
        if self.selected_uuid:
            self.doc.delete_swot(self.selected_uuid)

    def link_criteria(self) -> None:
        item = self.doc.swot_item(self.selected_uuid)
        dialog = criteria_dialog(self.doc.ref, item.criteria, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.doc.update_swot(item.uuid, criteria=dialog.chosen())

    def suggestions(self):
        return swot_suggestions(self.doc.ref, self.doc.snap.answers, self.doc.snap.swot)

    def open_suggestions(self) -> None:
        found = self.suggestions()
        if not found:
            self.suggest_button.setText(self.tr("Aucune nouvelle suggestion"))
            return
        dialog = SuggestionsDialog(self.doc, found, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.doc.accept_suggestions(dialog.chosen())

    def examples_dialog(self) -> ExamplesDialog:
        dialog = ExamplesDialog(self.doc, [i.text for i in self.doc.snap.swot], self)
        if self.selected_uuid:
            item = self.doc.swot_item(self.selected_uuid)
            if item is not None:
                dialog.show_quadrant(item.quadrant)
        return dialog

    def open_examples(self) -> None:
        dialog = self.examples_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.doc.add_swot_examples(dialog.chosen())

    def flush(self) -> None:
        self.text_saver.flush()

