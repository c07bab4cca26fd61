"""Domain scores of this assessment beside the previous one, with the difference marked."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ptce_toolkit import fmt
from ptce_toolkit.scoring import difference
from ui.translation import tr

DOMAIN, PREVIOUS, CURRENT, DIFF, ANSWERED = range(5)


def difference_text(before: float | None, now: float | None) -> str:
    """The core's difference (unrounded scores, rounded once), so screen = PDF = workbook."""
    delta = difference(now, before)
    if delta is None:
        return "—"
    if delta == 0:
        return "="
    sign = "▲ +" if delta > 0 else "▼ −"
    return sign + fmt.score(abs(delta))


class DomainScoresModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple] = []  # (title, previous score|None, score|None, answered text)
        self.changes: dict = {}  # row -> scoring.DomainChange (like-for-like difference)
        self.previous_title = ""
        self.current_title = ""

    def set_scores(self, ref, scores, previous_scores=None, current_title: str = "", previous_title: str = "",
                   comparison=None):
        """``comparison`` (scoring.Comparison): the difference column is then like for like,
        with the number of criteria it rests on in its tooltip."""
        self.beginResetModel()
        self.current_title, self.previous_title = current_title, previous_title
        self.rows = []
        self.changes = {}
        for d in ref.domains:
            s = scores.domains[d.id]
            before = previous_scores.domains[d.id].score if previous_scores and d.id in previous_scores.domains \
                else None
            answered = f"{s.answered}/{s.applicable}"
            if s.score is not None and s.insufficient:
                answered += tr(" — insuffisamment renseigné")
            self.rows.append((d.short_title, before, s.score, answered))
            if comparison is not None:
                self.changes[len(self.rows) - 1] = comparison.domains[d.id]
        self.has_previous = previous_scores is not None
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 5

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("Domaine"), self.previous_title or tr("Précédente"), self.current_title or tr("Actuelle"),
                tr("Écart"), tr("Réponses"))[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        title, before, now, answered = self.rows[index.row()]
        col = index.column()
        change = self.changes.get(index.row())
        if change is not None:  # like for like: the difference over the criteria rated both years
            before_c, now_c = change.before, change.now
        else:
            before_c, now_c = before, now
        if role == Qt.ItemDataRole.DisplayRole:
            return (title, fmt.score(before), fmt.score(now), difference_text(before_c, now_c), answered)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == DIFF and change is not None:
            return tr("Écart à critères constants, sur %1 critère(s) notés les deux années").replace(
                "%1", str(len(change.criteria)))
        if role == Qt.ItemDataRole.TextAlignmentRole and col != DOMAIN:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == DIFF and before_c is not None and now_c is not None:
            delta = difference(now_c, before_c)
            if delta > 0:
                return QBrush(QColor("#1b5e20"))
            if delta < 0:
                return QBrush(QColor("#b00020"))
        return None
