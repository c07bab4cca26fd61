"""Dialogs to choose linked records: criteria of the referential, SWOT items."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout,
)

from ptce_toolkit.vocabulary import QUADRANT_ORDER
from ui.translation import tr

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckListDialog(QDialog):
    """A filterable list of checkable entries ``(id, label)``; ``chosen()`` keeps the list order."""

    def __init__(self, title: str, explanation: str, entries, checked, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 520)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(explanation, self, wordWrap=True))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filtrer…"))
        self.filter.setAccessibleName(self.tr("Filtrer la liste"))
        self.filter.setClearButtonEnabled(True)
        lay.addWidget(self.filter)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        self.list.setWordWrap(True)
        checked = set(checked)
        for key, label in entries:
            item = QListWidgetItem(label, self.list)
            item.setData(ID_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in checked else Qt.CheckState.Unchecked)
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)

    def _filter(self, text: str) -> None:
        text = text.strip().lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(text) and text not in item.text().lower())

    def set_checked(self, keys) -> None:
        keys = set(keys)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in keys else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


def criteria_dialog(ref, checked, parent=None) -> CheckListDialog:
    entries = [(c.id, f"{c.id} — {c.statement}") for c in ref.criteria()]
    return CheckListDialog(tr("Critères liés"), tr("Cochez les critères du référentiel concernés."),
                           entries, checked, parent)


def swot_dialog(doc, checked, parent=None) -> CheckListDialog:
    entries = [(it.uuid, f"{doc.ref.quadrants[q].title} — {it.text}")
               for q in QUADRANT_ORDER for it in doc.quadrant_items(q)]
    return CheckListDialog(tr("Éléments AFOM liés"),
                           tr("Cochez les forces, faiblesses, opportunités et menaces auxquelles l’option répond."),
                           entries, checked, parent)
