"""Property: after any sequence of edits, undos and redos in the window, what the Document
holds in memory (what the pages show) equals the database."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.helpers.edits import comparable, resolve, steps, stored


# no shrinking: each try replays the window; a failure is reported as generated
@settings(max_examples=20, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(steps, min_size=1, max_size=20))
def test_memory_equals_database_after_edits_undo_and_redo(window, sequence):
    db, doc = window.test_db, window.doc
    for step in sequence:
        if step[0] in ("undo", "redo"):
            getattr(window, step[0])()
            continue
        call = resolve(doc.snap, step)
        if call is not None:
            method, args, kwargs = call
            getattr(doc, method)(*args, **kwargs)
    assert window.save.pending == []
    assert comparable(doc.snap) == stored(db, doc.uuid)
