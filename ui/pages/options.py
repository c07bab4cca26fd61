"""Strategic options: each tied to SWOT items; the SO/ST/WO/WT kind follows the links."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLineEdit, QListWidget,
    QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ui.models.options_model import UUID_ROLE, OptionsModel, kind_label
from ui.pickers import swot_dialog
from ui.widgets import TextCommitter, finish_pick_dialog, plain_edit, wrapped_label


class OptionsPage(QWidget):
    actionRequested = Signal(str)  # option uuid: create an action from it

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.selected_uuid: str | None = None
        self.model = OptionsModel(document, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Options stratégiques"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the kind and the links can be long: fixed widths, the full text in the cell's tooltip,
        # so that the option's own text keeps the room on a small screen
        for column, width in ((1, 140), (2, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.model.modelReset.connect(self._reselect)
        self.new_option = QLineEdit(self)
        self.new_option.setPlaceholderText(self.tr("Nouvelle option stratégique, puis Entrée"))
        self.new_option.setAccessibleName(self.tr("Nouvelle option stratégique"))
        self.new_option.returnPressed.connect(self.add)

        left = QVBoxLayout()
        left.addWidget(wrapped_label(self.tr(
            "Le type se déduit des éléments liés : SO s’appuie sur une force pour saisir une opportunité, "
            "ST sur une force face à une menace, WO corrige une faiblesse grâce à une opportunité, "
            "WT réduit une faiblesse exposée à une menace."), self))
        if document.ref.options_prompt:
            prompt = wrapped_label(document.ref.options_prompt, self)
            prompt.setStyleSheet("color: #455a64;")
            left.addWidget(prompt)
        left.addWidget(self.table, 1)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_option, 1)
        self.examples_button = QPushButton(self.tr("Options tirées des sources…"), self)
        self.examples_button.clicked.connect(self.open_examples)
        self.examples_button.setEnabled(bool(document.ref.option_examples))
        new_row.addWidget(self.examples_button)
        left.addLayout(new_row)
        body = QHBoxLayout(self)
        body.addLayout(left, 3)
        body.addWidget(self._build_editor(), 2)
        self.table.resizeRowsToContents()
        if self.model.rows:
            self.select(self.model.rows[0].uuid)
        sc = QShortcut(QKeySequence("Delete"), self.table)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(self.delete_selected)
        self._show_selected()

    def _build_editor(self) -> QGroupBox:
        box = QGroupBox(self.tr("Option sélectionnée"), self)
        outer = QVBoxLayout(box)
        form = QFormLayout()
        outer.addLayout(form)
        self.text_edit = plain_edit(self.tr("Texte de l’option"), "", box, 4)
        self.text_saver = TextCommitter(self.text_edit, self._commit_text, self)
        self.kind_label = wrapped_label("", box, bold=True)
        self.kind_label.setAccessibleName(self.tr("Type de l’option"))
        self.links = QListWidget(box)
        self.links.setAccessibleName(self.tr("Éléments AFOM liés"))
        self.links.setWordWrap(True)
        self.link_button = QPushButton(self.tr("Lier aux éléments AFOM…"), box)
        self.link_button.clicked.connect(self.link_items)
        self.action_button = QPushButton(self.tr("Créer une action à partir de cette option"), box)
        self.action_button.clicked.connect(lambda: self.selected_uuid and self.actionRequested.emit(self.selected_uuid))
        self.delete_button = QPushButton(self.tr("Supprimer l’option"), box)
        self.delete_button.clicked.connect(self.delete_selected)
        form.addRow(self.tr("&Texte :"), self.text_edit)
        form.addRow(self.tr("Type :"), self.kind_label)
        outer.addWidget(wrapped_label(self.tr("Éléments AFOM liés :"), box))
        outer.addWidget(self.links, 1)
        for b in (self.link_button, self.action_button, self.delete_button):
            outer.addWidget(b)
        return box

    # ------------------------------------------------------------------ selection

    def _current(self, index, _prev) -> None:
        uuid = index.data(UUID_ROLE) if index.isValid() else None
        if uuid != self.selected_uuid:
            self.text_saver.flush()
        self.selected_uuid = uuid
        self._show_selected()

    def select(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _reselect(self) -> None:
        if self.selected_uuid and self.doc.option(self.selected_uuid) is None:
            self.selected_uuid = None
        if self.selected_uuid:
            self.select(self.selected_uuid)
        self.table.resizeRowsToContents()
        self._show_selected()

    def _show_selected(self) -> None:
        opt = self.doc.option(self.selected_uuid) if self.selected_uuid else None
        for w in (self.text_edit, self.link_button, self.action_button, self.delete_button):
            w.setEnabled(opt is not None)
        self.links.clear()
        if opt is None:
            self.text_saver.load("")
            self.kind_label.setText(self.tr("Aucune option sélectionnée."))
            return
        if not self.text_saver.dirty:
            self.text_saver.load(opt.text)
        self.kind_label.setText(kind_label(self.doc, opt))
        for u in opt.swot:
            item = self.doc.swot_item(u)
            if item:
                self.links.addItem(f"{self.doc.ref.quadrants[item.quadrant].title} — {item.text}")
        if not opt.swot:
            self.links.addItem(self.tr("Aucun élément lié : l’option reste valable, mais son type ne peut "
                                       "pas être déduit."))

    # ------------------------------------------------------------------ edits

    def add(self) -> None:
        text = self.new_option.text().strip()
        if text:
            uuid = self.doc.add_option(text)
            self.new_option.clear()
            self.selected_uuid = uuid
            self.select(uuid)

    def _commit_text(self, text: str) -> None:
        if self.selected_uuid and text.strip():
            self.doc.update_option(self.selected_uuid, text=text.strip())

    def link_items(self) -> None:
        opt = self.doc.option(self.selected_uuid)
        dialog = swot_dialog(self.doc, opt.swot, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_links(dialog.chosen())

    def set_links(self, swot_uuids) -> None:
        if self.selected_uuid:
            self.doc.update_option(self.selected_uuid, swot=list(swot_uuids))

    def delete_selected(self) -> None:
        if self.selected_uuid:
            self.doc.delete_option(self.selected_uuid)

    def open_examples(self) -> None:
        dialog = OptionExamplesDialog(self.doc, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            made = self.doc.add_option_examples(dialog.chosen())
            if made:
                self.select(made[-1])

    def flush(self) -> None:
        self.text_saver.flush()


class OptionExamplesDialog(QDialog):
    """Strategic options that the sources pair with a major opportunity or threat: nothing
    ticked; each ticked option answers its one SWOT item (added to the grid if missing)."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Options tirées des sources"))
        self.resize(900, 560)
        ref = document.ref
        taken = {o.text.strip() for o in document.snap.options}
        self.examples = [ex for ex in ref.option_examples if ex.option not in taken]
        lay = QVBoxLayout(self)
        lay.addWidget(wrapped_label(self.tr(
            "Options que les pôles étudiés ont retenues face à une opportunité ou une menace majeure. "
            "Chaque option cochée répond à son élément, ajouté à la grille AFOM s’il n’y est pas."), self))
        if ref.option_examples_source:
            self.source_label = wrapped_label(self.tr("Source\u00a0: %1").replace("%1", ref.option_examples_source), self)
            lay.addWidget(self.source_label)
        self.table = QTableWidget(len(self.examples), 2, self)
        self.table.setAccessibleName(self.tr("Options proposées"))
        self.table.setHorizontalHeaderLabels([self.tr("Répond à"), self.tr("Option proposée")])
        self.table.setWordWrap(True)
        for row, ex in enumerate(self.examples):
            cell = QTableWidgetItem(f"{ref.quadrants[ex.quadrant].title} — {ex.item}")
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, cell)
            option = QTableWidgetItem(ex.option)
            option.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, 1, option)
        self.accept_button = finish_pick_dialog(self, lay, self.table, self.tr("Ajouter les options cochées"),
                                                stretch=(0, 1))

    def showEvent(self, event):
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def set_checked(self, options) -> None:
        options = set(options)
        for row, ex in enumerate(self.examples):
            if ex.option in options:
                self.table.item(row, 0).setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list:
        return [ex for row, ex in enumerate(self.examples)
                if self.table.item(row, 0).checkState() == Qt.CheckState.Checked]
