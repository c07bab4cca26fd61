"""Action plan: sortable, filterable table; an editor; actions made in one step from a
priority criterion or a strategic option."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QStyle,
    QLineEdit, QMenu, QPushButton, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from ui.models.actions_model import UUID_ROLE, ActionsFilter, ActionsModel, priority_labels, status_labels
from ui.pickers import CheckListDialog, criteria_dialog
from ui.widgets import DateField, TextCommitter, wrapped_label


class ActionsPage(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.selected_uuid: str | None = None
        self.model = ActionsModel(document, self)
        self.proxy = ActionsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Plan d’action"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # wide enough for the header text and its sort arrow (« Priorité » was elided)
        header_fm, arrow = header.fontMetrics(), header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)
        for column, chars in ((1, 14), (2, 12), (3, 9), (4, 8), (5, 14)):
            title = self.model.headerData(column, Qt.Orientation.Horizontal)
            self.table.setColumnWidth(column, max(self.fontMetrics().averageCharWidth() * chars + 16,
                                                  header_fm.horizontalAdvance(title) + arrow + 24))
        header.setMinimumSectionSize(header_fm.horizontalAdvance(self.model.headerData(0, Qt.Orientation.Horizontal))
                                     + arrow + 24)
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.model.modelReset.connect(self._reselect)
        sc = QShortcut(QKeySequence("Delete"), self.table)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(self.delete_selected)

        left = QVBoxLayout()
        left.addLayout(self._build_filters())
        left.addWidget(self.table, 1)
        add_row = QHBoxLayout()
        self.new_action = QLineEdit(self)
        self.new_action.setPlaceholderText(self.tr("Nouvelle action, puis Entrée"))
        self.new_action.setAccessibleName(self.tr("Nouvelle action"))
        self.new_action.returnPressed.connect(self.add)
        add_row.addWidget(self.new_action, 1)
        self.from_criterion = QToolButton(self)
        self.from_criterion.setText(self.tr("Depuis un critère prioritaire"))
        self.from_criterion.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.from_criterion.setMenu(QMenu(self.from_criterion))
        self.from_criterion.menu().aboutToShow.connect(self._fill_criterion_menu)
        self.from_option = QToolButton(self)
        self.from_option.setText(self.tr("Depuis une option"))
        self.from_option.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.from_option.setMenu(QMenu(self.from_option))
        self.from_option.menu().aboutToShow.connect(self._fill_option_menu)
        for b in (self.from_criterion, self.from_option):
            # the menu arrow is part of the text, not drawn over its last letters
            b.setText(b.text() + " ▾")
            b.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
            b.setMinimumWidth(b.sizeHint().width())
            add_row.addWidget(b)
        left.addLayout(add_row)
        body = QHBoxLayout(self)
        body.addLayout(left, 3)
        body.addWidget(self._build_editor(), 2)
        self.proxy.layoutChanged.connect(self.table.resizeRowsToContents)
        self.table.resizeRowsToContents()
        if self.model.rows:
            self.select(self.model.rows[0].uuid)
        self._show_selected()

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(self.tr("Filtrer par statut"))
        self.status_filter.addItem(self.tr("Tous les statuts"), None)
        for key, label in status_labels().items():
            self.status_filter.addItem(label, key)
        self.priority_filter = QComboBox(self)
        self.priority_filter.setAccessibleName(self.tr("Filtrer par priorité"))
        self.priority_filter.addItem(self.tr("Toutes les priorités"), None)
        for key, label in priority_labels().items():
            self.priority_filter.addItem(label, key)
        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(self.tr("Rechercher (action, responsable, critère)…"))
        self.text_filter.setAccessibleName(self.tr("Rechercher dans le plan d’action"))
        self.text_filter.setClearButtonEnabled(True)
        for w in (self.status_filter, self.priority_filter):
            w.currentIndexChanged.connect(self._filter)
        self.text_filter.textChanged.connect(self._filter)
        row.addWidget(self.text_filter, 1)
        row.addWidget(self.status_filter)
        row.addWidget(self.priority_filter)
        return row

    def _build_editor(self) -> QGroupBox:
        box = QGroupBox(self.tr("Action sélectionnée"), self)
        outer = QVBoxLayout(box)
        form = QFormLayout()
        outer.addLayout(form)
        self.title_edit = QLineEdit(box)
        self.title_edit.setAccessibleName(self.tr("Intitulé de l’action"))
        self.title_saver = TextCommitter(self.title_edit, lambda t: self._update(title=t.strip()) if t.strip() else None,
                                         self)
        self.owner_edit = QLineEdit(box)
        self.owner_edit.setAccessibleName(self.tr("Responsable"))
        self.owner_saver = TextCommitter(self.owner_edit, lambda t: self._update(owner=t.strip()), self)
        self.due_edit = DateField(self.tr("Échéance"), box)
        self.due_edit.setToolTip(self.tr("Tapez la date (15/01/2027) ou choisissez-la ; vide : pas d’échéance"))
        self.due_edit.committed.connect(lambda iso: self._update(due_on=iso))
        self.status_box = QComboBox(box)
        self.status_box.setAccessibleName(self.tr("Statut"))
        for key, label in status_labels().items():
            self.status_box.addItem(label, key)
        self.status_box.activated.connect(lambda i: self._update(status=self.status_box.itemData(i)))
        self.priority_box = QComboBox(box)
        self.priority_box.setAccessibleName(self.tr("Priorité"))
        for key, label in priority_labels().items():
            self.priority_box.addItem(label, key)
        self.priority_box.activated.connect(lambda i: self._update(priority=self.priority_box.itemData(i)))
        self.links_label = wrapped_label("", box)
        self.criteria_button = QPushButton(self.tr("Critères liés…"), box)
        self.criteria_button.clicked.connect(self.link_criteria)
        self.options_button = QPushButton(self.tr("Options liées…"), box)
        self.options_button.clicked.connect(self.link_options)
        self.delete_button = QPushButton(self.tr("Supprimer l’action"), box)
        self.delete_button.clicked.connect(self.delete_selected)
        form.addRow(self.tr("&Intitulé :"), self.title_edit)
        form.addRow(self.tr("&Responsable :"), self.owner_edit)
        form.addRow(self.tr("Échéance :"), self.due_edit)
        form.addRow(self.tr("&Statut :"), self.status_box)
        form.addRow(self.tr("&Priorité :"), self.priority_box)
        form.addRow(self.tr("Liens :"), self.links_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.criteria_button)
        buttons.addWidget(self.options_button)
        outer.addLayout(buttons)
        outer.addWidget(self.delete_button)
        outer.addStretch(1)
        self.editors = (self.title_edit, self.owner_edit, self.due_edit, self.status_box,
                        self.priority_box, self.criteria_button, self.options_button, self.delete_button)
        return box

    # ------------------------------------------------------------------ selection

    def _filter(self, *_):
        self.proxy.set_filters(status=self.status_filter.currentData(), priority=self.priority_filter.currentData(),
                               text=self.text_filter.text())

    def _current(self, index, _prev) -> None:
        uuid = index.data(UUID_ROLE) if index.isValid() else None
        if uuid != self.selected_uuid:
            self.flush()
        self.selected_uuid = uuid
        self._show_selected()

    def select(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _reselect(self) -> None:
        if self.selected_uuid and self.doc.action(self.selected_uuid) is None:
            self.selected_uuid = None
        if self.selected_uuid:
            self.select(self.selected_uuid)
        self.table.resizeRowsToContents()
        self._show_selected()

    def _show_selected(self) -> None:
        act = self.doc.action(self.selected_uuid) if self.selected_uuid else None
        for w in self.editors:
            w.setEnabled(act is not None)
        if act is None:
            self.title_saver.load("")
            self.owner_saver.load("")
            self.links_label.setText(self.tr("Aucune action sélectionnée."))
            return
        if not self.title_saver.dirty:
            self.title_saver.load(act.title)
        if not self.owner_saver.dirty:
            self.owner_saver.load(act.owner)
        self.due_edit.set_iso(act.due_on)
        self.status_box.setCurrentIndex(self.status_box.findData(act.status))
        self.priority_box.setCurrentIndex(self.priority_box.findData(act.priority))
        opts = [self.doc.option(o).text for o in act.options if self.doc.option(o)]
        self.links_label.setText("\n".join([", ".join(act.criteria) or self.tr("aucun critère")]
                                           + [f"• {t}" for t in opts]))

    # ------------------------------------------------------------------ edits

    def _update(self, **fields) -> None:
        if self.selected_uuid:
            self.doc.update_action(self.selected_uuid, **fields)

    def add(self) -> None:
        title = self.new_action.text().strip()
        if title:
            self._created(self.doc.add_action(title))
            self.new_action.clear()

    def _created(self, uuid: str) -> None:
        self.selected_uuid = uuid
        self.select(uuid)
        self._show_selected()

    def create_from_criterion(self, criterion_id: str) -> str:
        crit = self.doc.ref.criterion(criterion_id)
        title = self.tr("Progresser sur %1 : %2").replace("%1", criterion_id).replace("%2", crit.statement)
        uuid = self.doc.add_action(title, priority=1, criteria=[criterion_id])
        self._created(uuid)
        return uuid

    def create_from_option(self, option_uuid: str) -> str:
        opt = self.doc.option(option_uuid)
        criteria = sorted({c for u in opt.swot if self.doc.swot_item(u) for c in self.doc.swot_item(u).criteria})
        uuid = self.doc.add_action(opt.text, criteria=criteria, options=[option_uuid])
        self._created(uuid)
        return uuid

    def _fill_criterion_menu(self) -> None:
        menu = self.from_criterion.menu()
        menu.clear()
        covered = {c for a in self.doc.snap.actions for c in a.criteria}
        ids = [c.id for c in self.doc.ref.criteria() if self.doc.answer(c.id).priority]
        for cid in ids:
            act = menu.addAction(f"{cid} — {self.doc.ref.criterion(cid).statement[:80]}"
                                 + (self.tr(" (déjà dans le plan)") if cid in covered else ""))
            act.triggered.connect(lambda _=False, cid=cid: self.create_from_criterion(cid))
        if not ids:
            menu.addAction(self.tr("Aucun critère prioritaire : cochez-en dans le parcours.")).setEnabled(False)

    def _fill_option_menu(self) -> None:
        menu = self.from_option.menu()
        menu.clear()
        for opt in sorted(self.doc.snap.options, key=lambda o: o.position):
            act = menu.addAction(opt.text[:90])
            act.triggered.connect(lambda _=False, u=opt.uuid: self.create_from_option(u))
        if not self.doc.snap.options:
            menu.addAction(self.tr("Aucune option stratégique pour l’instant.")).setEnabled(False)

    def link_criteria(self) -> None:
        act = self.doc.action(self.selected_uuid)
        dialog = criteria_dialog(self.doc.ref, act.criteria, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._update(criteria=dialog.chosen())

    def link_options(self) -> None:
        act = self.doc.action(self.selected_uuid)
        entries = [(o.uuid, o.text) for o in sorted(self.doc.snap.options, key=lambda o: o.position)]
        dialog = CheckListDialog(self.tr("Options liées"), self.tr("Cochez les options stratégiques que "
                                                                   "cette action met en œuvre."),
                                 entries, act.options, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._update(options=dialog.chosen())

    def delete_selected(self) -> None:
        if self.selected_uuid:
            self.doc.delete_action(self.selected_uuid)

    def flush(self) -> None:
        self.title_saver.flush()
        self.owner_saver.flush()

