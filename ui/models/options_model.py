"""Strategic options as a table: text, kind derived from the linked SWOT items, links."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ptce_toolkit.vocabulary import option_kind_label
from ui.translation import tr, tr_vocabulary

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT, KIND, LINKS = range(3)



def kind_label(doc, option) -> str:
    """The option's kind in words, or what is missing to derive it; an option that answers
    a single SWOT item says so (« répond à »): that is enough, no kind is expected."""
    quadrants = doc.snap.option_quadrants(option)
    if len(quadrants) == 1:
        return tr("Répond à un seul élément (%1)").replace("%1", doc.ref.quadrants[quadrants[0]].title)
    return option_kind_label(quadrants, tr_vocabulary)


class OptionsModel(QAbstractTableModel):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.rows = self._rows()
        document.optionsChanged.connect(self.reload)
        document.swotChanged.connect(self.reload)  # item texts and quadrants show here

    def _rows(self):
        return sorted(self.doc.snap.options, key=lambda o: o.position)

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self._rows()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Option stratégique"), tr("Type"), tr("Éléments AFOM liés"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        o = self.rows[index.row()]
        col = index.column()
        if role == UUID_ROLE:
            return o.uuid
        unlinked = not o.swot
        if role == Qt.ItemDataRole.DisplayRole:
            if col == TEXT:
                return o.text
            if col == KIND:
                return kind_label(self.doc, o)
            return self._links_text(o)
        if role == Qt.ItemDataRole.ToolTipRole and col == KIND:
            return kind_label(self.doc, o)
        if role == Qt.ItemDataRole.ToolTipRole and col == LINKS:
            return "\n".join(f"{self.doc.swot_item(u).quadrant} — {self.doc.swot_item(u).text}"
                             for u in o.swot if self.doc.swot_item(u)) or tr("Aucun élément AFOM lié.")
        if role == Qt.ItemDataRole.ForegroundRole and col == KIND and (unlinked or not self.doc.option_kind(o)):
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.FontRole and col == KIND:
            f = QFont()
            f.setBold(True)
            return f
        return None

    def _links_text(self, option) -> str:
        counts = {}
        for u in option.swot:
            item = self.doc.swot_item(u)
            if item:
                counts[item.quadrant] = counts.get(item.quadrant, 0) + 1
        if not counts:
            return "—"
        names = {q: self.doc.ref.quadrants[q].title for q in counts}
        return ", ".join(f"{names[q]} ({n})" for q, n in sorted(counts.items(), key=lambda t: "SWOT".index(t[0])))

    def row_of(self, uuid: str) -> int:
        return next((i for i, o in enumerate(self.rows) if o.uuid == uuid), -1)
