"""Workshop session view: participants and their colleges, every rating criterion by
criterion, where views diverge, and the answer the group agrees on.

Keys in the table: 0–4 rate, N sans objet, ? ne sait pas, Suppr. efface; the cursor then
moves to the next participant, so a round of votes is typed without the mouse. Rows
stay where they are while typing; « Classer par divergence » re-sorts them.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QScrollArea, QSizePolicy, QSplitter, QTableView, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from ptce_toolkit import fmt
from ptce_toolkit import services as sv
from ptce_toolkit.services import workshop as ws
from ui.models.workshop_model import DivergenceModel
from ui.translation import plural, tr
from ui.widgets import key_char, plain_edit, wrapped_label
from ui.workshop_session import WorkshopSession

CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def college_combo(parent=None, current: str = "") -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(tr("Collège non précisé"), "")
    for cid, label in ws.COLLEGES.items():
        combo.addItem(label, cid)
    i = combo.findData(current)
    combo.setCurrentIndex(i if i >= 0 else 0)
    return combo


def answer_combo(ref, parent=None) -> QComboBox:
    """The agreed answer: the five levels and the two special answers."""
    combo = QComboBox(parent)
    combo.addItem(tr("— à choisir —"), "")
    for lv in ref.levels:
        combo.addItem(f"{lv.value} · {lv.label}", answer_key(("answered", lv.value)))
    combo.addItem(ref.not_applicable.label, "not_applicable")
    combo.addItem(ref.unknown.label, "unknown")
    return combo


def answer_key(answer: tuple[str, int | None]) -> str:
    """« answered:2 », « not_applicable »…: combo data (Qt keeps strings as they are)."""
    status, level = answer
    return f"{status}:{level}" if status == "answered" else status


def parse_answer_key(key: str) -> tuple[str, int | None]:
    status, _, level = key.partition(":")
    return status, int(level) if level else None


def key_answer(event) -> tuple[str, int | None] | None:
    """(status, level) a key press means, or None."""
    # the character produced decides, not the physical key (AZERTY: ’ is AltGr+Shift+N)
    char = key_char(event)
    if char is not None and char in "01234":
        return "answered", int(char)
    if char in ("N", "?"):
        return ("unknown", None) if char == "?" else ("not_applicable", None)
    if event.key() in CLEAR_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return "unanswered", None
    return None


class RatingTable(QTableView):
    """The matrix; rating keys go to the page, everything else is ordinary navigation."""

    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page

    def keyPressEvent(self, event):
        answer = key_answer(event)
        if answer is not None:
            if self.page.answer_key(self.currentIndex(), *answer):
                return
        super().keyPressEvent(event)


class WorkshopPage(QWidget):
    def __init__(self, db, assessment_uuid: str, ref, push, save, parent=None, *, session=None):
        super().__init__(parent)
        self.session = session or WorkshopSession(db, assessment_uuid, ref, push, save, self)
        self.ref = ref
        self._shown: str | None = None  # criterion whose agreed answer fills the form

        # participants ---------------------------------------------------------
        self.participants = QTableWidget(0, 2, self)
        self.participants.setAccessibleName(tr("Participants de la séance"))
        self.participants.setHorizontalHeaderLabels([tr("Participant"), tr("Collège")])
        self.participants.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.participants.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.participants.verticalHeader().setVisible(False)
        self.participants.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.participants.itemChanged.connect(self._name_edited)
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText(tr("Nom du participant"))
        self.new_name.setAccessibleName(tr("Nom du nouveau participant"))
        self.new_college = college_combo(self)
        self.new_college.setAccessibleName(tr("Collège du nouveau participant"))
        self.add_button = QPushButton(tr("Ajouter"), self)
        self.remove_button = QPushButton(tr("Retirer le participant sélectionné"), self)
        self.add_button.clicked.connect(self.add_participant)
        self.new_name.returnPressed.connect(self.add_participant)
        self.remove_button.clicked.connect(self.remove_selected)
        self.write_button = QPushButton(tr("Questionnaires individuels…"), self)
        self.write_button.setToolTip(tr("Un classeur à remplir par participant, dans le dossier de votre choix"))
        self.import_button = QPushButton(tr("Importer des questionnaires…"), self)
        self.import_button.setToolTip(tr("Les classeurs remplis par les participants ; rien n’est remplacé "
                                         "sans votre accord"))
        self.write_button.clicked.connect(self.choose_folder_and_write)
        self.import_button.clicked.connect(self.choose_files_and_import)
        self.message = wrapped_label("", self)
        self.message.setStyleSheet("color: #b00020;")
        self.domains = QTableWidget(0, 3, self)
        self.domains.setAccessibleName(tr("Divergence par domaine"))
        self.domains.setHorizontalHeaderLabels([tr("Domaine"), tr("Étendue moyenne"), tr("À discuter")])
        self.domains.verticalHeader().setVisible(False)
        self.domains.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.domains.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.domains.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.domains.setToolTip(tr("Moyenne des étendues des critères notés par au moins deux participants, "
                                   "et nombre de critères dont l’étendue atteint 2 niveaux"))

        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel(tr("<b>Participants</b>"), left))
        ll.addWidget(self.participants, 2)
        ll.addWidget(self.new_name)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_college, 1)
        add_row.addWidget(self.add_button)
        ll.addLayout(add_row)
        ll.addWidget(self.remove_button)
        files = QHBoxLayout()
        files.addWidget(self.write_button)
        files.addWidget(self.import_button)
        ll.addLayout(files)
        ll.addWidget(self.message)
        ll.addWidget(QLabel(tr("<b>Par domaine</b>"), left))
        ll.addWidget(self.domains, 3)

        # matrix ---------------------------------------------------------------
        self.model = DivergenceModel(self.session, self)
        self.table = RatingTable(self, self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Notes des participants par critère"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(52)
        # sized when the columns or the rows change, not on every rating: ResizeToContents read
        # every row of every column again on each key press (≈ 13 ms of the ≈ 16 ms a rating took);
        # a rating never needs more room than its column's title or the minimum width
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for changed in (self.model.modelReset, self.model.headerDataChanged, self.model.columnsInserted,
                        self.model.columnsRemoved):
            changed.connect(self._size_columns)
        self._size_columns()
        self.sort_button = QPushButton(tr("Classer par divergence"), self)
        self.sort_button.setToolTip(tr("Les critères où les notes s’écartent le plus en premier "
                                       "(étendue, puis écart type)"))
        self.referential_button = QPushButton(tr("Ordre du référentiel"), self)
        self.sort_button.clicked.connect(self.sort_by_divergence)
        self.referential_button.clicked.connect(
            lambda: self._keep_current(lambda: self.model.set_order([c.id for c in ref.criteria()])))
        self.help = wrapped_label(tr("Touches\u00a0: 0 à 4 pour noter, N sans objet, ? ne sait pas, Suppr. pour "
                                     "effacer\u00a0; le curseur passe ensuite au participant suivant."), self)
        self.help.setStyleSheet("color: #455a64;")

        # current criterion ------------------------------------------------------
        box = QGroupBox(tr("Critère sélectionné"), self)
        self.criterion_label = wrapped_label("", box, bold=True)
        self.stats_label = wrapped_label("", box)
        self.stats_label.setAccessibleName(tr("Mesures de divergence"))
        self.colleges_label = wrapped_label("", box)
        self.colleges_label.setAccessibleName(tr("Positions par collège"))
        self.agreed_combo = answer_combo(ref, box)
        self.agreed_combo.setAccessibleName(tr("Réponse retenue par le groupe"))
        self.reason_edit = plain_edit(tr("Raison de la réponse retenue"),
                                      tr("Pourquoi le groupe retient cette réponse…"), box, 3)
        self.agree_button = QPushButton(tr("Retenir cette réponse"), box)
        self.agree_button.clicked.connect(self.record_agreed)
        form = QFormLayout(box)
        form.addRow(self.criterion_label)
        form.addRow(tr("Mesures\u00a0:"), self.stats_label)
        form.addRow(tr("Par collège\u00a0:"), self.colleges_label)
        form.addRow(tr("Réponse retenue\u00a0:"), self.agreed_combo)
        form.addRow(tr("Raison\u00a0:"), self.reason_edit)
        form.addRow(self.agree_button)

        matrix = QWidget(self)
        ml = QVBoxLayout(matrix)
        ml.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sort_button)
        buttons.addWidget(self.referential_button)
        buttons.addStretch(1)
        ml.addLayout(buttons)
        ml.addWidget(self.table, 1)
        ml.addWidget(self.help)
        # the matrix is what the group looks at: on a small screen (1024×600) the criterion's
        # panel scrolls rather than leaving the matrix three rows; the divider can be moved
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # rows kept together
        details = QScrollArea(self)
        details.setWidget(box)
        details.setWidgetResizable(True)
        details.setFrameShape(QFrame.Shape.NoFrame)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(matrix)
        right.addWidget(details)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([600, 400])

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([290, 990])
        QVBoxLayout(self).addWidget(split)

        self.session.participantsChanged.connect(self._participants_changed)
        self.session.ratingChanged.connect(lambda _p, c: self._refresh(c))
        self.session.agreedChanged.connect(self._agreed_changed)
        self.table.selectionModel().currentChanged.connect(lambda *_: self.show_current())
        self._fill_participants()
        self._fill_domains()
        self.sort_by_divergence()

    # ------------------------------------------------------------------ helpers

    def current_criterion(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.order[idx.row()] if idx.isValid() else None

    def select(self, criterion_id: str, column: int = 1) -> None:
        idx = self.model.index(self.model.row_of(criterion_id), min(column, self.model.columnCount() - 1))
        self.table.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(idx)

    def _keep_current(self, change) -> None:
        crit, col = self.current_criterion(), self.table.currentIndex().column()
        change()
        self.select(crit or self.model.order[0], max(col, 1))

    def _size_columns(self, *_) -> None:
        for column in range(1, self.model.columnCount()):
            self.table.resizeColumnToContents(column)

    def sort_by_divergence(self) -> None:
        self._keep_current(self.model.sort_by_divergence)

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)

    # ------------------------------------------------------------------ participants

    def _fill_participants(self) -> None:
        table = self.participants
        table.blockSignals(True)
        table.setRowCount(len(self.session.participants))
        for row, p in enumerate(self.session.participants):
            item = QTableWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.uuid)
            table.setItem(row, 0, item)
            combo = college_combo(table, p.college)
            combo.setAccessibleName(tr("Collège de %1").replace("%1", p.name))
            combo.currentIndexChanged.connect(
                lambda _i, u=p.uuid, c=combo: self.session.set_college(u, c.currentData()))
            table.setCellWidget(row, 1, combo)
        table.blockSignals(False)

    def _participants_changed(self) -> None:
        crit = self.current_criterion()
        self._fill_participants()
        self._fill_domains()
        if crit:
            self.select(crit, self.table.currentIndex().column())
        self.show_current()

    def add_participant(self) -> None:
        try:
            self.session.add_participant(self.new_name.text(), self.new_college.currentData())
        except sv.ServiceError as exc:
            self._say(str(exc))
            return
        self._say("")
        self.new_name.clear()
        self.new_college.setCurrentIndex(0)

    def _name_edited(self, item: QTableWidgetItem) -> None:
        uuid = item.data(Qt.ItemDataRole.UserRole)
        try:
            self.session.rename_participant(uuid, item.text())
            self._say("")
        except sv.ServiceError as exc:
            self._say(str(exc))
            self.participants.blockSignals(True)
            item.setText(self.session.participant(uuid).name)
            self.participants.blockSignals(False)

    def remove_selected(self) -> None:
        row = self.participants.currentRow()
        if 0 <= row < len(self.session.participants):
            self.session.remove_participant(self.session.participants[row].uuid)

    def choose_folder_and_write(self) -> None:
        from ui.pages.workshop_import import write_questionnaires

        if not self.session.participants:
            self._say(tr("Ajoutez d’abord les participants."))
            return
        folder = QFileDialog.getExistingDirectory(self, tr("Dossier des questionnaires individuels"))
        if folder:
            written = write_questionnaires(self.session, folder)
            self.status(plural(len(written), tr("%n questionnaire écrit dans %2"), tr("%n questionnaires écrits dans %2"))
                        .replace("%2", folder))

    def choose_files_and_import(self) -> None:
        from ui.pages.workshop_import import import_questionnaires

        paths, _ = QFileDialog.getOpenFileNames(self, tr("Questionnaires remplis"), "",
                                                tr("Classeurs Excel (*.xlsx)"))
        if paths:
            self.status(import_questionnaires(self, self.session, paths))

    def status(self, text: str) -> None:
        """A neutral message (not an error)."""
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)

    # ------------------------------------------------------------------ ratings

    def answer_key(self, index, status: str, level: int | None) -> bool:
        """A rating key in the table; True when it was used."""
        if not index.isValid():
            return False
        crit = self.model.order[index.row()]
        person = self.model.participant_at(index.column())
        if person is not None:
            self.session.rate(person.uuid, crit, level=level, status=status)
            self._advance(index)
            return True
        if index.column() == self.model.agreed_column():
            self.session.agree(crit, level=level, status=status)
            return True
        return False

    def _advance(self, index) -> None:
        """Next participant on the row, then the first participant of the next row."""
        row, col = index.row(), index.column() + 1
        if self.model.participant_at(col) is None:
            row, col = min(row + 1, self.model.rowCount() - 1), 1
        self.select(self.model.order[row], col)

    def record_agreed(self) -> None:
        crit = self.current_criterion()
        choice = self.agreed_combo.currentData()
        if crit is None or not choice:
            self._say(tr("Choisissez d’abord la réponse que le groupe retient."))
            return
        status, level = parse_answer_key(choice)
        self._say("")
        self.session.agree(crit, level=level, status=status, reason=self.reason_edit.toPlainText())

    # ------------------------------------------------------------------ display

    def _refresh(self, criterion_id: str) -> None:
        self._fill_domains()
        if criterion_id == self.current_criterion():
            self.show_current()

    def _agreed_changed(self, criterion_id: str) -> None:
        self._fill_domains()
        if criterion_id == self.current_criterion():
            self.show_current(reload_answer=True)

    def _fill_domains(self) -> None:
        div = self.session.divergence()
        self.domains.setRowCount(len(self.ref.domains))
        for row, d in enumerate(self.ref.domains):
            dd = div.domains[d.id]
            cells = [d.short_title, fmt.score(dd.mean_range), str(dd.spread_count) if dd.compared else "—"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.domains.setItem(row, col, item)

    def show_current(self, reload_answer: bool = False) -> None:
        crit = self.current_criterion()
        if crit is None:
            return
        cd = self.model.div.criteria[crit]
        c = self.ref.criterion(crit)
        self.criterion_label.setText(f"{crit} — {c.statement}")
        if cd.n == 0:
            stats = tr("aucune note pour l’instant")
        else:
            stats = (plural(cd.n, tr("%n note\u00a0; moyenne %2, médiane %3, étendue %4, écart type %5"),
                            tr("%n notes\u00a0; moyenne %2, médiane %3, étendue %4, écart type %5"))
                     .replace("%2", fmt.score(cd.mean)).replace("%3", fmt.score(cd.median))
                     .replace("%4", str(cd.range)).replace("%5", fmt.number(cd.stdev, 2)))
            if cd.spread:
                stats += tr(" — à discuter")
        specials = [(label, cd.count(s)) for s, label in (("not_applicable", self.ref.not_applicable.label),
                                                          ("unknown", self.ref.unknown.label)) if cd.count(s)]
        if specials:
            stats += " (" + ", ".join(f"{label}\u00a0: {n}" for label, n in specials) + ")"
        self.stats_label.setText(stats)
        self.colleges_label.setText("\u00a0; ".join(
            f"{ws.college_label(college)}\u00a0: {', '.join(map(str, levels))}"
            for college, levels in cd.by_college.items()) or "—")
        if crit == self._shown and not reload_answer:
            return  # keep what is being typed in the reason field
        self._shown = crit
        agreed = cd.agreed
        i = self.agreed_combo.findData(answer_key((agreed.status, agreed.level)))
        self.agreed_combo.setCurrentIndex(i if i >= 0 else 0)
        if self.reason_edit.toPlainText() != agreed.comment:
            self.reason_edit.setPlainText(agreed.comment)

