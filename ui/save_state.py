"""One save manager: every edit is written through it, and its state is always visible.

Edits are applied to the in-memory document first, then written here. A write that
fails stays queued (with the user's edit still on screen) and is retried in order,
either by the « Réessayer » button or before the next write: nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

SAVED, SAVING, FAILED = "saved", "saving", "failed"


@dataclass(eq=False)
class Write:
    """One pending database write; ``result`` keeps what the service returned (for undo)."""

    run: Callable[[], Any]
    description: str = ""
    result: Any = None
    done: bool = False
    on_done: list[Callable[[Any], None]] = field(default_factory=list)
    # called with the French message when the services refuse the write (ServiceError)
    on_refused: Callable[[str], None] | None = None


class SaveManager(QObject):
    stateChanged = Signal(str, str)  # state, French message
    written = Signal()               # at least one write reached the database

    def __init__(self, parent=None):
        super().__init__(parent)
        self._queue: list[Write] = []
        self.state = SAVED
        self.message = ""

    @property
    def pending(self) -> list[Write]:
        return list(self._queue)

    def submit(self, run: Callable[[], Any], description: str = "", *,
               on_refused: Callable[[str], None] | None = None) -> Write:
        """Queue a write and flush the queue; returns the Write (check ``.done``)."""
        w = Write(run, description, on_refused=on_refused)
        self._queue.append(w)
        self.flush()
        return w

    def cancel(self, w: Write) -> bool:
        """Drop a write that never reached the database (undo of a failed edit)."""
        if w in self._queue:
            self._queue.remove(w)
            if not self._queue:
                self._set(SAVED, "")
            return True
        return False

    def retry(self) -> bool:
        return self.flush()

    def flush(self) -> bool:
        if not self._queue:
            return True
        self._set(SAVING, self.tr("Enregistrement…"))
        wrote = False
        while self._queue:
            w = self._queue[0]
            try:
                w.result = w.run()
            except Exception as exc:  # the user must see it; the write stays queued
                detail = str(exc).strip() or type(exc).__name__
                self._set(FAILED, self.tr("Échec de l’enregistrement : %1").replace("%1", detail))
                if wrote:
                    self.written.emit()
                return False
            w.done = True
            self._queue.pop(0)
            wrote = True
            for cb in w.on_done:
                cb(w.result)
        self._set(SAVED, self.tr("Enregistré"))
        self.written.emit()
        return True

    def _set(self, state: str, message: str) -> None:
        self.state, self.message = state, message
        self.stateChanged.emit(state, message)


class SaveIndicator(QWidget):
    """Status-bar widget: « Enregistré », « Enregistrement… » or a red failure with retry."""

    def __init__(self, manager: SaveManager, parent=None):
        super().__init__(parent)
        self.manager = manager
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setAccessibleName(self.tr("État de l’enregistrement"))
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Réessayer"), self)
        self.retry_button.setAccessibleName(self.tr("Réessayer l’enregistrement"))
        self.retry_button.clicked.connect(manager.retry)
        lay.addWidget(self.label)
        lay.addWidget(self.retry_button)
        manager.stateChanged.connect(self.show_state)
        self.show_state(manager.state, manager.message or self.tr("Enregistré"))

    def show_state(self, state: str, message: str) -> None:
        self.label.setText(message or self.tr("Enregistré"))
        failed = state == FAILED
        if failed != getattr(self, "_failed_shown", None):  # restyling costs a few ms: only on change
            self._failed_shown = failed
            self.label.setStyleSheet("color: #b00020; font-weight: bold;" if failed else "color: #1b5e20;")
            self.retry_button.setVisible(failed)
