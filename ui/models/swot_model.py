"""One SWOT quadrant as a list model; items are dragged within and between quadrants."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, Qt

MIME_TYPE = "application/x-ptce-swot-item"
UUID_ROLE = Qt.ItemDataRole.UserRole + 1
IMPORTANCE_MARKS = {1: "●", 2: "●●", 3: "●●●"}


class SwotQuadrantModel(QAbstractListModel):
    def __init__(self, document, quadrant: str, parent=None):
        super().__init__(parent)
        self.doc, self.quadrant = document, quadrant
        self.items = document.quadrant_items(quadrant)
        document.swotChanged.connect(self.reload)

    def reload(self) -> None:
        self.beginResetModel()
        self.items = self.doc.quadrant_items(self.quadrant)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.items)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            links = f"  [{', '.join(item.criteria)}]" if item.criteria else ""
            return f"{IMPORTANCE_MARKS.get(item.importance, '')}  {item.text}{links}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.text
        if role == UUID_ROLE:
            return item.uuid
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)

    def row_of(self, uuid: str) -> int:
        return next((i for i, it in enumerate(self.items) if it.uuid == uuid), -1)

    # drag and drop: the payload is the item's uuid; the move is an undoable edit
    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self):
        return [MIME_TYPE]

    def mimeData(self, indexes):
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if not rows:
            return None
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(self.items[rows[0]].uuid.encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent):
        return data is not None and data.hasFormat(MIME_TYPE)

    def dropMimeData(self, data, action, row, column, parent):
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        uuid = bytes(data.data(MIME_TYPE)).decode()
        item = self.doc.swot_item(uuid)
        if item is None:
            return False
        if parent.isValid():  # dropped onto an item: take its place
            row = parent.row()
        if row < 0:
            row = len(self.items)
        if item.quadrant == self.quadrant and item.position < row:
            row -= 1  # the item leaves its old place first
        self.doc.move_swot(uuid, self.quadrant, row)
        # False: the views must not remove the source row, the document already moved it
        return False
