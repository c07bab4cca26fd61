"""The dashboard's « Évolution sur plusieurs années »: shown from three assessments of the pole."""

from __future__ import annotations

from ptce_toolkit import fmt
from ptce_toolkit import services as sv
from ptce_toolkit.scoring import score
from tests.helpers.qt import open_window


def test_third_assessment_shows_the_trend_on_the_dashboard(qtbot, demo):
    db, uuid = demo
    w = open_window(qtbot, db.path, uuid)
    try:
        page_without = w.page("dashboard")
        assert not page_without.trend.isVisibleTo(page_without)  # the demo pole has two assessments
    finally:
        w.close()
    with db.connection() as conn:
        pole = conn.exec_driver_sql("SELECT pole_id FROM assessment WHERE id = ?", (uuid,)).scalar()
    old = sv.create_assessment(db, pole, "Diagnostic 2019", started_on="2019-03-01").created
    w = open_window(qtbot, db.path, uuid)
    try:
        ref = w.doc.ref
        gov = next(d for d in ref.domains if d.id == "GOV")
        for c in gov.criteria:
            sv.set_answer(db, old, c.id, level=1)
        page = w.page("dashboard")
        page.trend._earlier = None  # read again (the old assessment was changed behind the window)
        page.refresh()
        t = page.trend.table
        assert page.trend.isVisibleTo(page) and t.columnCount() == 4
        assert t.horizontalHeaderItem(1).text() == "2019"
        row = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == gov.title)
        assert t.item(row, 1).text() == "1,0"
        assert t.item(row, 3).text() == fmt.score(score(ref, w.doc.snap.answers).domains["GOV"].score)
    finally:
        w.close()
