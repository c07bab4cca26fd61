"""Action plan table, and the proxy that sorts and filters it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from ptce_toolkit import fmt
from ptce_toolkit.vocabulary import ACTION_STATUS_LABELS, ACTION_STATUS_ORDER, CLOSED_ACTION_STATUSES, PRIORITY_LABELS
from ui.translation import tr, tr_vocabulary

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE, OWNER, DUE, STATUS, PRIORITY, LINKS = range(6)



def status_labels() -> dict[str, str]:
    return {k: tr_vocabulary(v) for k, v in ACTION_STATUS_LABELS.items()}


def priority_labels() -> dict[int, str]:
    return {k: tr_vocabulary(v) for k, v in PRIORITY_LABELS.items()}


class ActionsModel(QAbstractTableModel):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.rows = self._rows()
        self.statuses, self.priorities = status_labels(), priority_labels()
        document.actionsChanged.connect(self.reload)
        document.optionsChanged.connect(self.reload)

    def _rows(self):
        return sorted(self.doc.snap.actions, key=lambda a: a.position)

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self._rows()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 6

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Action"), tr("Responsable"), tr("Échéance"), tr("Statut"), tr("Priorité"),
                    tr("Liens"))[section]
        return None

    def links_text(self, action) -> str:
        parts = list(action.criteria)
        n = len([o for o in action.options if self.doc.option(o)])
        if n:
            parts.append(tr("%n option(s)").replace("%n", str(n)))
        return ", ".join(parts) or "—"

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        a = self.rows[index.row()]
        col = index.column()
        if role == UUID_ROLE:
            return a.uuid
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.title, a.owner, fmt.short_date(a.due_on) or "—", self.statuses.get(a.status, a.status),
                    self.priorities.get(a.priority, str(a.priority)), self.links_text(a))[col]
        if role == SORT_ROLE:
            return (a.title.lower(), a.owner.lower(), a.due_on or "9999", ACTION_STATUS_ORDER.index(a.status)
                    if a.status in ACTION_STATUS_ORDER else 9, a.priority, self.links_text(a))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == LINKS:
            opts = [self.doc.option(o).text for o in a.options if self.doc.option(o)]
            return "\n".join(a.criteria + opts) or None
        if role == Qt.ItemDataRole.ForegroundRole and a.status in CLOSED_ACTION_STATUSES:
            return QBrush(QColor("#6b6b6b"))
        return None

    def row_of(self, uuid: str) -> int:
        return next((i for i, a in enumerate(self.rows) if a.uuid == uuid), -1)


class ActionsFilter(QSortFilterProxyModel):
    """Sort on real values (dates, priorities) and filter by status, priority and text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.status: str | None = None
        self.priority: int | None = None
        self.text = ""

    def set_filters(self, *, status=None, priority=None, text: str = "") -> None:
        self.beginFilterChange()
        self.status, self.priority, self.text = status, priority, (text or "").strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):
        a = self.sourceModel().rows[row]
        if self.status and a.status != self.status:
            return False
        if self.priority and a.priority != self.priority:
            return False
        if self.text:
            hay = " ".join([a.title, a.owner, *a.criteria]).lower()
            return self.text in hay
        return True
