"""Property: navigator and workshop edits (create, rename, copy and delete poles and
assessments; add, rename, move and remove participants; ratings and imported questionnaires)
replayed through the services as change records: undoing everything gives back the database
as it was, every row of it, and redoing everything the state with every edit done."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ptce_toolkit import services as sv
from ptce_toolkit.services import workshop as ws
from tests.helpers.edits import round_trip
from tests.helpers.navigation import database, resolve, steps


@example(sequence=[("delete_assessment", 0), ("remove_participant", 0)])
@example(sequence=[("delete_assessment", 1), ("undo",), ("redo",)])
@example(sequence=[("delete_pole", 0), ("undo",), ("create_pole", "Bretagne")])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(steps, min_size=1, max_size=20))
def test_undo_all_gives_back_the_database_and_redo_all_the_end(demo, sequence):
    db, uuid = demo
    if uuid in {a.uuid for a in sv.list_assessments(db)} and not ws.list_participants(db, uuid):
        # a session with ratings to lose (examples follow each other on the same database)
        person = ws.add_participant(db, uuid, "Awa Diallo", "ess").created
        for c, level in (("FIN.1", 3), ("GOV.1", 1), ("GOV.4", 4)):
            ws.set_rating(db, uuid, person, c, level=level, comment=f"Vu en séance ({c})")
    start, top, bottom, again = round_trip(db, sequence, lambda step, n: resolve(db, step, n), lambda: database(db))
    assert bottom == start
    assert again == top
