"""Projector mode: one criterion at a time in large type, ratings hidden until revealed.

Hiding the ratings until « Révéler » keeps the room from anchoring on the first voice.
Once revealed, the screen shows who stands where (participants under the level they
gave, with their college), the spread, and lets the facilitator record the agreed
answer and its reason. Keys: Page suivante / → next, Page précédente / ← previous,
R reveal or hide, 0–4 / N / ? choose the agreed answer, Ctrl+Entrée record it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
    QVBoxLayout, QWidget,
)

from ptce_toolkit import fmt
from ptce_toolkit.services import workshop as ws
from ui.translation import plural, tr
from ui.widgets import RATING_TEXTS, SingleKeyCommands, wrapped_label
from ui.workshop_session import WorkshopSession

BASE_POINTS = 18
NOT_APPLICABLE, UNKNOWN = 5, 6  # agreed-answer button ids after the five levels


def _sized(widget, points: float, bold: bool = False):
    f = widget.font()
    f.setPointSizeF(points)
    f.setBold(bold)
    widget.setFont(f)
    return widget


class ProjectorView(QWidget):
    def __init__(self, db, assessment_uuid: str, ref, push, save, parent=None, *, session=None,
                 order: list[str] | None = None, points: float = BASE_POINTS):
        super().__init__(parent)
        self.base = points  # type size: smaller on a 1024×768 projector
        self.session = session or WorkshopSession(db, assessment_uuid, ref, push, save, self)
        self.ref = ref
        self.order = order or [c.criterion_id for c in self.session.divergence().ordered()]
        self.position = 0
        self.revealed = False
        _sized(self, self.base)
        self.setStyleSheet("ProjectorView { background: white; } QLabel { color: #1f2a30; }"
                           "QPushButton:checked { background-color: #1565c0; color: white; font-weight: bold; }")

        self.where = _sized(QLabel(self), self.base - 2)
        self.where.setStyleSheet("color: #455a64;")
        self.statement = _sized(wrapped_label("", self), self.base + 10, bold=True)
        self.statement.setAccessibleName(tr("Énoncé du critère"))
        self.progress = _sized(QLabel(self), self.base)
        self.progress.setAccessibleName(tr("Notes reçues"))

        # the ratings, hidden until revealed
        self.board = QFrame(self)
        self.board.setFrameShape(QFrame.Shape.StyledPanel)
        self.board_grid = QGridLayout(self.board)
        self.board_grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.stats = _sized(wrapped_label("", self), self.base, bold=True)
        self.stats.setAccessibleName(tr("Mesures de divergence"))

        self.reveal_button = _sized(QPushButton(tr("Révéler les notes (R)"), self), self.base, bold=True)
        self.reveal_button.clicked.connect(self.toggle_reveal)
        self.names_box = QCheckBox(tr("Afficher les noms"), self)
        self.names_box.setChecked(True)
        self.names_box.toggled.connect(lambda _on: self.show_criterion())
        self.prev_button = QPushButton(tr("◀ Précédent"), self)
        self.next_button = QPushButton(tr("Suivant ▶"), self)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))

        # the agreed answer, shown with the ratings
        self.agreed_panel = QWidget(self)
        al = QVBoxLayout(self.agreed_panel)
        al.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.agreed_group = QButtonGroup(self)
        self.agreed_group.setExclusive(True)
        for lv in ref.levels:
            b = _sized(QPushButton(str(lv.value), self.agreed_panel), self.base + 4, bold=True)
            b.setToolTip(lv.label)
            b.setAccessibleName(tr("Retenir le niveau %1\u00a0: %2").replace("%1", str(lv.value))
                                .replace("%2", lv.label))
            b.setCheckable(True)
            self.agreed_group.addButton(b, lv.value)
            buttons.addWidget(b)
        for bid, special in ((NOT_APPLICABLE, ref.not_applicable), (UNKNOWN, ref.unknown)):
            b = _sized(QPushButton(special.label, self.agreed_panel), self.base)
            b.setCheckable(True)
            b.setAccessibleName(tr("Retenir «\u00a0%1\u00a0»").replace("%1", special.label))
            self.agreed_group.addButton(b, bid)
            buttons.addWidget(b)
        self.reason = _sized(QLineEdit(self.agreed_panel), self.base)
        self.reason.setPlaceholderText(tr("La raison retenue par le groupe…"))
        self.reason.setAccessibleName(tr("Raison de la réponse retenue"))
        self.record_button = _sized(QPushButton(tr("Enregistrer la réponse retenue"), self.agreed_panel),
                                    self.base, bold=True)
        self.record_button.clicked.connect(self.record_agreed)
        self.agreed_label = _sized(wrapped_label("", self.agreed_panel), self.base)
        self.agreed_label.setAccessibleName(tr("Réponse retenue"))
        title = _sized(QLabel(tr("Réponse retenue par le groupe"), self.agreed_panel), self.base, bold=True)
        al.addWidget(title)
        al.addLayout(buttons)
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.record_button)
        al.addLayout(row)
        al.addWidget(self.agreed_label)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 24, 32, 24)
        lay.addWidget(self.where)
        lay.addWidget(self.statement)
        lay.addWidget(self.progress)
        # the ratings scroll inside their frame: revealing them never grows the window
        self.board_scroll = QScrollArea(self)
        self.board_scroll.setWidgetResizable(True)
        self.board_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.board_scroll.setWidget(self.board)
        lay.addWidget(self.board_scroll, 1)
        lay.addWidget(self.stats)
        lay.addWidget(self.agreed_panel)
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.reveal_button, 1)
        nav.addWidget(self.names_box)
        nav.addWidget(self.next_button)
        lay.addLayout(nav)

        self._shortcuts()
        self.session.ratingChanged.connect(lambda _p, c: self._changed(c))
        self.session.agreedChanged.connect(self._changed)
        self.session.participantsChanged.connect(self.show_criterion)
        self.show_criterion()

    def _shortcuts(self) -> None:
        def add(keys, slot):
            for k in keys:
                sc = QShortcut(QKeySequence(k), self)
                sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                sc.activated.connect(slot)

        add([QKeySequence.StandardKey.MoveToNextPage, "Right"], lambda: self.step(1))
        add([QKeySequence.StandardKey.MoveToPreviousPage, "Left"], lambda: self.step(-1))
        add(["Ctrl+Return", "Ctrl+Enter"], self.record_agreed)
        # R and the rating keys follow the character typed, never while typing the reason
        self.single_keys = SingleKeyCommands(self, self._single_key, {**RATING_TEXTS, "r": "R", "R": "R"})

    def _single_key(self, char: str) -> bool:
        if char == "R":
            self.toggle_reveal()
        else:
            self.choose({"N": NOT_APPLICABLE, "?": UNKNOWN}.get(char) if char in "N?" else int(char))
        return True

    # ------------------------------------------------------------------ navigation

    @property
    def criterion(self) -> str:
        return self.order[self.position]

    def go_to(self, criterion_id: str) -> None:
        self.position = self.order.index(criterion_id)
        self.revealed = False
        self.reason.clear()
        self.show_criterion()

    def step(self, delta: int) -> None:
        i = self.position + delta
        if 0 <= i < len(self.order):
            self.go_to(self.order[i])

    def toggle_reveal(self) -> None:
        self.revealed = not self.revealed
        self.show_criterion()

    def _changed(self, criterion_id: str) -> None:
        if criterion_id == self.criterion:
            self.show_criterion()

    # ------------------------------------------------------------------ agreed answer

    def choose(self, bid: int) -> None:
        if self.revealed:
            self.agreed_group.button(bid).setChecked(True)

    def record_agreed(self) -> None:
        bid = self.agreed_group.checkedId()
        if not self.revealed or bid < 0:
            return
        if bid <= 4:
            self.session.agree(self.criterion, level=bid, reason=self.reason.text())
        else:
            self.session.agree(self.criterion, status="not_applicable" if bid == NOT_APPLICABLE else "unknown",
                               reason=self.reason.text())

    # ------------------------------------------------------------------ display

    def _clear_board(self) -> None:
        while self.board_grid.count():
            w = self.board_grid.takeAt(0).widget()
            if w is not None:
                w.hide()  # deleteLater waits for the event loop; the next board is drawn now
                w.setParent(None)
                w.deleteLater()

    def _who(self, p) -> str:
        college = ws.college_label(p.college)
        return f"{p.name}\n{college}" if self.names_box.isChecked() else college

    def show_criterion(self) -> None:
        crit = self.ref.criterion(self.criterion)
        domain = self.ref.domain(crit.domain_id)
        self.where.setText(tr("Critère %1 sur %2 · %3 — %4").replace("%1", str(self.position + 1))
                           .replace("%2", str(len(self.order))).replace("%3", domain.title).replace("%4", crit.id))
        self.statement.setText(crit.statement)
        people = self.session.participants
        cd = self.session.divergence().criteria[crit.id]
        given = len(cd.answers)
        self.progress.setText(plural(given, tr("%n note sur %2"), tr("%n notes sur %2")).replace("%2", str(len(people))))
        self._clear_board()
        self.reveal_button.setText(tr("Masquer les notes (R)") if self.revealed else tr("Révéler les notes (R)"))
        self.prev_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < len(self.order) - 1)
        self.agreed_panel.setVisible(self.revealed)
        self.stats.setVisible(self.revealed)
        if not self.revealed:
            self._hidden_board(people, cd)
            return
        self._revealed_board(people, cd)
        if cd.n:
            self.stats.setText(tr("Étendue %1 · écart type %2 · moyenne %3")
                               .replace("%1", str(cd.range)).replace("%2", fmt.number(cd.stdev, 2))
                               .replace("%3", fmt.score(cd.mean)) + (tr(" — à discuter") if cd.spread else ""))
        else:
            self.stats.setText(tr("Aucune note de 0 à 4"))
        agreed = cd.agreed
        key = {"answered": agreed.level, "not_applicable": NOT_APPLICABLE, "unknown": UNKNOWN}.get(agreed.status)
        if key is not None:
            self.agreed_group.button(key).setChecked(True)
        elif self.agreed_group.checkedButton() is not None:
            self.agreed_group.setExclusive(False)
            self.agreed_group.checkedButton().setChecked(False)
            self.agreed_group.setExclusive(True)
        self.agreed_label.setText(
            tr("Retenu\u00a0: %1").replace("%1", self.session.answer_label(agreed))
            + (f" — {agreed.comment}" if agreed.comment and agreed.status != "unanswered" else "")
            if agreed.status != "unanswered" else tr("Pas encore de réponse retenue"))

    def _columns(self, count: int) -> None:
        for col in range(max(count, self.board_grid.columnCount())):
            self.board_grid.setColumnStretch(col, 1 if col < count else 0)

    def _hidden_board(self, people, cd) -> None:
        """Who has rated, never what."""
        self._columns(3)
        for i, p in enumerate(people):
            mark = "✔" if p.uuid in cd.answers else "…"
            label = _sized(QLabel(f"{mark}  {self._who(p).splitlines()[0]}", self.board), self.base)
            label.setStyleSheet("color: #1b5e20;" if p.uuid in cd.answers else "color: #9e9e9e;")
            self.board_grid.addWidget(label, i // 3, i % 3)

    def _revealed_board(self, people, cd) -> None:
        """One column per answer, the participants under the answer they gave."""
        columns = [(str(lv.value), lv.label, ("answered", lv.value)) for lv in self.ref.levels]
        columns += [(tr("SO"), self.ref.not_applicable.label, ("not_applicable", None)),
                    (tr("NSP"), self.ref.unknown.label, ("unknown", None))]
        self._columns(len(columns))
        for col, (head, label, key) in enumerate(columns):
            title = _sized(QLabel(head, self.board), self.base + 14, bold=True)
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            title.setToolTip(label)
            self.board_grid.addWidget(title, 0, col)
            row = 1
            for p in people:
                a = cd.answers.get(p.uuid)
                if a is not None and (a.status, a.level) == key:
                    who = _sized(QLabel(self._who(p), self.board), self.base - 4)
                    who.setAlignment(Qt.AlignmentFlag.AlignCenter)
                    who.setStyleSheet("background: #e3f0f1; border-radius: 6px; padding: 4px;")
                    self.board_grid.addWidget(who, row, col)
                    row += 1


class ProjectionWindow(QWidget):
    """The projection in its own top-level window, for the screen the room looks at:
    full screen by default, F11 toggles full screen, Échap leaves it (a second Échap closes)."""

    def __init__(self, db, assessment_uuid: str, ref, push, save, session, parent=None, *, title: str = ""):
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("Projection — %1").replace("%1", title) if title else tr("Projection"))
        screen = self.screen().availableGeometry() if self.screen() else None
        points = BASE_POINTS if screen is None or screen.height() >= 900 else 15
        self.view = ProjectorView(db, assessment_uuid, ref, push, save, self, session=session, points=points)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view)
        for key, slot in (("F11", self.toggle_full_screen), ("Escape", self.leave)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)

    def present(self, full_screen: bool = True) -> None:
        if full_screen:
            self.showFullScreen()
        else:
            if not self.isVisible():
                self.resize(1024, 768)
            self.showNormal()
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.platformName() != "offscreen":  # which cannot raise and says so
            self.raise_()
        self.activateWindow()

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def leave(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.close()
