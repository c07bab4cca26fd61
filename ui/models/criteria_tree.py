"""Domains → criteria tree, with each domain's progress and each criterion's answer."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

CRITERION_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARENT = 0  # internalId of domain rows; criteria carry domain index + 1


def answer_text(ref, answer) -> str:
    """Short French label of an answer, for lists and tables."""
    if answer is None or answer.status == "unanswered":
        return "—"
    if answer.status == "answered":
        return f"{answer.level} · {ref.level_label(answer.level)}"
    return ref.not_applicable.label if answer.status == "not_applicable" else ref.unknown.label


class CriteriaTreeModel(QAbstractItemModel):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.domains = list(document.ref.domains)
        self._row_of = {c.id: (di, ci) for di, d in enumerate(self.domains) for ci, c in enumerate(d.criteria)}
        document.answerChanged.connect(self.refresh_criterion)

    # structure
    def index(self, row, column, parent=QModelIndex()):
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, NO_PARENT)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=QModelIndex()):
        if not index.isValid() or index.internalId() == NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, NO_PARENT)

    def rowCount(self, parent=QModelIndex()):
        if not parent.isValid():
            return len(self.domains)
        if parent.column() != 0 or parent.internalId() != NO_PARENT:
            return 0
        return len(self.domains[parent.row()].criteria)

    def columnCount(self, parent=QModelIndex()):
        return 2

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (QCoreApplication.translate("CriteriaTreeModel", "Domaine / critère"),
                    QCoreApplication.translate("CriteriaTreeModel", "Réponse"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == NO_PARENT:
            return self._domain_data(self.domains[index.row()], index.column(), role)
        crit = self.domains[index.internalId() - 1].criteria[index.row()]
        return self._criterion_data(crit, index.column(), role)

    def _domain_data(self, domain, column, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return domain.short_title
            done = sum(1 for c in domain.criteria if self.doc.answer(c.id).status != "unanswered")
            return f"{done}/{len(domain.criteria)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return domain.title
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            return f
        if role == CRITERION_ROLE:
            return domain.criteria[0].id if domain.criteria else None
        return None

    def _criterion_data(self, crit, column, role):
        answer = self.doc.answer(crit.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return crit.id + (" ★" if answer.priority else "")
            text = answer_text(self.doc.ref, answer)
            return text + self.tr(" — à confirmer") if getattr(answer, "to_confirm", False) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            # the answer column is narrow: its tooltip also names the whole answer
            return crit.statement if column == 0 else f"{answer_text(self.doc.ref, answer)}\n{crit.statement}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and answer.status == "unanswered":
            return QBrush(QColor("#6b6b6b"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and getattr(answer, "to_confirm", False):
            return QBrush(QColor("#b45309"))  # carried proposal: to be confirmed
        if role == CRITERION_ROLE:
            return crit.id
        return None

    # lookups
    def criterion_index(self, criterion_id: str, column: int = 0) -> QModelIndex:
        di, ci = self._row_of[criterion_id]
        return self.index(ci, column, self.index(di, 0))

    def refresh_criterion(self, criterion_id: str) -> None:
        if criterion_id not in self._row_of:
            return
        di, _ = self._row_of[criterion_id]
        self.dataChanged.emit(self.criterion_index(criterion_id, 0), self.criterion_index(criterion_id, 1))
        self.dataChanged.emit(self.index(di, 0), self.index(di, 1))

