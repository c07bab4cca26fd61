"""Criteria × participants: each person's rating, range and deviation, and the agreed answer.

Rows keep the order they were given (``set_order``) so that a row never jumps away while
the facilitator types; the page re-sorts by divergence on request.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ptce_toolkit import fmt
from ptce_toolkit.services import workshop as ws
from ui.translation import tr

CRITERION_ROLE = Qt.ItemDataRole.UserRole + 1
PARTICIPANT_ROLE = Qt.ItemDataRole.UserRole + 2  # participant uuid of a rating column
SPREAD_BRUSH = QBrush(QColor("#fde3cf"))  # range of 2 levels or more: to discuss
AGREED_BRUSH = QBrush(QColor("#e3f0f1"))


class DivergenceModel(QAbstractTableModel):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.order: list[str] = [c.id for c in session.ref.criteria()]
        self.div = session.divergence()
        self._bold = QFont()
        self._bold.setBold(True)
        session.participantsChanged.connect(self.reload)
        session.ratingChanged.connect(lambda _p, c: self._criterion_changed(c))
        session.agreedChanged.connect(self._criterion_changed)

    # ------------------------------------------------------------------ columns

    @property
    def people(self):
        return self.session.participants

    def participant_column(self, index: int) -> int:
        return 1 + index

    def range_column(self) -> int:
        return 1 + len(self.people)

    def stdev_column(self) -> int:
        return 2 + len(self.people)

    def agreed_column(self) -> int:
        return 3 + len(self.people)

    def participant_at(self, column: int):
        i = column - 1
        return self.people[i] if 0 <= i < len(self.people) else None

    # ------------------------------------------------------------------ updates

    def set_order(self, order: list[str]) -> None:
        self.beginResetModel()
        self.order = list(order)
        self.endResetModel()

    def sort_by_divergence(self) -> None:
        self.div = self.session.divergence()
        self.set_order([c.criterion_id for c in self.div.ordered()])

    def reload(self) -> None:
        self.beginResetModel()
        self.div = self.session.divergence()
        self.endResetModel()

    def _criterion_changed(self, criterion_id: str) -> None:
        self.div = self.session.divergence()
        if criterion_id in self.order:
            row = self.order.index(criterion_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def row_of(self, criterion_id: str) -> int:
        return self.order.index(criterion_id)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 4 + len(self.people)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            # the criterion's id stays in sight when the ratings are scrolled sideways
            if not 0 <= section < len(self.order):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.order[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.session.ref.criterion(self.order[section]).statement
            return None
        person = self.participant_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if person is not None:
                return person.name
            return {0: tr("Critère"), self.range_column(): tr("Étendue"), self.stdev_column(): tr("Écart type"),
                    self.agreed_column(): tr("Retenu")}.get(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            if person is not None:
                return f"{person.name} — {ws.college_label(person.college)}"
            if section == self.agreed_column():
                return tr("Réponse retenue par le groupe\u00a0: la seule qui compte dans les scores")
        if role == PARTICIPANT_ROLE and person is not None:
            return person.uuid
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.order):
            return None
        crit = self.order[index.row()]
        cd = self.div.criteria[crit]
        col = index.column()
        person = self.participant_at(col)
        if role == CRITERION_ROLE:
            return crit
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{crit} · {self.session.ref.criterion(crit).statement}"
            if person is not None:
                return self.session.answer_label(self.session.rating(person.uuid, crit), short=True)
            if col == self.range_column():
                return "" if cd.n < 2 else str(cd.range)
            if col == self.stdev_column():
                return "" if cd.n < 2 else fmt.number(cd.stdev, 2)
            if col == self.agreed_column():
                return self.session.answer_label(cd.agreed, short=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return self.session.ref.criterion(crit).statement
            if person is not None:
                return f"{person.name}\u00a0: {self.session.answer_label(self.session.rating(person.uuid, crit))}"
            if col == self.agreed_column():
                label = self.session.answer_label(cd.agreed)
                return f"{label}\n{cd.agreed.comment}" if cd.agreed.comment else label
        if role == Qt.ItemDataRole.TextAlignmentRole and col != 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if cd.spread and col in (self.range_column(), self.stdev_column()):
                return SPREAD_BRUSH
            if col == self.agreed_column():
                return AGREED_BRUSH
        bold = col == self.agreed_column() or (cd.spread and col == self.range_column())
        if role == Qt.ItemDataRole.FontRole and bold:
            return self._bold
        return None
