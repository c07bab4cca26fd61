"""A write the services refuse leaves the undo stack and the screen shows the database again.

The SaveManager's side (drop the refused write, call ``on_refused`` with the message) is
the serial writer's; here a stand-in with that contract drives the commands' side."""

from __future__ import annotations

import pytest

from ptce_toolkit import services as sv
from ui.save_state import SaveManager


def _flush_dropping_refused(self) -> bool:
    """The writer's contract: a ServiceError drops the write and calls its on_refused."""
    while self._queue:
        w = self._queue[0]
        try:
            w.result = w.run()
        except sv.ServiceError as exc:
            self._queue.pop(0)
            if w.on_refused is not None:
                w.on_refused(str(exc))
            continue
        w.done = True
        self._queue.pop(0)
        for cb in w.on_done:
            cb(w.result)
    return True


@pytest.fixture
def refusing_writer(monkeypatch):
    monkeypatch.setattr(SaveManager, "flush", _flush_dropping_refused)


def test_refused_edit_leaves_the_stack_and_the_next_edit_is_saved(refusing_writer, window):
    db, doc = window.test_db, window.doc
    action = doc.snap.actions[0]
    count = doc.stack.count()
    doc.update_action(action.uuid, due_on="31/03/2027")  # not a date: the service refuses it
    assert doc.stack.count() == count  # the command made itself obsolete: nothing to undo
    assert doc.action(action.uuid).due_on == sv.get_action(db, action.uuid).due_on == action.due_on
    assert window.save.pending == []

    doc.set_answer("FIN.1", level=4)
    assert sv.get_answer(db, doc.uuid, "FIN.1").level == 4
    assert doc.stack.count() == count + 1
    window.undo()
    assert sv.get_answer(db, doc.uuid, "FIN.1").level != 4
