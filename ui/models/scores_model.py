"""Domain scores of this assessment beside the previous one, with the difference marked."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ptce_toolkit import fmt
from ui.translation import tr

DOMAIN, PREVIOUS, CURRENT, DIFF, ANSWERED = range(5)
SIGNIFICANT = 0.05  # below this a difference shows as « = » (scores are shown to one decimal)



def difference_text(before: float | None, now: float | None) -> str:
    if before is None or now is None:
        return "—"
    delta = now - before
    if abs(delta) < SIGNIFICANT:
        return "="
    sign = "▲ +" if delta > 0 else "▼ −"
    return sign + fmt.score(abs(delta))


class DomainScoresModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple] = []  # (title, previous score|None, score|None, answered text)
        self.previous_title = ""
        self.current_title = ""

    def set_scores(self, ref, scores, previous_scores=None, current_title: str = "", previous_title: str = ""):
        self.beginResetModel()
        self.current_title, self.previous_title = current_title, previous_title
        self.rows = []
        for d in ref.domains:
            s = scores.domains[d.id]
            before = previous_scores.domains[d.id].score if previous_scores and d.id in previous_scores.domains \
                else None
            self.rows.append((d.short_title, before, s.score, f"{s.answered}/{s.criteria - s.not_applicable}"))
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
        if role == Qt.ItemDataRole.DisplayRole:
            return (title, fmt.score(before), fmt.score(now), difference_text(before, now), answered)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == DOMAIN:
            return title  # the column can be narrower than a domain's name
        if role == Qt.ItemDataRole.TextAlignmentRole and col != DOMAIN:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == DIFF and before is not None and now is not None:
            if now - before >= SIGNIFICANT:
                return QBrush(QColor("#1b5e20"))
            if before - now >= SIGNIFICANT:
                return QBrush(QColor("#b00020"))
        return None
