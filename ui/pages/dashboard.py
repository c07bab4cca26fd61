"""Placeholder, replaced in the next commits."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class DashboardPage(QWidget):
    actionRequested = Signal(str)
    criterionRequested = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document

    def create_from_option(self, uuid):
        pass

    def create_from_criterion(self, cid):
        pass
