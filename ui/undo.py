"""Undo/redo commands.

``OperationCommand`` is the command of every edit of an assessment's content: redo
applies a service operation (``services.apply``), undo applies the inverse the service
returned in its change record, and the next redo applies the inverse of that inverse.
The screen is refreshed from each change record by the Document (a read model).

``EditCommand`` is the older generic command, parameterised by callables, still used
for the navigator (poles, assessments) and the workshop participants, whose services
do not return change records yet.

Writes go through the SaveManager: a write that failed stays queued, and an undo of a
write that never happened simply drops it.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ptce_toolkit.changes import Change, Operation
from ui.save_state import SaveManager, Write

_serials = itertools.count(1)


def serial_of(command: QUndoCommand | None) -> int:
    """Push order of a command (a macro: of its last child); 0 if unknown."""
    if command is None:
        return 0
    serial = getattr(command, "serial", None)
    if serial is None and command.childCount():
        return serial_of(command.child(command.childCount() - 1))
    return serial or 0


def _nothing(*_args) -> None:
    return None


class OperationCommand(QUndoCommand):
    """One edit replayed through the services.

    ``shown(change)`` refreshes the screen from a change record; ``preview(op)`` shows at
    once what a write still queued will store (or does nothing); ``reread(op)`` shows the
    database again for what ``op`` touches (after a dropped or refused write)."""

    def __init__(self, text: str, save: SaveManager, db, op: Operation, *, shown: Callable[[Change], None],
                 preview: Callable[[Operation], None] = _nothing, reread: Callable[[Operation], None] = _nothing):
        super().__init__(text)
        self.serial = next(_serials)
        self.save, self.db = save, db
        self._shown, self._preview, self._reread = shown, preview, reread
        self._forward: Operation | None = op   # what redo() applies
        self._backward: Operation | None = None  # what undo() applies (known once the write ran)
        self._write: Write | None = None
        self._write_op: Operation | None = None

    def redo(self) -> None:
        self._move(forward=True)

    def undo(self) -> None:
        self._move(forward=False)

    def _move(self, *, forward: bool) -> None:
        if self.isObsolete():
            return
        w = self._write
        if w is not None and not w.done and self.save.cancel(w):
            # the opposite move never reached the database: the earlier state still stands
            self._write = None
            self._reread(self._write_op)
            return
        from ptce_toolkit.services.operations import apply  # not at import: the window shows first

        op = self._forward if forward else self._backward
        w = self.save.submit(lambda: apply(self.db, op), self.text(),
                             on_refused=lambda message: self._refused(op, message))
        self._write, self._write_op = w, op
        if w.done:
            self._landed(forward, w.result)
        else:
            self._preview(op)
            w.on_done.append(lambda change: self._landed(forward, change))

    def _landed(self, forward: bool, change: Change) -> None:
        if forward:
            self._backward = change.inverse
        else:
            self._forward = change.inverse
        self._shown(change)

    def _refused(self, op: Operation, _message: str) -> None:
        """The services refused the write (the SaveManager shows the message): show the
        database again and leave the stack."""
        self._write = None
        self._reread(op)
        self.setObsolete(True)


class EditCommand(QUndoCommand):
    """An edit in two halves: the in-memory change the user sees at once (``apply`` /
    ``revert``) and the database write (``persist`` / ``unpersist``). ``persist`` returns
    what it replaced or removed; ``unpersist`` receives that value to undo the write."""

    def __init__(self, text: str, save: SaveManager, *, persist: Callable[[], Any],
                 unpersist: Callable[[Any], Any], apply: Callable[[], None] = _nothing,
                 revert: Callable[[], None] = _nothing, after: Callable[[], None] = _nothing):
        super().__init__(text)
        self.serial = next(_serials)
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
