"""Radar of domain scores on a fixed 0–4 scale, with rings, for the summary page.

ReportLab's SpiderChart scales to the largest value and draws no rings; ``FixedScaleSpider``
keeps its geometry (spokes, labels) and draws the rings and the series itself so that a
domain with no numeric answer leaves a gap instead of dropping to 0.
"""

from __future__ import annotations

from math import cos, pi, sin

from exports.pdf_fonts import BOLD, REGULAR
from exports.pdf_styles import ACCENT, MUTED, PREVIOUS, RULE

SCALE_MAX = 4


def _spider_class():
    from reportlab.graphics.charts.spider import SpiderChart
    from reportlab.lib.attrmap import AttrMap, AttrMapValue
    from reportlab.lib.validators import isNumber

    class FixedScaleSpider(SpiderChart):
        """SpiderChart on 0..``scale_max`` with rings; ``series`` = [(values with None, colour, dashed, filled)]."""

        _attrMap = AttrMap(BASE=SpiderChart, scale_max=AttrMapValue(isNumber, desc="outer ring value"),
                           series=AttrMapValue(None, desc="series drawn by this class"))

        def __init__(self, scale_max: int = SCALE_MAX):
            super().__init__()
            self.scale_max = scale_max
            self.series: list[tuple[list, str, bool, bool]] = []

        def normalizeData(self, outer=0.0):
            self._norm = float(self.scale_max)
            return [[(v or 0) / self._norm for v in row] for row in self.data]

        def _point(self, i, n, value):
            angle = (self.startAngle * pi / 180) - i * 2 * pi / n
            r = self._radius * value / self.scale_max
            return self._cx + r * cos(angle), self._cy + r * sin(angle)

        def draw(self):
            from reportlab.graphics.shapes import Circle, Group, Polygon, PolyLine, String
            from reportlab.lib import colors

            n = len(self.labels)
            self.data = [[0] * n]
            self.strands[0].strokeColor = None  # the parent draws spokes and labels only
            self.strands[0].fillColor = None
            self._radius = min(self.width, self.height) / 2
            self._cx, self._cy = self.x + self.width / 2, self.y + self.height / 2
            g = Group()
            for ring in range(1, self.scale_max + 1):
                pts = [c for i in range(n) for c in self._point(i, n, ring)]
                g.add(Polygon(pts, fillColor=None, strokeColor=colors.HexColor(RULE),
                              strokeWidth=0.8 if ring == self.scale_max else 0.5))
            g.add(super().draw())
            # ring values along the bisector of the first two spokes, clear of the labels
            for ring in range(0, self.scale_max + 1):
                x, y = self._point(0.5, n, ring * cos(pi / n))
                g.add(String(x - 1.8, y - 2.2, str(ring), fontName=REGULAR, fontSize=6.5,
                             fillColor=colors.HexColor(MUTED)))
            for values, colour, dashed, filled in self.series:
                col = colors.HexColor(colour)
                pts = [self._point(i, n, v) if v is not None else None for i, v in enumerate(values)]
                if filled and all(p is not None for p in pts):
                    g.add(Polygon([c for p in pts for c in p], fillColor=col, fillOpacity=0.18, strokeColor=None))
                # a line between each pair of neighbours that both have a score
                for i in range(n):
                    a, b = pts[i], pts[(i + 1) % n]
                    if a is not None and b is not None and n > 1:
                        g.add(PolyLine([*a, *b], strokeColor=col, strokeWidth=1.6 if not dashed else 1.1,
                                       strokeDashArray=(3, 2) if dashed else None))
                for p in pts:
                    if p is not None:
                        g.add(Circle(p[0], p[1], 2.2 if not dashed else 1.6, fillColor=col, strokeColor=None))
            return g

    return FixedScaleSpider


def radar(labels: list[str], current: list[float | None], previous: list[float | None] | None = None,
          width: float = 290):
    """A Drawing ``width`` points wide; ``previous`` adds last assessment's line (dashed)."""
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    spider = _spider_class()()
    side, top = 62, 24  # room for the spoke labels: wide ones left and right, one line above and below
    diameter = width - 2 * side
    spider.x, spider.y = side, top
    spider.width = spider.height = diameter
    spider.labels = labels
    spider.spokes.strokeColor = colors.HexColor(RULE)
    spider.spokes.strokeWidth = 0.5
    spider.spokes.labelRadius = 1.1
    spider.spokeLabels.fontName = BOLD
    spider.spokeLabels.fontSize = 7.5
    spider.spokeLabels.fillColor = colors.HexColor("#1f2a30")
    if previous is not None:
        spider.series.append((previous, PREVIOUS, True, False))
    spider.series.append((current, ACCENT, False, True))
    d = Drawing(width, diameter + 2 * top, initialFontName=REGULAR)
    d.add(spider)
    return d
