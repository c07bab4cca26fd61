"""Positioning chart on the dashboard: interaction (x) × learning (y) on a fixed 0–4 square,
the four quadrants named, the pole as a point, the previous assessment as the arrow's origin.
Painted by hand: QtCharts has no text annotations anchored in data coordinates."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ptce_toolkit import fmt
from ptce_toolkit.positioning import MIDPOINT, Positioning
from ptce_toolkit.vocabulary import POSITION_AXIS_LABELS, POSITION_QUADRANT_LABELS
from ui.translation import tr, tr_vocabulary

CURRENT_COLOUR, PREVIOUS_COLOUR = QColor("#1565c0"), QColor("#ef6c00")
# quadrant code: (left or right half, top or bottom half)
CORNERS = {"district": (0, 0), "technopole": (0, 1), "milieu": (1, 1), "ecosystem": (1, 0)}


class PositioningChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.positioning = Positioning(None, None)
        self.current_title = self.previous_title = ""
        self.setMinimumSize(320, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(tr("Positionnement apprentissage × interaction"))

    def set_data(self, positioning: Positioning, current_title: str, previous_title: str = "") -> None:
        self.positioning, self.current_title, self.previous_title = positioning, current_title, previous_title
        self.setAccessibleDescription(self.describe())
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        p = self.positioning
        if p.current is None:
            return tr("Positionnement indisponible : il faut au moins une réponse notée sur chaque axe.")
        x, y = p.current
        text = tr("%1\u00a0: interaction %2, apprentissage %3 (%4).").replace("%1", self.current_title) \
            .replace("%2", fmt.score(x)).replace("%3", fmt.score(y)) \
            .replace("%4", tr_vocabulary(POSITION_QUADRANT_LABELS[p.quadrant]))
        if p.previous is not None:
            text += " " + tr("%1\u00a0: interaction %2, apprentissage %3.").replace("%1", self.previous_title) \
                .replace("%2", fmt.score(p.previous[0])).replace("%3", fmt.score(p.previous[1]))
        return text

    def plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left, bottom = fm.height() * 2 + 6, fm.height() * 2 + 6
        side = min(self.width() - left - 8, self.height() - bottom - 8)
        return QRectF(left, 6, max(side, 10), max(side, 10))

    def to_pixel(self, x: float, y: float) -> QPointF:
        r = self.plot_rect()
        return QPointF(r.left() + r.width() * x / 4, r.bottom() - r.height() * y / 4)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.plot_rect()
        fm = self.fontMetrics()
        p.fillRect(r, QColor("#fafafa"))
        p.setPen(QPen(QColor("#9e9e9e"), 1))
        p.drawRect(r)
        mid = self.to_pixel(MIDPOINT, MIDPOINT)
        p.setPen(QPen(QColor("#9e9e9e"), 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(mid.x(), r.top()), QPointF(mid.x(), r.bottom()))
        p.drawLine(QPointF(r.left(), mid.y()), QPointF(r.right(), mid.y()))
        # quadrant names, in each quadrant's outer corner
        p.setPen(QColor("#616161"))
        half = QRectF(0, 0, r.width() / 2 - 8, r.height() / 2 - 8)
        for code, (right, top) in CORNERS.items():
            box = QRectF(half)
            box.moveTopLeft(QPointF(r.left() + 4 + right * r.width() / 2, r.top() + 4 + (1 - top) * r.height() / 2))
            align = (Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft) | \
                (Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignBottom)
            p.drawText(box, align.value | Qt.TextFlag.TextWordWrap.value, tr_vocabulary(POSITION_QUADRANT_LABELS[code]))
        # scale and axis titles
        p.setPen(QColor("#424242"))
        for v in range(5):
            pt = self.to_pixel(v, 0)
            p.drawText(QRectF(pt.x() - 10, r.bottom() + 2, 20, fm.height()), int(Qt.AlignmentFlag.AlignCenter), str(v))
            pt = self.to_pixel(0, v)
            p.drawText(QRectF(r.left() - fm.height() - 4, pt.y() - fm.height() / 2, fm.height(), fm.height()),
                       int(Qt.AlignmentFlag.AlignCenter), str(v))
        p.drawText(QRectF(r.left(), r.bottom() + fm.height() + 2, r.width(), fm.height() + 4),
                   int(Qt.AlignmentFlag.AlignCenter), tr_vocabulary(POSITION_AXIS_LABELS["interaction"]))
        p.save()
        p.translate(2, r.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-r.height() / 2, 0, r.height(), fm.height() + 4), int(Qt.AlignmentFlag.AlignCenter),
                   tr_vocabulary(POSITION_AXIS_LABELS["learning"]))
        p.restore()
        now, before = self.positioning.current, self.positioning.previous
        if now is None:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value,
                       tr("Pas encore de réponse notée sur les deux axes."))
            return
        end = self.to_pixel(*now)
        if before is not None:
            start = self.to_pixel(*before)
            p.setPen(QPen(PREVIOUS_COLOUR, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(start, 5, 5)
            if (end - start).manhattanLength() > 8:
                p.drawLine(start, end)
                angle = math.atan2(end.y() - start.y(), end.x() - start.x())
                head = QPolygonF([end - QPointF(math.cos(angle - a) * 12, math.sin(angle - a) * 12)
                                  for a in (-0.4, 0.4)] + [end])
                path = QPainterPath()
                path.addPolygon(head)
                p.fillPath(path, PREVIOUS_COLOUR)
        p.setPen(QPen(CURRENT_COLOUR.darker(), 1))
        p.setBrush(CURRENT_COLOUR)
        p.drawEllipse(end, 6, 6)
        self._legend(p, r, before is not None)

    def _legend(self, p: QPainter, r: QRectF, with_previous: bool) -> None:
        """Who is who, right of the square (when the widget is wide enough)."""
        fm = self.fontMetrics()
        x, y = r.right() + 12, r.top() + fm.height()
        width = self.width() - x - 4
        if width < 60:
            return
        rows = [(self.current_title, True)] + ([(self.previous_title, False)] if with_previous else [])
        for title, filled in rows:
            p.setPen(QPen(CURRENT_COLOUR.darker() if filled else PREVIOUS_COLOUR, 2 if not filled else 1))
            p.setBrush(CURRENT_COLOUR if filled else Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x + 6, y - fm.ascent() / 2 + 1), 5, 5)
            p.setPen(QColor("#212121"))
            p.drawText(QRectF(x + 16, y - fm.ascent(), width - 16, fm.height() * 2),
                       Qt.AlignmentFlag.AlignLeft.value | Qt.TextFlag.TextWordWrap.value, title)
            y += fm.height() * 2 + 4
