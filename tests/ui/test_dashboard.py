"""Dashboard: fixed 0–4 radar with both years, counts, differences, priority criteria."""

from __future__ import annotations

import pytest

from ptce_toolkit import services as sv
from tests.helpers.qt import open_window, undo
from ui.pages.dashboard import ID_ROLE


@pytest.fixture
def window(shared_window):
    """One window for this module's tests (each starts on the demo as stored: SharedWindow)."""
    return shared_window


def dashboard(window):
    window.show_page(5)
    return window.pages["dashboard"]


def test_scores_model_passes_qtmodeltester(window, qtmodeltester):
    qtmodeltester.check(dashboard(window).scores_model)


def test_radar_fixed_scale_and_both_years(window):
    page = dashboard(window)
    radar = page.radar
    assert (radar.radial.min(), radar.radial.max()) == (0, 4)
    names = [s.name() for s in radar.series]
    assert names == ["Diagnostic 2025", "Diagnostic 2026"]
    current = radar.series[1]
    # 9 domains, the first repeated at 360° to close the line
    assert current.count() == 10
    # Finalités (first domain) in the demo: FIN.1..5 rated 3, 3, 2, 2, 1 -> 2.2; a year earlier FIN.1 was 2 -> 2.0
    assert current.at(0).y() == pytest.approx(2.2)
    assert radar.series[0].at(0).y() == pytest.approx(2.0)
    row = [page.scores_model.index(0, c).data() for c in range(5)]
    assert row[:4] == ["Finalités", "2,0", "2,2", "▲ +0,2"]


def test_counts_and_priorities(window):
    page = dashboard(window)
    text = page.summary.text()
    # demo: COO.6 and INN.2 sans objet, ECO.5 and RES.4 ne sait pas, 44 numeric answers
    assert "sans objet\u00a0: 2" in text and "ne sait pas\u00a0: 2" in text and "notées\u00a0: 44" in text
    listed = {page.priorities.item(i).data(ID_ROLE) for i in range(page.priorities.count())}
    assert listed == {"GOV.4", "EVA.1", "ECO.2", "ACT.2"}


def test_dashboard_follows_answers_and_undo(window, qtbot):
    page = dashboard(window)
    window.doc.set_answer("FIN.5", level=4)  # 3, 3, 2, 2, 4 -> 2.8
    qtbot.waitUntil(lambda: page.radar.series[1].at(0).y() == pytest.approx(2.8))
    undo(window)
    qtbot.waitUntil(lambda: page.radar.series[1].at(0).y() == pytest.approx(2.2))


def test_action_from_priority_criterion_on_dashboard(window):
    db = window.test_db
    page = dashboard(window)
    page.priorities.setCurrentRow(1)
    cid = page.priorities.currentItem().data(ID_ROLE)
    page.action_button.click()
    assert window.tabs.currentWidget() is window.pages["actions"]
    assert sv.get_action(db, window.pages["actions"].selected_uuid).criteria == [cid]


def test_without_previous_assessment_only_one_line(qtbot, db):
    pole = sv.create_pole(db, "Pôle neuf").created
    a = sv.create_assessment(db, pole).created
    sv.set_answer(db, a, "FIN.1", level=3)
    window = open_window(qtbot, db.path, a)
    page = dashboard(window)
    assert [s.name() for s in page.radar.series] == [window.doc.snap.assessment.title]
    assert page.table.isColumnHidden(1) and page.table.isColumnHidden(3)
    window.close()


def test_positioning_chart_coordinates_by_hand(window, qtbot):
    page = dashboard(window)
    page.charts.setCurrentWidget(page.positioning)
    chart = page.positioning
    # demo, referential 1.0.0 — learning: INN.3 1, INN.5 2, EVA.1 0, EVA.3 1, ACT.4 1 -> 5/5 = 1.0;
    # interaction: ACT.2 1, ACT.3 3, COO.2 3, COO.5 4, TER.4 2 -> 13/5 = 2.6
    assert chart.positioning.current == (pytest.approx(2.6), pytest.approx(1.0))
    # a year earlier COO.2 was 2 and TER.4 was 1 -> interaction 11/5 = 2.2, learning unchanged
    assert chart.positioning.previous == (pytest.approx(2.2), pytest.approx(1.0))
    assert chart.positioning.quadrant == "ecosystem"  # strong ties, learning still to build
    text = chart.describe()
    assert "interaction 2,6, apprentissage 1,0 (Écosystème coopératif)" in text and "Diagnostic 2025" in text
    chart.grab()  # paints without error
    window.doc.set_answer("EVA.1", level=4)  # learning 9/5 = 1.8
    qtbot.waitUntil(lambda: chart.positioning.current[1] == pytest.approx(1.8))
    undo(window)
    qtbot.waitUntil(lambda: chart.positioning.current[1] == pytest.approx(1.0))
