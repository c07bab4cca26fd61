"""Undo/redo: one generic command for every edit, parameterised by callables.

An edit has two halves: the in-memory change the user sees at once (``apply`` /
``revert``) and the database write (``persist`` / ``unpersist``). ``persist`` calls a
service and returns what it replaced or removed; ``unpersist`` receives that value to
undo the write. Writes go through the SaveManager, so a failed write stays queued and an
undo of a write that never happened simply drops it.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ui.save_state import SaveManager, Write


def _nothing(*_args) -> None:
    return None


class EditCommand(QUndoCommand):
    def __init__(self, text: str, save: SaveManager, *, persist: Callable[[], Any],
                 unpersist: Callable[[Any], Any], apply: Callable[[], None] = _nothing,
                 revert: Callable[[], None] = _nothing, after: Callable[[], None] = _nothing):
        super().__init__(text)
        self.save = save
        self._persist, self._unpersist = persist, unpersist
        self._apply, self._revert, self._after = apply, revert, after
        self._write: Write | None = None
        self._undo_write: Write | None = None

    def redo(self) -> None:
        self._apply()
        if self._undo_write is not None and self.save.cancel(self._undo_write):
            # the undo never reached the database: the earlier write still stands
            self._undo_write = None
        else:
            self._write = self.save.submit(self._persist, self.text())
        self._after()

    def undo(self) -> None:
        self._revert()
        w = self._write
        if w is not None and self.save.cancel(w):
            self._write = None
        else:
            # the undo needs the value the service returned when the write ran
            self._undo_write = self.save.submit(lambda: self._unpersist(w.result if w else None),
                                                self.text())
        self._after()
