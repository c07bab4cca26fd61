"""The learning × interaction positioning chart (DOMAIN.md §7, docs/METHODE.md) as a
ReportLab Drawing: a fixed 0–4 square split in four named quadrants, the pole as a point,
the previous assessment as the origin of an arrow."""

from __future__ import annotations

from math import atan2, cos, sin

from exports.pdf_fonts import BOLD, REGULAR
from exports.pdf_layout import ReportContext, heading
from exports.pdf_styles import ACCENT, INK, MUTED, PREVIOUS, RULE, markup, para
from ptce_toolkit import fmt
from ptce_toolkit.positioning import MIDPOINT, has_axes, position
from ptce_toolkit.vocabulary import POSITION_AXIS_LABELS, POSITION_QUADRANT_LABELS

SIDE = 250  # points: the plotting square
# quadrant code: (right half?, top half?)
CORNERS = {"district": (0, 0), "technopole": (0, 1), "milieu": (1, 1), "ecosystem": (1, 0)}


def drawing(current, previous=None, current_title: str = "", previous_title: str = ""):
    """A Drawing of the chart; ``current`` and ``previous`` are (interaction, learning) or None."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors

    left, bottom, legend_w = 34, 34, 150
    d = Drawing(left + SIDE + 14 + legend_w, bottom + SIDE + 8, initialFontName=REGULAR)

    def at(x, y):
        return left + SIDE * x / 4, bottom + SIDE * y / 4

    grey, muted = colors.HexColor(RULE), colors.HexColor(MUTED)
    d.add(Rect(left, bottom, SIDE, SIDE, fillColor=colors.HexColor("#fafafa"), strokeColor=grey, strokeWidth=0.8))
    mx, my = at(MIDPOINT, MIDPOINT)
    d.add(Line(mx, bottom, mx, bottom + SIDE, strokeColor=grey, strokeDashArray=(3, 2)))
    d.add(Line(left, my, left + SIDE, my, strokeColor=grey, strokeDashArray=(3, 2)))
    for code, (right, top) in CORNERS.items():
        label = POSITION_QUADRANT_LABELS[code]
        lines = label.split("\u00a0: ", 1)
        lines = [lines[0] + "\u00a0:", lines[1]] if len(lines) == 2 else lines
        x = left + (SIDE - 5 if right else 5)
        y = bottom + (SIDE - 12 if top else 6 + 9 * (len(lines) - 1))
        for i, text in enumerate(lines):
            d.add(String(x, y - 9 * i, text, fontName=BOLD if i == 0 else REGULAR, fontSize=7.5, fillColor=muted,
                         textAnchor="end" if right else "start"))
    for v in range(5):
        x, _y = at(v, 0)
        d.add(String(x, bottom - 10, str(v), fontName=REGULAR, fontSize=7, fillColor=muted, textAnchor="middle"))
        _x, y = at(0, v)
        d.add(String(left - 6, y - 2.5, str(v), fontName=REGULAR, fontSize=7, fillColor=muted, textAnchor="end"))
    d.add(String(left + SIDE / 2, 4, POSITION_AXIS_LABELS["interaction"], fontName=REGULAR, fontSize=8.5,
                 fillColor=colors.HexColor(INK), textAnchor="middle"))
    ylab = String(0, 0, POSITION_AXIS_LABELS["learning"], fontName=REGULAR, fontSize=8.5,
                  fillColor=colors.HexColor(INK), textAnchor="middle")
    from reportlab.graphics.shapes import Group

    g = Group(ylab)
    g.transform = (0, 1, -1, 0, 12, bottom + SIDE / 2)  # rotated 90° counter-clockwise
    d.add(g)
    accent, prev_col = colors.HexColor(ACCENT), colors.HexColor(PREVIOUS)
    lx, ly = left + SIDE + 14, bottom + SIDE - 10
    if current is None:
        d.add(String(left + SIDE / 2, bottom + SIDE / 2, "Pas de réponse notée sur les deux axes.",
                     fontName=REGULAR, fontSize=8, fillColor=muted, textAnchor="middle"))
        return d
    ex, ey = at(*current)
    if previous is not None:
        sx, sy = at(*previous)
        d.add(Circle(sx, sy, 3.5, fillColor=colors.white, strokeColor=prev_col, strokeWidth=1.4))
        if abs(ex - sx) + abs(ey - sy) > 6:
            d.add(Line(sx, sy, ex, ey, strokeColor=prev_col, strokeWidth=1.4))
            angle = atan2(ey - sy, ex - sx)
            pts = [ex, ey] + [c for a in (-0.4, 0.4)
                              for c in (ex - cos(angle + a) * 8, ey - sin(angle + a) * 8)]
            d.add(Polygon(pts, fillColor=prev_col, strokeColor=None))
    d.add(Circle(ex, ey, 4.5, fillColor=accent, strokeColor=colors.white, strokeWidth=0.8))
    rows = [(current_title, True)] + ([(previous_title, False)] if previous is not None else [])
    for title, filled in rows:
        d.add(Circle(lx + 4, ly + 3, 3.5, fillColor=accent if filled else colors.white,
                     strokeColor=accent if filled else prev_col, strokeWidth=1.2))
        d.add(String(lx + 12, ly, title[:32], fontName=REGULAR, fontSize=8, fillColor=colors.HexColor(INK)))
        ly -= 14
    return d


def positioning_section(ctx: ReportContext) -> list:
    ref = ctx.ref
    if not has_axes(ref):
        return []
    prev_ref = ctx.previous_ref if ctx.previous is not None else None
    pos = position(ref, ctx.snap.answers, prev_ref, ctx.previous.answers if prev_ref is not None else None)
    if pos.current is None:
        return []  # nothing to place yet: an empty report stays short
    out = [heading("Positionnement\u00a0: apprentissage et interaction", reserve=SIDE + 140),
           para(markup("Chaque axe est la moyenne des critères que le référentiel lui attribue "
                       "(voir l’annexe de méthode). Le carré est coupé au milieu de l’échelle."), "muted")]
    title = ctx.snap.assessment.title
    prev_title = ctx.previous.assessment.title if pos.previous is not None else ""
    out.append(drawing(pos.current, pos.previous, title, prev_title))
    if pos.current is not None:
        x, y = pos.current
        text = (f"« {title} »\u00a0: interaction {fmt.score(x)}, apprentissage {fmt.score(y)}, "
                f"quadrant « {POSITION_QUADRANT_LABELS[pos.quadrant]} ».")
        if pos.previous is not None:
            text += (f" « {prev_title} »\u00a0: interaction {fmt.score(pos.previous[0])}, "
                     f"apprentissage {fmt.score(pos.previous[1])}.")
        out.append(para(markup(text), "body"))
    return out
