"""Undo/redo commands.

``OperationCommand`` is the command of every edit: an assessment's content, the
navigator's poles and assessments, the workshop's participants and ratings. Redo
applies a service operation (``services.apply``), undo applies the inverse the service
returned in its change record, and the next redo applies the inverse of that inverse.
The screen is refreshed from each change record by a read model (the Document, the
workshop session, the navigator).

Writes go through the SaveManager (the one serial writer): a write that failed stays
queued, an undo of a write that never happened simply drops it, and a write the
services refuse (ServiceError) takes its change back off the screen and the command
becomes obsolete. Text committed in several pieces while the user keeps typing
(``typing_session``) is one undo step. A ``background`` edit (bulk work: an import) is
written off the GUI thread in its turn; the screen is refreshed once its write has landed.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable

from PySide6.QtGui import QUndoCommand

from ptce_toolkit.changes import Change, Operation
from ui.save_state import SaveManager, Write

_serials = itertools.count(1)
_session: ContextVar[object | None] = ContextVar("typing_session", default=None)
MERGEABLE = 1  # QUndoCommand.id() of the pieces of one stretch of typing


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


@contextmanager
def typing_session(session: object):
    """Edits made inside belong to ``session``: consecutive ones merge into one undo step."""
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


def _can_merge(first: QUndoCommand, later: QUndoCommand) -> bool:
    """Two pieces of the same stretch of typing, both written: one undo step."""
    return (type(later) is type(first) and later._session is first._session and later.text() == first.text()
            and not later.isObsolete() and not first.isObsolete()
            and all(w is not None and w.done for w in (first._write, later._write)))


class OperationCommand(QUndoCommand):
    """One edit replayed through the services.

    ``shown(change)`` refreshes the screen from a change record; ``preview(op)`` shows at
    once what a write still queued will store (or does nothing); ``reread(op)`` shows the
    database again for what ``op`` touches (after a dropped or refused write)."""

    def __init__(self, text: str, save: SaveManager, db, op: Operation, *, shown: Callable[[Change], None],
                 preview: Callable[[Operation], None] = _nothing, reread: Callable[[Operation], None] = _nothing,
                 background: bool = False):
        super().__init__(text)
        self.serial = next(_serials)
        self.save, self.db = save, db
        self._shown, self._preview, self._reread = shown, preview, reread
        self._forward: Operation | None = op   # what redo() applies
        self._backward: Operation | None = None  # what undo() applies (known once the write ran)
        self._write: Write | None = None
        self._write_op: Operation | None = None
        self._session = _session.get()
        self._background = background

    def id(self) -> int:
        return MERGEABLE if self._session is not None else -1

    def mergeWith(self, other) -> bool:
        # undo goes back to before the first piece; redo writes the latest one
        if not _can_merge(self, other):
            return False
        self._forward, self.serial = other._forward, other.serial
        return True

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
                             on_refused=lambda message: self._refused(op, message), background=self._background)
        self._write, self._write_op = w, op
        if w.done:
            self._landed(forward, w.result)
        elif w.refused is None:
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
