"""Undo/redo commands.

``OperationCommand`` is the command of every edit of an assessment's content: redo
applies a service operation (``services.apply``), undo applies the inverse the service
returned in its change record, and the next redo applies the inverse of that inverse.
The screen is refreshed from each change record by the Document (a read model).

``EditCommand`` is the older generic command, parameterised by callables, still used
for the navigator (poles, assessments) and the workshop participants, whose services
do not return change records yet.

Writes go through the SaveManager (the one serial writer): a write that failed stays
queued, an undo of a write that never happened simply drops it, and a write the
services refuse (ServiceError) takes its change back off the screen and the command
becomes obsolete. Text committed in several pieces while the user keeps typing
(``typing_session``) is one undo step. A ``background`` edit (bulk work: an import) is
written off the GUI thread in its turn; ``after`` then runs once its write has landed.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.services.operations import WITHOUT_ORM
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


def _apply(db, op: Operation) -> Change:
    # the service module is imported when the write runs, not when the edit is made: at
    # start-up an edit may be queued while the services are being imported (SaveManager.set_ready)
    from ptce_toolkit.services.operations import apply

    return apply(db, op)


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
                 preview: Callable[[Operation], None] = _nothing, reread: Callable[[Operation], None] = _nothing):
        super().__init__(text)
        self.serial = next(_serials)
        self.save, self.db = save, db
        self._shown, self._preview, self._reread = shown, preview, reread
        self._forward: Operation | None = op   # what redo() applies
        self._backward: Operation | None = None  # what undo() applies (known once the write ran)
        self._write: Write | None = None
        self._write_op: Operation | None = None
        self._session = _session.get()

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
        op = self._forward if forward else self._backward
        w = self.save.submit(lambda: _apply(self.db, op), self.text(), plain=op.name in WITHOUT_ORM,
                             on_refused=lambda message: self._refused(op, message))
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


class EditCommand(QUndoCommand):
    """An edit in two halves: the in-memory change the user sees at once (``apply`` /
    ``revert``) and the database write (``persist`` / ``unpersist``). ``persist`` returns
    what it replaced or removed; ``unpersist`` receives that value to undo the write."""

    def __init__(self, text: str, save: SaveManager, *, persist: Callable[[], Any],
                 unpersist: Callable[[Any], Any], apply: Callable[[], None] = _nothing,
                 revert: Callable[[], None] = _nothing, after: Callable[[], None] = _nothing,
                 background: bool = False):
        super().__init__(text)
        self.serial = next(_serials)
        self.save = save
        self._persist, self._unpersist = persist, unpersist
        self._apply, self._revert, self._after = apply, revert, after
        self._write: Write | None = None
        self._undo_write: Write | None = None
        self._session = _session.get()
        self._background = background

    def id(self) -> int:
        return MERGEABLE if self._session is not None else -1

    def mergeWith(self, other) -> bool:
        # the first write's result (what was there before) stays the one undo restores
        if not _can_merge(self, other):
            return False
        self._apply, self._persist, self.serial = other._apply, other._persist, other.serial
        return True

    def _refused(self, take_back: Callable[[], None]) -> Callable[[str], None]:
        def run(_message: str) -> None:
            take_back()
            self.setObsolete(True)
            self._after()
        return run

    def redo(self) -> None:
        if self.isObsolete():
            return
        self._apply()
        if self._undo_write is not None and self.save.cancel(self._undo_write):
            # the undo never reached the database: the earlier write still stands
            self._undo_write = None
        else:
            self._write = self.save.submit(self._persist, self.text(), on_refused=self._refused(self._revert),
                                           background=self._background)
            if not self._write.done and self._background:
                self._write.on_done.append(lambda _r: self._after())
                return
        self._after()

    def undo(self) -> None:
        if self.isObsolete():
            return
        self._revert()
        w = self._write
        if w is not None and self.save.cancel(w):
            self._write = None
        else:
            # the undo needs the value the service returned when the write ran
            self._undo_write = self.save.submit(lambda: self._unpersist(w.result if w else None),
                                                self.text(), on_refused=self._refused(self._apply),
                                                background=self._background)
            if not self._undo_write.done and self._background:
                self._undo_write.on_done.append(lambda _r: self._after())
                return
        self._after()
