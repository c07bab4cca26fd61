"""Dashboard: radar of domain scores on a fixed 0–4 scale, completion, counts, strongest and
weakest domains, priority criteria; last year's assessment beside this one when it exists."""

from __future__ import annotations

from PySide6.QtCharts import QCategoryAxis, QChartView, QLineSeries, QPolarChart, QValueAxis
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QGroupBox, QHeaderView, QListWidget, QListWidgetItem,
    QPushButton, QScrollArea, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from ptce_toolkit import fmt
from ptce_toolkit.positioning import has_axes, position
from ptce_toolkit.scoring import score
from ui import synthesis
from ui.models.scores_model import DomainScoresModel
from ui.positioning_chart import PositioningChart
from ui.widgets import wrapped_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CURRENT_COLOUR, PREVIOUS_COLOUR = QColor("#1565c0"), QColor("#ef6c00")


class RadarChart(QChartView):
    """Polar chart with one closed line per assessment. Series and axes are handed to the
    chart (which owns them), and kept referenced here, so Python never frees them early."""

    def __init__(self, parent=None):
        self.chart_ = QPolarChart()
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(360, 320)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_.setMargins(self.chart_.margins() * 0)
        self.angular = QCategoryAxis()
        self.angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.angular.setRange(0, 360)
        self.radial = QValueAxis()
        self.radial.setRange(0, 4)  # fixed scale: a radar that rescales to the data misleads
        self.radial.setTickCount(5)
        self.radial.setLabelFormat("%.0f")
        self.chart_.addAxis(self.angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
        self.chart_.addAxis(self.radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
        self.series: list[QLineSeries] = []

    def set_data(self, titles: list[str], lines: list[tuple[str, list[float | None], QColor, bool]]) -> None:
        for s in self.series:
            self.chart_.removeSeries(s)
        self.series = []
        for label in list(self.angular.categoriesLabels()):
            self.angular.remove(label)
        n = len(titles)
        step = 360 / n
        self.angular.setStartValue(0)
        for i in range(1, n):
            self.angular.append(titles[i], i * step)
        self.angular.append(titles[0], 360)  # the first domain sits at the top (0° = 360°)
        for name, values, colour, dashed in lines:
            series = QLineSeries(self.chart_)
            series.setName(name)
            pen = QPen(colour, 3 if not dashed else 2)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            series.setPen(pen)
            series.setPointsVisible(True)
            points = [(i * step, v) for i, v in enumerate(values) if v is not None]
            for angle, value in points:
                series.append(angle, value)
            if points and points[0][0] == 0:
                series.append(360, points[0][1])  # close the polygon
            self.chart_.addSeries(series)
            series.attachAxis(self.angular)
            series.attachAxis(self.radial)
            self.series.append(series)


class DashboardPage(QWidget):
    actionRequested = Signal(str)     # criterion id
    criterionRequested = Signal(str)  # criterion id

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.radar = RadarChart(self)
        self.radar.setAccessibleName(self.tr("Radar des scores par domaine"))
        self.radar.viewport().setAccessibleName(self.tr("Radar des scores par domaine"))
        self.positioning = PositioningChart(self)
        self.charts = QTabWidget(self)
        self.charts.setAccessibleName(self.tr("Graphiques"))
        self.charts.addTab(self.radar, self.tr("Scores par domaine"))
        self.positioning_tab = self.charts.addTab(self.positioning, self.tr("Positionnement"))
        self.summary = wrapped_label("", self, point_delta=1)
        self.summary.setAccessibleName(self.tr("Synthèse"))
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        summary_box = QGroupBox(self.tr("Synthèse"), self)
        sl = QVBoxLayout(summary_box)
        # the synthesis grows with the evolution and reading lines: it scrolls on a small screen
        scroller = QScrollArea(summary_box)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setAccessibleName(self.tr("Synthèse"))
        holder = QWidget(scroller)
        hl = QVBoxLayout(holder)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.summary)
        hl.addStretch(1)
        scroller.setWidget(holder)
        sl.addWidget(scroller)

        self.scores_model = DomainScoresModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.scores_model)
        self.table.setAccessibleName(self.tr("Scores par domaine"))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        priority_box = QGroupBox(self.tr("Critères prioritaires"), self)
        pl = QVBoxLayout(priority_box)
        self.priorities = QListWidget(priority_box)
        self.priorities.setAccessibleName(self.tr("Critères prioritaires"))
        self.priorities.setWordWrap(True)
        self.priorities.itemActivated.connect(lambda it: self.criterionRequested.emit(it.data(ID_ROLE)))
        self.action_button = QPushButton(self.tr("Créer une action pour ce critère"), priority_box)
        self.action_button.clicked.connect(self._action_for_selected)
        pl.addWidget(self.priorities, 1)
        pl.addWidget(self.action_button)

        grid = QGridLayout(self)
        grid.addWidget(self.charts, 0, 0)
        grid.addWidget(summary_box, 0, 1)
        grid.addWidget(self.table, 1, 0)
        grid.addWidget(priority_box, 1, 1)
        from ui.network_benchmark import NetworkComparison

        self.network = NetworkComparison(self)  # hidden until a pack for this referential is imported
        grid.addWidget(self.network, 2, 0, 1, 2)
        from ui.trend_view import TrendView

        self.trend = TrendView(self)  # hidden below three assessments of the pole
        grid.addWidget(self.trend, 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        # hidden, the page waits for showEvent: no chart rebuilt on every key press elsewhere
        document.answerChanged.connect(lambda _c: self.isVisible() and self._timer.start())
        self.refresh()

    def _previous_scores(self):
        prev_ref = synthesis.previous_referential(self.doc)
        return None if prev_ref is None else score(prev_ref, self.doc.previous.answers)

    def refresh(self) -> None:
        ref = self.doc.ref
        scores = score(ref, self.doc.snap.answers)
        previous = self._previous_scores()
        titles = [d.short_title for d in ref.domains]
        current_title = self.doc.snap.assessment.title
        lines = []
        if previous is not None:
            lines.append((self.doc.previous.assessment.title,
                          [previous.domains[d.id].score if d.id in previous.domains else None for d in ref.domains],
                          PREVIOUS_COLOUR, True))
        lines.append((current_title, [scores.domains[d.id].score for d in ref.domains], CURRENT_COLOUR, False))
        self.radar.set_data(titles, lines)
        prev_ref = synthesis.previous_referential(self.doc)
        self.charts.setTabVisible(self.positioning_tab, has_axes(ref))
        self.positioning.set_data(
            position(ref, self.doc.snap.answers, prev_ref, self.doc.previous.answers if prev_ref else None),
            current_title, self.doc.previous.assessment.title if prev_ref else "")
        self.comparison = synthesis.comparison(self.doc)
        self.scores_model.set_scores(ref, scores, previous, current_title,
                                     self.doc.previous.assessment.title if previous else "", self.comparison)
        self.table.setColumnHidden(1, previous is None)
        self.table.setColumnHidden(3, previous is None)
        self.summary.setText(self._summary_html(scores, previous))
        self._fill_priorities(scores)
        self.network.refresh(ref, self.doc.snap.answers)
        self.trend.refresh(self.doc)

    def _summary_html(self, scores, previous) -> str:
        ref = self.doc.ref
        c = scores.counts
        overall = fmt.score(scores.overall)
        lines = [
            self.tr("Indice global : <b>%1</b> sur 4").replace("%1", overall),
            self.tr("Complétude : <b>%1</b>").replace("%1", fmt.percent(scores.completion)),
            self.tr("Réponses notées : %1 · sans objet : %2 · ne sait pas : %3 · sans réponse : %4")
            .replace("%1", str(c["answered"])).replace("%2", str(c["not_applicable"]))
            .replace("%3", str(c["unknown"])).replace("%4", str(c["unanswered"])),
        ]
        if previous is not None:
            lines += synthesis.evolution_lines(self.comparison, self.doc.previous.assessment.title)
        lines += synthesis.reading_lines(ref, scores, self.doc.snap.answers)

        def names(ids):
            return ", ".join(f"{ref.domain(i).short_title} ({fmt.score(scores.domains[i].score)})" for i in ids) or "—"

        lines.append(self.tr("Domaines les plus solides : %1").replace("%1", names(scores.strongest(3))))
        lines.append(self.tr("Domaines les plus fragiles : %1").replace("%1", names(scores.weakest(3))))
        return "<br><br>".join(lines)

    def _fill_priorities(self, scores) -> None:
        self.priorities.clear()
        for cid in scores.priority_criteria:
            crit = self.doc.ref.criterion(cid)
            item = QListWidgetItem(f"{cid} — {crit.statement}", self.priorities)
            item.setData(ID_ROLE, cid)
        if not scores.priority_criteria:
            self.priorities.addItem(self.tr("Aucun critère marqué prioritaire dans le parcours."))
        self.action_button.setEnabled(bool(scores.priority_criteria))
        if scores.priority_criteria:
            self.priorities.setCurrentRow(0)

    def _action_for_selected(self) -> None:
        item = self.priorities.currentItem()
        if item is not None and item.data(ID_ROLE):
            self.actionRequested.emit(item.data(ID_ROLE))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

