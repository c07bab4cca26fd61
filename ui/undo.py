"""Undo/redo: one generic command for every edit, parameterised by callables.

An edit has two halves: the in-memory change the user sees at once (``apply`` /
``revert``) and the database write (``persist`` / ``unpersist``). ``persist`` calls a
service and returns what it replaced or removed; ``unpersist`` receives that value to
undo the write. Writes go through the SaveManager, so a failed write stays queued and an
undo of a write that never happened simply drops it; a write the services refuse
(ServiceError) takes its change back off the screen and the command becomes obsolete.
Text committed in several pieces while the user keeps typing (``typing_session``) is
one undo step. A ``background`` edit (bulk work: an import) is written off the GUI
thread in its turn; ``after`` then runs once its write has landed.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ui.save_state import SaveManager, Write


_session: ContextVar[object | None] = ContextVar("typing_session", default=None)


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


class EditCommand(QUndoCommand):
    def __init__(self, text: str, save: SaveManager, *, persist: Callable[[], Any],
                 unpersist: Callable[[Any], Any], apply: Callable[[], None] = _nothing,
                 revert: Callable[[], None] = _nothing, after: Callable[[], None] = _nothing,
                 background: bool = False):
        super().__init__(text)
        self.save = save
        self._persist, self._unpersist = persist, unpersist
        self._apply, self._revert, self._after = apply, revert, after
        self._write: Write | None = None
        self._undo_write: Write | None = None
        self._session = _session.get()
        self._background = background

    def id(self) -> int:
        return 1 if self._session is not None else -1

    def mergeWith(self, other) -> bool:
        # the first write's result (what was there before) stays the one undo restores
        if other._session is not self._session or other.text() != self.text() or other.isObsolete() or self.isObsolete() \
                or not all(w is not None and w.done for w in (self._write, other._write)):
            return False
        self._apply, self._persist = other._apply, other._persist
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
