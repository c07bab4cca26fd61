"""Small shared widgets and helpers for the pages."""

from __future__ import annotations

from typing import Callable

import shiboken6

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QTextEdit, QWidget,
)

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
        # a field destroyed while focused gets a last FocusOut: nothing to save then
        if event.type() == QEvent.Type.FocusOut and shiboken6.isValid(self.edit):
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


# ---------------------------------------------------------------------- single-key commands

NO_YEAR = 0  # a year box's minimum, shown as « — »: no year given


def year_box(accessible_name: str, maximum: int, parent: QWidget | None = None) -> QSpinBox:
    """A year, or « — » for none (the value NO_YEAR)."""
    box = QSpinBox(parent)
    box.setAccessibleName(accessible_name)
    box.setRange(NO_YEAR, maximum)
    box.setSpecialValueText("—")
    return box


RATING_TEXTS = {"0": "0", "1": "1", "2": "2", "3": "3", "4": "4", "n": "N", "N": "N", "?": "?"}
_M = Qt.KeyboardModifier


def is_text_input(widget: QWidget | None) -> bool:
    """A widget where a printable key types a character (so it must never act as a command)."""
    if widget is None:
        return False
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
        return not getattr(widget, "isReadOnly", lambda: False)()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return False


def key_char(event, allowed: dict[str, str] = RATING_TEXTS) -> str | None:
    """The single-key command a key press means, from the character it produced — not the
    physical key: on AZERTY ’ is AltGr+Shift+N and must never mean « N », and the digits
    need Shift. Ctrl, Alt or Meta combinations are never single-key commands (except
    Ctrl+Alt, which is how Windows reports AltGr: the produced character still decides)."""
    mods = event.modifiers()
    ctrl, alt = bool(mods & _M.ControlModifier), bool(mods & _M.AltModifier)
    if mods & _M.MetaModifier or (ctrl != alt):
        return None
    return allowed.get(event.text())


class SingleKeyCommands(QObject):
    """Single-key commands (rating keys…) for a page, matched on the produced character.

    Installed on the page and on each of its widgets that is not a text input; a key is
    never taken while a text input has the focus, whatever its modifiers or layout.
    ``handler(char)`` returns True when it used the key."""

    def __init__(self, page: QWidget, handler, allowed: dict[str, str] = RATING_TEXTS):
        super().__init__(page)
        self.page, self.handler, self.allowed = page, handler, allowed
        self.install(page)

    def install(self, root: QWidget) -> None:
        for w in [root, *root.findChildren(QWidget)]:
            if not is_text_input(w):
                w.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() != QEvent.Type.KeyPress:
            return False
        if is_text_input(QApplication.focusWidget()):
            return False
        char = key_char(event, self.allowed)
        if char is not None and self.handler(char):
            event.accept()
            return True
        return False


class DateField(QWidget):
    """A date typed as the user reads it (« 15/01/2027 »), or picked from a calendar.

    Unlike QDateEdit, typing goes in as typed (no section-by-section overwrite that
    turned 15/01/2027 into 02/01/2027); an impossible date is refused with a message
    under the field and nothing is saved. Empty means no date. ``committed(iso)`` is
    emitted with « 2027-01-15 » or « » when the value really changes."""

    from PySide6.QtCore import Signal as _Signal

    committed = _Signal(str)

    def __init__(self, accessible_name: str, parent: QWidget | None = None):
        from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout

        super().__init__(parent)
        self._iso = ""
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText(self.tr("jj/mm/aaaa"))
        self.edit.setClearButtonEnabled(True)
        self.edit.editingFinished.connect(self.commit)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("…")
        self.calendar_button.setToolTip(self.tr("Choisir dans le calendrier"))
        self.calendar_button.setAccessibleName(self.tr("Calendrier\u00a0: %1").replace("%1", accessible_name))
        self.calendar_button.clicked.connect(self._pick)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setAccessibleName(self.tr("Erreur de date"))
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.error)
        self.setFocusProxy(self.edit)

    def set_iso(self, iso: str | None) -> None:
        from ptce_toolkit import fmt

        self._iso = (iso or "")[:10]
        self.edit.setText(fmt.short_date(self._iso))
        self._show_error("")

    def iso(self) -> str:
        return self._iso

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.edit.setStyleSheet("QLineEdit { border: 2px solid #b71c1c; }" if message else "")

    def commit(self) -> bool:
        """Parse what was typed; save it if valid and changed. False (and a message) if refused."""
        from ptce_toolkit import fmt

        try:
            value = fmt.parse_date(self.edit.text())
        except ValueError as exc:
            self._show_error(str(exc))
            return False
        iso = value.isoformat() if value else ""
        self._show_error("")
        self.edit.setText(fmt.short_date(iso))  # 15.1.27 is shown back as 15/01/2027
        if iso != self._iso:
            self._iso = iso
            self.committed.emit(iso)
        return True

    def _pick(self) -> None:
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QCalendarWidget, QDialog, QVBoxLayout

        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Choisir une date"))
        cal = QCalendarWidget(dialog)
        cal.setGridVisible(True)
        if self._iso:
            cal.setSelectedDate(QDate.fromString(self._iso, "yyyy-MM-dd"))
        cal.activated.connect(dialog.accept)
        cal.clicked.connect(dialog.accept)
        QVBoxLayout(dialog).addWidget(cal)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.edit.setText(cal.selectedDate().toString("dd/MM/yyyy"))
            self.commit()


def finish_pick_dialog(dialog, lay, table, accept_text: str, stretch=(1,)):
    """End of a « tick what fits » dialog: the ``stretch`` columns share the width, the
    others fit their contents, rows follow the widths; accept and cancel buttons.
    Returns the accept button."""
    from PySide6.QtWidgets import QDialogButtonBox, QHeaderView

    header = table.horizontalHeader()
    for col in range(table.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col in stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
    lay.addWidget(table, 1)
    buttons = QDialogButtonBox(dialog)
    accept = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    lay.addWidget(buttons)
    return accept
