"""Dashboard section « Évolution sur plusieurs années »: with three assessments of the pole or
more, each domain's score and the overall index per assessment (ptce_toolkit.trend: like for
like, through the crosswalk when versions differ). Hidden below three."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from ptce_toolkit import fmt, trend
from ui.translation import tr

MAX_COLUMNS = 6


class TrendView(QGroupBox):
    def __init__(self, parent=None):
        super().__init__(tr("Évolution sur plusieurs années"), parent)
        self.table = QTableWidget(0, 1, self)
        self.table.setAccessibleName(tr("Scores par domaine au fil des diagnostics"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self._earlier: list | None = None  # the earlier assessments do not change while this one is open
        self.setVisible(False)

    def refresh(self, doc) -> None:
        if self._earlier is None:
            with doc.db.connection() as conn:
                self._earlier = trend.history_of(conn.connection.driver_connection, doc.uuid)[:-1]
        a = doc.snap.assessment
        points = trend.trend(doc.ref, self._earlier + [(a.title, a.started_on, doc.ref, doc.snap.answers)])
        points = points[-MAX_COLUMNS:]
        self.setVisible(len(points) >= trend.MIN_POINTS)
        if len(points) < trend.MIN_POINTS:
            return
        t = self.table
        t.setColumnCount(len(points) + 1)
        t.setHorizontalHeaderLabels([tr("Domaine")] + [(p.started_on or "")[:4] or p.title for p in points])
        keys = [(d.id, d.title) for d in doc.ref.domains] + [(None, tr("Indice global"))]
        t.setRowCount(len(keys))
        for r, (key, title) in enumerate(keys):
            t.setItem(r, 0, QTableWidgetItem(title))
            for c, p in enumerate(points, 1):
                t.setItem(r, c, QTableWidgetItem(fmt.score(p.overall if key is None else p.domains.get(key))))
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
