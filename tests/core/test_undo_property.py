"""Property: after any sequence of edits, undos and redos replayed through the services (change
records and their inverses), undoing everything gives back the start and redoing everything
the state with every edit done."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot
from tests.helpers.edits import operation, resolve, steps, stored


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(steps, min_size=1, max_size=25))
def test_undo_all_gives_back_the_start_and_redo_all_the_end(demo, sequence):
    db, uuid = demo
    start = stored(db, uuid)
    done, undone = [], []  # a stack: inverses of what is done; operations to redo
    for step in sequence:
        if step[0] == "undo":
            if done:
                undone.append(sv.apply(db, done.pop()).inverse)
            continue
        if step[0] == "redo":
            if undone:
                done.append(sv.apply(db, undone.pop()).inverse)
            continue
        call = resolve(snapshot.load(db, uuid), step)
        if call is None:
            continue
        try:
            change = sv.apply(db, operation(uuid, call))
        except sv.ServiceError:
            continue  # e.g. a link to an option deleted since: refused, nothing written
        done.append(change.inverse)
        undone.clear()
    while undone:  # redo what is left: the state with every edit of the stack done
        done.append(sv.apply(db, undone.pop()).inverse)
    top = _without_answer_times(stored(db, uuid))
    while done:
        undone.append(sv.apply(db, done.pop()).inverse)
    assert _without_answer_times(stored(db, uuid)) == _without_answer_times(start)
    while undone:
        done.append(sv.apply(db, undone.pop()).inverse)
    assert _without_answer_times(stored(db, uuid)) == top


def _without_answer_times(data: dict) -> dict:
    """Answers written again get a new timestamp: compare them without it."""
    for a in data["answers"].values():
        a["updated_at"] = ""
    return data
