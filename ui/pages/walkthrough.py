"""Walk-through: the referential criterion by criterion, mostly from the keyboard.

Keys (when not typing in a text field): 0–4 rate, N sans objet, ? ne sait pas,
Page suivante / Page précédente (or Alt+→ / Alt+←) next / previous criterion,
Ctrl+J next unanswered criterion, Ctrl+P toggle priority, Échap back to the levels
from a text field.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
    QSplitter, QTreeView, QVBoxLayout, QWidget,
)

from ui.models.criteria_tree import CRITERION_ROLE, CriteriaTreeModel
from ui.translation import plural
from ui.widgets import SingleKeyCommands, TextCommitter, plain_edit, wrapped_label

NOT_APPLICABLE, UNKNOWN = 5, 6  # button ids after the five levels


class CriterionCard(QWidget):
    """Statement, guidance, the five levels and the special answers, comment, evidence, priority."""

    def __init__(self, ref, parent=None):
        super().__init__(parent)
        self.ref = ref
        lay = QVBoxLayout(self)
        self.domain_label = wrapped_label("", self)
        self.domain_label.setStyleSheet("color: #455a64;")
        self.statement = wrapped_label("", self, point_delta=3, bold=True)
        self.statement.setAccessibleName(self.tr("Énoncé du critère"))
        self.guidance = wrapped_label("", self)
        self.guidance.setAccessibleName(self.tr("Conseils pour répondre"))
        lay.addWidget(self.domain_label)
        # an answer carried from another referential version, not yet confirmed
        self.carried = QWidget(self)
        cl = QHBoxLayout(self.carried)
        cl.setContentsMargins(0, 0, 0, 0)
        self.carried_label = wrapped_label("", self.carried)
        self.carried_label.setStyleSheet("color: #b45309; font-weight: bold;")
        self.confirm_button = QPushButton(self.tr("Confirmer la reprise (Ctrl+Entrée)"), self.carried)
        self.confirm_button.setAccessibleName(self.tr("Confirmer la réponse reprise"))
        cl.addWidget(self.carried_label, 1)
        cl.addWidget(self.confirm_button)
        self.carried.setVisible(False)
        lay.addWidget(self.carried)
        lay.addWidget(self.statement)
        lay.addWidget(self.guidance)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # we set the checked state ourselves from the answer
        self.hints: list[QLabel] = []
        for lv in ref.levels:
            b = QPushButton(f"{lv.value} · {lv.label}", self)
            b.setCheckable(True)
            b.setAccessibleName(self.tr("Niveau %1 : %2").replace("%1", str(lv.value)).replace("%2", lv.label))
            b.setToolTip(lv.description)
            self.group.addButton(b, lv.value)
            hint = wrapped_label("", self)
            self.hints.append(hint)
            grid.addWidget(b, lv.value, 0)
            grid.addWidget(hint, lv.value, 1)
        for bid, special, key in ((NOT_APPLICABLE, ref.not_applicable, "N"), (UNKNOWN, ref.unknown, "?")):
            b = QPushButton(f"{key} · {special.label}", self)
            b.setCheckable(True)
            b.setAccessibleName(special.label)
            b.setToolTip(special.description)
            self.group.addButton(b, bid)
            desc = wrapped_label(special.description, self)
            desc.setStyleSheet("color: #455a64;")
            grid.addWidget(b, bid, 0)
            grid.addWidget(desc, bid, 1)
        lay.addLayout(grid)
        # the checked button is drawn in bold with padding: size every answer button for that,
        # or the chosen one loses its digit (« · En structuratio »)
        bold = QFont(self.font())
        bold.setBold(True)
        widest = max(QFontMetrics(bold).horizontalAdvance(b.text()) for b in self.group.buttons())
        for b in self.group.buttons():
            b.setMinimumWidth(widest + 2 * 8 + 2 + 12)
        # the chosen answer must be obvious on a projector
        self.setStyleSheet("QPushButton:checked { background-color: #1565c0; color: white; font-weight: bold;"
                           " border: 1px solid #0d47a1; border-radius: 3px; padding: 4px 8px; }")

        lay.addWidget(QLabel(self.tr("Commentaire"), self))
        self.comment = plain_edit(self.tr("Commentaire"), self.tr("Ce qui justifie le niveau choisi…"), self)
        lay.addWidget(self.comment)
        self.evidence_label = wrapped_label(self.tr("Preuves"), self)
        lay.addWidget(self.evidence_label)
        self.evidence = plain_edit(self.tr("Preuves"), self.tr("Documents, comptes rendus, chiffres…"), self, 3)
        lay.addWidget(self.evidence)
        self.priority = QCheckBox(self.tr("Critère prioritaire pour le plan d’action (Ctrl+P)"), self)
        self.priority.setAccessibleName(self.tr("Critère prioritaire"))
        lay.addWidget(self.priority)
        lay.addStretch(1)

    def show_criterion(self, crit, domain, answer) -> None:
        self.domain_label.setText(f"{domain.title} — {crit.id}")
        self.statement.setText(crit.statement)
        self.guidance.setText(crit.guidance)
        for lv, hint in zip(self.ref.levels, self.hints):
            hint.setText(crit.level_hints.get(lv.value, lv.description))
        if crit.evidence:
            self.evidence_label.setText(self.tr("Preuves (par exemple : %1)").replace("%1", " ; ".join(crit.evidence[:3])))
        else:
            self.evidence_label.setText(self.tr("Preuves"))
        self.show_answer(answer)

    def show_answer(self, answer) -> None:
        to_confirm = getattr(answer, "to_confirm", False)
        self.carried.setVisible(to_confirm)
        if to_confirm:
            self.carried_label.setText(
                self.tr("À confirmer : réponse proposée d’après %1 (critère découpé ou fusionné depuis la version "
                        "précédente du référentiel). Vérifiez-la, puis confirmez ou changez le niveau.")
                .replace("%1", answer.carried_from))
        checked = {"answered": answer.level, "not_applicable": NOT_APPLICABLE, "unknown": UNKNOWN}.get(answer.status)
        for b in self.group.buttons():
            b.setChecked(self.group.id(b) == checked)
        self.priority.blockSignals(True)
        self.priority.setChecked(answer.priority)
        self.priority.blockSignals(False)


class WalkthroughPage(QWidget):
    currentChanged = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.order = [c.id for c in document.ref.criteria()]
        # reopen where the user stopped (per assessment, kept in the user's settings)
        self.settings = QSettings()
        self._resume_key = f"parcours/{document.uuid}"
        last = self.settings.value(self._resume_key)
        self.current = last if last in self.order else self.order[0]

        self.model = CriteriaTreeModel(document, self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setAccessibleName(self.tr("Domaines et critères"))
        self.tree.setUniformRowHeights(True)
        self.tree.expandAll()
        # sized once: ResizeToContents would re-read all 57 rows on every answer (≈15 ms a key press)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.resizeColumnToContents(0)
        self.tree.header().setStretchLastSection(True)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)

        self.card = CriterionCard(document.ref, self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.card)
        scroll.setAccessibleName(self.tr("Fiche du critère"))

        self.position_label = QLabel(self)
        self.position_label.setAccessibleName(self.tr("Position dans le référentiel"))
        self.prev_button = QPushButton(self.tr("◀ Précédent"), self)
        self.prev_button.setToolTip(self.tr("Critère précédent (Page précédente)"))
        self.next_button = QPushButton(self.tr("Suivant ▶"), self)
        self.next_button.setToolTip(self.tr("Critère suivant (Page suivante)"))
        self.unanswered_button = QPushButton(self.tr("Prochain sans réponse"), self)
        self.unanswered_button.setToolTip(self.tr("Aller au prochain critère sans réponse (Ctrl+J)"))
        nav = QHBoxLayout()
        nav.addWidget(self.position_label, 1)
        for b in (self.prev_button, self.next_button, self.unanswered_button):
            nav.addWidget(b)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.unanswered_button.clicked.connect(self.next_unanswered)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(scroll, 1)
        rl.addLayout(nav)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 900])
        self.splitter = split
        QVBoxLayout(self).addWidget(split)

        self.card.group.idClicked.connect(self._button_clicked)
        self.card.priority.toggled.connect(lambda on: self.doc.set_answer(self.current, priority=on))
        self.card.confirm_button.clicked.connect(self.confirm_carried)
        self.comment_saver = TextCommitter(self.card.comment, lambda t: self._commit_text("comment", t), self)
        self.evidence_saver = TextCommitter(self.card.evidence, lambda t: self._commit_text("evidence", t), self)
        document.answerChanged.connect(self._answer_changed)
        self._shortcuts()
        self.setTabOrder(self.tree, self.card.group.button(0))
        self.show_criterion(self.current)

    def _shortcuts(self) -> None:
        def add(keys, slot):
            for k in keys:
                sc = QShortcut(QKeySequence(k), self)
                sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                sc.activated.connect(slot)

        # rating keys follow the character typed (AZERTY, AltGr…), never a text field's keys
        self.rating_keys = SingleKeyCommands(self, self._rating_key)
        add([QKeySequence.StandardKey.MoveToNextPage, "Alt+Right"], lambda: self.step(1))
        add([QKeySequence.StandardKey.MoveToPreviousPage, "Alt+Left"], lambda: self.step(-1))
        add(["Ctrl+J"], self.next_unanswered)
        add(["Ctrl+P"], lambda: self.card.priority.toggle())
        add(["Ctrl+Return", "Ctrl+Enter"], self.confirm_carried)
        add(["Escape"], self.focus_levels)

    def _rating_key(self, char: str) -> bool:
        if char == "N":
            self.rate_special("not_applicable")
        elif char == "?":
            self.rate_special("unknown")
        else:
            self.rate(int(char))
        return True

    def focus_levels(self) -> None:
        """Leave a text field (it is saved) and come back to the level buttons."""
        checked = self.card.group.checkedButton() or self.card.group.button(0)
        checked.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ navigation

    def show_criterion(self, criterion_id: str) -> None:
        self.flush()
        self.current = criterion_id
        crit = self.doc.ref.criterion(criterion_id)
        answer = self.doc.answer(criterion_id)
        self.card.show_criterion(crit, self.doc.ref.domain(crit.domain_id), answer)
        self.comment_saver.load(answer.comment)
        self.evidence_saver.load(answer.evidence)
        idx = self.model.criterion_index(criterion_id)
        if self.tree.currentIndex() != idx:
            self.tree.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(idx)
        self._update_position()
        self.settings.setValue(self._resume_key, criterion_id)
        self.currentChanged.emit(criterion_id)

    def _update_position(self) -> None:
        done = sum(1 for c in self.order if self.doc.answer(c).status != "unanswered")
        self.position_label.setText(
            self.tr("Critère %1 sur %2 · %3").replace("%1", str(self.order.index(self.current) + 1))
            .replace("%2", str(len(self.order)))
            .replace("%3", plural(done, self.tr("%n réponse"), self.tr("%n réponses"))))

    def _tree_current(self, index, _previous) -> None:
        cid = index.data(CRITERION_ROLE)
        if cid and cid != self.current:
            self.show_criterion(cid)

    def step(self, delta: int) -> None:
        i = self.order.index(self.current) + delta
        if 0 <= i < len(self.order):
            self.show_criterion(self.order[i])

    def next_unanswered(self) -> None:
        start = self.order.index(self.current)
        for cid in self.order[start + 1:] + self.order[:start]:
            if self.doc.answer(cid).status == "unanswered":
                self.show_criterion(cid)
                return

    # ------------------------------------------------------------------ edits

    def confirm_carried(self) -> None:
        self.doc.confirm_carried(self.current)

    def rate(self, level: int) -> None:
        self.doc.set_answer(self.current, level=level)

    def rate_special(self, status: str) -> None:
        self.doc.set_answer(self.current, status=status)

    def _button_clicked(self, bid: int) -> None:
        if bid <= 4:
            self.rate(bid)
        else:
            self.rate_special("not_applicable" if bid == NOT_APPLICABLE else "unknown")
        self.card.show_answer(self.doc.answer(self.current))  # a second click does not un-check

    def _commit_text(self, field: str, text: str) -> None:
        self.doc.set_answer(self.current, **{field: text})

    def flush(self) -> None:
        """Commit any text still being typed (before switching criterion, page or assessment)."""
        self.comment_saver.flush()
        self.evidence_saver.flush()

    def _answer_changed(self, criterion_id: str) -> None:
        self._update_position()
        if criterion_id != self.current:
            return
        answer = self.doc.answer(criterion_id)
        self.card.show_answer(answer)
        if not self.comment_saver.dirty:
            self.comment_saver.load(answer.comment)
        if not self.evidence_saver.dirty:
            self.evidence_saver.load(answer.evidence)
