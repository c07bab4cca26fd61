"""Building blocks shared by the report's sections: what a section reads, headings that
feed the PDF outline, and the report's table styles."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from exports.pdf_fonts import BOLD, REGULAR
from exports.pdf_styles import (ACCENT, ACCENT_LIGHT, FRAME_H, FRAME_W, RULE, markup, para, paragraph_class, plain,
                                styles)


@dataclass
class ReportContext:
    """Everything a section needs, read and scored once (``write_report`` builds it)."""

    snap: object  # snapshot.Snapshot
    ref: object  # referential.Referential
    scores: object  # scoring.Scores
    anonymous: bool = False
    previous: object | None = None  # the pole's previous Snapshot, if any
    previous_ref: object | None = None
    previous_scores: object | None = None
    history: list = field(default_factory=list)  # the pole's assessments up to this one (see trend.history_of)
    generated_on: date = field(default_factory=date.today)

    def domain_number(self, domain_id: str) -> int:
        return [d.id for d in self.ref.domains].index(domain_id) + 1

    def quadrant_title(self, code: str) -> str:
        return self.ref.quadrants[code].title

    def option_numbers(self) -> dict[str, int]:
        return {o.uuid: i for i, o in enumerate(self.snap.options, 1)}

    def action_numbers(self) -> dict[str, int]:
        return {a.uuid: i for i, a in enumerate(self.snap.actions, 1)}


_keys = itertools.count(1)


def _outline_entry(canv, key: str, title: str, level: int, y: float) -> None:
    """Bookmark this spot under ``title``: through the report canvas' ``mark`` (see
    pdf_report.NumberedCanvas), directly on any other canvas."""
    if hasattr(canv, "mark"):
        canv.mark(key, title, level, 0, y)
    else:
        canv.bookmarkHorizontal(key, 0, y)
        canv.addOutlineEntry(title, key, level=level, closed=level > 0)


def _heading_class():
    class Heading(paragraph_class()):
        """A heading that adds itself to the PDF outline where it is drawn (``level`` None: no
        entry). It never splits, and goes to the next page unless ``reserve`` points of
        room remain under it: unlike keepWithNext, a long table after it still starts here."""

        def __init__(self, text_markup, style, outline_title, level, reserve):
            super().__init__(text_markup, style)
            self.outline = (outline_title, level, f"s{next(_keys)}")
            self.reserve = reserve

        def wrap(self, availWidth, availHeight):
            w, h = super().wrap(availWidth, availHeight)
            if h + self.reserve > availHeight and availHeight < FRAME_H - 1:  # (never at the top of a page)
                return w, availHeight + 1  # "does not fit": the frame moves on (split gives nothing)
            return w, h

        def split(self, availWidth, availHeight):
            return []

        def draw(self):
            title, level, key = self.outline
            if level is not None:
                _outline_entry(self.canv, key, title, level, self.height + 4)
            super().draw()

    return Heading


def anchor(title: str, level: int = 0):
    """An invisible outline entry (e.g. « Résultats par domaine », parent of the domain pages)."""
    from reportlab.platypus import Flowable

    class Anchor(Flowable):
        def __init__(self):
            super().__init__()
            self.key = f"s{next(_keys)}"

        def wrap(self, availWidth, availHeight):
            return 0, 0

        def draw(self):
            _outline_entry(self.canv, self.key, plain(title), level, 4)

    return Anchor()


def heading(text: str, style: str = "h1", level: int | None = 0, reserve: float = 90):
    """Heading from plain text, listed in the PDF outline at ``level``."""
    return _heading_class()(markup(text), styles()[style], plain(text), level, reserve)


def subheading(text: str, reserve: float = 60):
    """A smaller heading (not in the outline) that keeps room for what follows."""
    return heading(text, "h2", None, reserve)


def plain_table(data, widths, cmds=(), **kw):
    """A Table in the report's font: a cell's own default is Helvetica, which would then be
    named in the PDF without being embedded."""
    from reportlab.platypus import Table

    t = Table(data, colWidths=widths, style=[("FONTNAME", (0, 0), (-1, -1), REGULAR), *cmds], **kw)
    t.hAlign = "LEFT"
    return t


def table_style(header_rows: int = 1, zebra: bool = True, extra=()):
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.4, colors.HexColor(RULE)),
    ]
    if header_rows:
        cmds += [("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor(ACCENT)),
                 ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD)]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, colors.HexColor("#f4f7f8")]))
    return TableStyle(cmds + list(extra))


def data_table(header: list[str], rows: list[list], widths: list[float], extra_style=(), centred=()):
    """A full-width table whose header repeats on each page it spans; a tall row may split.

    ``widths`` are relative; ``centred`` lists the columns whose header is centred."""
    from reportlab.platypus import Table

    head = [para(markup(h), "head_c" if i in centred else "head") for i, h in enumerate(header)]
    widths = [w * FRAME_W / sum(widths) for w in widths]

    def make(split_in_row):
        t = Table([head] + rows, colWidths=widths, repeatRows=1, splitInRow=split_in_row,
                  style=table_style(extra=extra_style))
        t.hAlign = "LEFT"
        return t

    # Split inside a row only when one is too tall for a page: ReportLab 5.1 otherwise
    # sometimes repeats the header in the middle of a page.
    t = make(0)
    t.wrap(FRAME_W, FRAME_H)
    return make(1) if max(t._rowHeights) > FRAME_H * 0.6 else t


def bar(value: float | None, width: float = 60, height: float = 7, scale_max: float = 4, colour: str = ACCENT,
        track: str = ACCENT_LIGHT):
    """A small horizontal bar on the 0–4 scale (only the track when there is no score)."""
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    d = Drawing(width, height + 2, initialFontName=REGULAR)  # else Helvetica is named in the file
    d.add(Rect(0, 1, width, height, fillColor=colors.HexColor(track), strokeColor=None))
    if value is not None:
        d.add(Rect(0, 1, width * max(0.0, min(value, scale_max)) / scale_max, height,
                   fillColor=colors.HexColor(colour), strokeColor=None))
    return d
