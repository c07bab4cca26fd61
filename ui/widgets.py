"""Small shared widgets and helpers for the pages."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

# Autosave of free text (docs/FIABILITE.md): after a short pause in typing, at the latest
# this long after the first key not yet saved (a steady typist never pauses), and always
# on leaving the field. A crash loses at most about MAX_COMMIT_DELAY_MS of typing.
COMMIT_DELAY_MS = 300
MAX_COMMIT_DELAY_MS = 350


class TextCommitter(QObject):
    """Autosave for a text field: commits after a pause in typing (or every
    MAX_COMMIT_DELAY_MS while typing goes on) and when focus leaves. Until then the
    window's SaveManager is told that something is pending.

    ``load(text)`` shows a stored value without committing it; ``flush()`` commits now
    (called before the page shows another record, so nothing typed is lost)."""

    def __init__(self, edit: QPlainTextEdit | QLineEdit, commit: Callable[[str], None], parent=None):
        super().__init__(parent or edit)
        self.edit, self.commit = edit, commit
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COMMIT_DELAY_MS)
        self.timer.timeout.connect(self.flush)
        self.max_timer = QTimer(self)
        self.max_timer.setSingleShot(True)
        self.max_timer.setInterval(MAX_COMMIT_DELAY_MS)
        self.max_timer.timeout.connect(self._checkpoint)
        self._loaded = ""
        self._session: object | None = None  # pieces of one stretch of typing: one undo step
        self._manager = None
        edit.textChanged.connect(self._changed)
        edit.installEventFilter(self)

    def text(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            # toPlainText() turns no-break spaces into plain spaces, which would rewrite the
            # French typography of every stored text; the raw text keeps them
            return self.edit.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")
        return self.edit.text()

    def load(self, text: str) -> None:
        if not self.dirty and (text or "").strip() == self._loaded.strip():
            # our own commit coming back (maybe stripped): rewriting the field would move the
            # cursor and eat the space just typed; the typing session goes on
            return
        self._stop()
        self._session = None
        self._loaded = text or ""
        if self.text() != self._loaded:
            self.edit.blockSignals(True)
            if isinstance(self.edit, QPlainTextEdit):
                self.edit.setPlainText(self._loaded)
            else:
                self.edit.setText(self._loaded)
                self.edit.setCursorPosition(0)  # show the start of a long title, not its end
            self.edit.blockSignals(False)

    @property
    def dirty(self) -> bool:
        return self.text() != self._loaded

    def _changed(self, *_):
        self.timer.start()
        if not self.max_timer.isActive():
            self.max_timer.start()
        if self._manager is None:
            from ui.save_state import SaveManager

            self._manager = SaveManager.of(self.edit)
            if self._manager is not None:
                manager, key = self._manager, id(self)
                self.destroyed.connect(lambda *_: manager.release(key))
        if self._manager is not None:
            self._manager.hold(id(self))

    def _stop(self) -> None:
        self.timer.stop()
        self.max_timer.stop()
        if self._manager is not None:
            self._manager.release(id(self))

    def _checkpoint(self) -> None:
        """Typing goes on: save what is there, as part of the same undo step."""
        self._commit(end_session=False)

    def flush(self) -> None:
        self._commit(end_session=True)

    def _commit(self, end_session: bool) -> None:
        from ui.undo import typing_session

        self.timer.stop()
        self.max_timer.stop()
        try:
            if self.dirty:
                self._loaded = self.text()
                if self._session is None:
                    self._session = object()
                with typing_session(self._session):
                    self.commit(self._loaded)
        finally:
            if end_session:
                self._session = None
            if self._manager is not None:
                self._manager.release(id(self))

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False


def wrapped_label(text: str = "", parent: QWidget | None = None, *, point_delta: int = 0, bold: bool = False,
                  selectable: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if point_delta or bold:
        f = label.font()
        if point_delta:
            f.setPointSizeF(f.pointSizeF() + point_delta)
        f.setBold(bold)
        label.setFont(f)
    return label


def plain_edit(accessible_name: str, placeholder: str = "", parent: QWidget | None = None,
               max_lines: int = 4) -> QPlainTextEdit:
    """A multi-line field where Tab moves focus (keyboard users) instead of inserting a tab."""
    edit = QPlainTextEdit(parent)
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    line = edit.fontMetrics().lineSpacing()
    edit.setMaximumHeight(line * max_lines + 16)
    edit.setMinimumHeight(line * 2 + 16)
    return edit
