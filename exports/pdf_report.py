"""The PDF diagnostic report of one assessment (ReportLab Platypus, no Qt).

``write_report(db, uuid, path, anonymous=False, progress=None)`` reads the assessment once,
scores it once, lays out the sections (see pdf_sections, pdf_domains, pdf_swot) and writes
the file atomically. ``anonymous=True`` is the version for sharing outside the pole: no
comments, evidence, sources or narrative, and no one's name (facilitator, participants,
action owners).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from exports.pdf_fonts import BOLD, REGULAR, register_fonts
from exports.pdf_layout import ReportContext
from exports.pdf_styles import (ACCENT, CM, FRAME_H, FRAME_W, MARGIN_BOTTOM, MARGIN_X, MUTED, PAGE_H, PAGE_W, RULE,
                                plain)

Progress = Callable[[int, int, str], None]


@contextmanager
def reading(db) -> Iterator[sqlite3.Connection]:
    """A sqlite3 connection to read from: ``db`` itself when it is one (the fast command-line
    path, no SQLAlchemy), else a short transaction on the Database's engine (the GUI)."""
    if isinstance(db, sqlite3.Connection):
        yield db
    else:
        with db.connection() as conn:
            yield conn.connection.driver_connection


def command_line_setup() -> None:
    """For ``ptce report``: pay only for what the report uses (call it before ReportLab is
    imported; one thread: Python 3.11's lazy loader is not thread-safe). The application, which
    imports once for its whole session and whose tests keep ReportLab's checks on, does without.

    - Pillow: ReportLab's ``lib.utils`` imports ``PIL.Image`` (≈ 12 ms) although the report draws
      no raster image; it gets a module that loads on first use.
    - ``reportlab.platypus.paragraph`` compiles at import a URL pattern (≈ 20 ms, the costliest
      line of ReportLab's import) that serves only to hyphenate URLs (``uriWasteReduce``, off);
      it gets a pattern compiled on first use.
    - ``rl_config.shapeChecking`` off: the charts' attributes are no longer validated at every
      assignment (a check for whoever writes chart code, ≈ 5 % of a report's layout); the same
      code runs checked in the application and the tests."""
    import sys

    if "reportlab.platypus.paragraph" in sys.modules:
        return
    _defer_pillow()  # first: importing rl_config already imports PIL.Image
    from reportlab import rl_config

    rl_config.shapeChecking = 0  # read by graphics.shapes when imported, and by attrmap at each set
    import re

    real = re.compile

    def compile_uri_pattern_lazily(pattern, flags=0):
        if isinstance(pattern, str) and pattern.startswith(_URI_PATTERN_START):
            return _LazyPattern(real, pattern, flags)
        return real(pattern, flags)

    re.compile = compile_uri_pattern_lazily
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = real


_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"  # ReportLab's uri_pat (from Django's URL validator)


class _LazyPattern:
    """A compiled regular expression that is compiled when first used."""

    def __init__(self, compile_, pattern: str, flags: int):
        self._compile, self.pattern, self._flags, self._compiled = compile_, pattern, flags, None

    def __getattr__(self, name):
        if self._compiled is None:
            self._compiled = self._compile(self.pattern, self._flags)
        return getattr(self._compiled, name)


def _defer_pillow() -> None:
    import sys

    if "PIL.Image" in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    setattr(sys.modules["PIL"], "Image", module)


def load_context(db, assessment_uuid: str, *, anonymous: bool = False) -> ReportContext:
    """Read the assessment, its referential and scores, and the pole's previous assessment.

    ``db``: a Database or a sqlite3 connection (see ``reading``)."""
    from ptce_toolkit import quickread, referential, scoring

    with reading(db) as con:
        snap = quickread.load_snapshot(con, assessment_uuid)
        prev_uuid = quickread.previous_assessment(con, assessment_uuid)
        prev = quickread.load_snapshot(con, prev_uuid) if prev_uuid else None
        from ptce_toolkit import trend

        history = trend.history_of(con, assessment_uuid)
    ref = referential.registry().get(snap.assessment.referential_id, snap.assessment.referential_version)
    ctx = ReportContext(snap, ref, scoring.score(ref, snap.answers), anonymous=anonymous, history=history)
    if prev is not None:
        try:
            prev_ref = referential.registry().get(prev.assessment.referential_id, prev.assessment.referential_version)
        except referential.ReferentialError:
            prev_ref = None  # its referential is not installed here: no comparison rather than a wrong one
        if prev_ref is not None:
            ctx.previous, ctx.previous_ref = prev, prev_ref
            ctx.previous_scores = scoring.score(prev_ref, prev.answers)
    return ctx


def sections(ctx: ReportContext) -> list[tuple[str, Callable[[ReportContext], list]]]:
    from exports import pdf_domains, pdf_positioning, pdf_sections, pdf_swot, pdf_workshop

    from exports import pdf_honest, pdf_network, pdf_trend

    steps = [("Couverture", pdf_sections.cover), ("Synthèse", pdf_sections.summary),
             ("Lecture des scores", pdf_honest.reading), ("Profil du pôle", pdf_sections.profile)]
    for i, d in enumerate(ctx.ref.domains):
        steps.append((f"Domaine «\u00a0{d.short_title}\u00a0»", partial(pdf_domains.domain_section, d=d, first=i == 0)))
    steps.append(("Positionnement", pdf_positioning.positioning_section))
    steps += [("Grille AFOM", pdf_swot.swot_grid), ("Options stratégiques", pdf_swot.options),
              ("Plan d’action", pdf_swot.action_plan)]
    if ctx.snap.participants:  # workshop mode; a solo diagnostic has no session section
        steps.append(("Séance de travail collective", pdf_workshop.workshop_section))
    steps += [("Repères du réseau", pdf_network.network_position), ("Évolution", pdf_domains.comparison),
              ("Évolution sur plusieurs années", pdf_trend.trend_section),
              ("Annexe\u00a0: méthode", pdf_domains.method_annex)]
    return steps


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits ``width`` (running header)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)  # longest prefix that fits with the ellipsis (bisection: a name may be long)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def _canvas_class(footer_left: str):
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Keeps each page until the end so the footer can say « page x / y ».

        Pages only reach the PDF in ``save``, so outline entries are kept with their page
        (``mark``) and registered then: made while drawing, they would all point to page 1."""

        def __init__(self, *args, **kw):
            # BaseDocTemplate passes None, and the canvas then names Helvetica (unembedded) in the file
            kw["initialFontName"] = kw.get("initialFontName") or REGULAR
            kw["lang"] = "fr-FR"
            super().__init__(*args, **kw)
            self._pages: list[dict] = []
            self._marks: list[tuple] = []
            self.plain_page = False

        def mark(self, key: str, title: str, level: int, x: float, y: float):
            """Outline entry ``title`` pointing here (``x``, ``y`` in the current coordinates)."""
            left, top = self.absolutePosition(x, y)
            self._marks.append((key, title, level, left, top))

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for key, title, level, left, top in self._marks:
                    self.bookmarkHorizontalAbsolute(key, top, left=left)
                    self.addOutlineEntry(title, key, level=level, closed=level > 0)
                if not self.plain_page:
                    self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int):
            from reportlab.lib import colors

            y = MARGIN_BOTTOM - 0.9 * CM
            self.setFont(REGULAR, 7.5)
            self.setFillColor(colors.HexColor(MUTED))
            self.drawString(MARGIN_X, y, footer_left)
            self.drawRightString(PAGE_W - MARGIN_X, y, f"{self._pageNumber} / {total}")

    return NumberedCanvas


def _header(ctx: ReportContext):
    return running_header(plain(ctx.snap.pole.name), plain(ctx.snap.assessment.title))


def running_header(left: str, right: str):
    """The body pages' ``onPage``: ``left`` in bold, ``right`` muted, a rule under them."""

    def draw(canv, doc):
        from reportlab.lib import colors

        canv.plain_page = False
        canv.saveState()
        y = PAGE_H - 1.35 * CM
        canv.setFont(BOLD, 8)
        canv.setFillColor(colors.HexColor(ACCENT))
        canv.drawString(MARGIN_X, y, _fit(left, BOLD, 8, FRAME_W * 0.58))
        canv.setFont(REGULAR, 8)
        canv.setFillColor(colors.HexColor(MUTED))
        canv.drawRightString(PAGE_W - MARGIN_X, y, _fit(right, REGULAR, 8, FRAME_W * 0.38))
        canv.setStrokeColor(colors.HexColor(RULE))
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 5, PAGE_W - MARGIN_X, y - 5)
        canv.restoreState()

    return draw


def _cover_page(canv, doc):
    from reportlab.lib import colors

    canv.plain_page = True
    canv.saveState()
    canv.setFillColor(colors.HexColor(ACCENT))
    canv.rect(0, PAGE_H - 2.2 * CM, PAGE_W, 2.2 * CM, stroke=0, fill=1)
    canv.rect(0, 0, 0.9 * CM, PAGE_H - 2.2 * CM, stroke=0, fill=1)
    canv.restoreState()


def build_pdf(ctx: ReportContext, target: str | Path, progress: Progress | None = None) -> tuple[int, int]:
    """Lay the report out into ``target``; returns (page count, progress steps in all).

    ``progress`` hears of every step but the last (the file written), left to the caller."""
    steps = sections(ctx)
    total = len(steps) + 2
    tick = progress or (lambda done, total, label: None)
    story: list = []
    for i, (label, build) in enumerate(steps, 1):
        tick(i, total, label)
        story += build(ctx)
    a, ref = ctx.snap.assessment, ctx.ref
    layout_step = len(steps) + 1

    def on_layout(kind, value):
        if kind == "PAGE":
            tick(layout_step, total, f"Mise en page (page {value})")

    pages = render_document(
        story, target, title=plain(f"{ctx.snap.pole.name} — {a.title}"),
        subject=f"Rapport d’autodiagnostic — {ref.title}, version {ref.version}",
        author="" if ctx.anonymous else plain(ctx.snap.pole.name),
        keywords="PTCE, autodiagnostic, référentiel, AFOM, plan d’action",
        header=_header(ctx),
        footer="Rapport d’autodiagnostic" + (" · version de diffusion externe" if ctx.anonymous else ""),
        on_layout=on_layout)
    return pages, total


def render_document(story: list, target: str | Path, *, title: str, subject: str, author: str, keywords: str,
                    header, footer: str, on_layout=None) -> int:
    """Lay ``story`` out into ``target`` the way every PDF of the toolkit looks: A4, embedded
    DejaVu fonts, a cover page template (« cover ») then body pages with ``header`` (an
    ``onPage``, see ``running_header``), « page x / y » and ``footer`` at the bottom, outline
    entries from pdf_layout's headings. Returns the page count.

    ``on_layout(kind, value)``: ReportLab's progress callback (kind « PAGE » at each page)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from reportlab import rl_config

    register_fonts()
    rl_config.useA85 = 0  # plain binary streams: smaller file, and no slow pure-Python ASCII85 pass
    doc = BaseDocTemplate(
        str(target), pagesize=(PAGE_W, PAGE_H), title=title, subject=subject, author=author,
        creator="PTCE Toolkit", keywords=keywords, initialFontName=REGULAR,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, FRAME_H, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("cover", [frame], onPage=_cover_page),
                          PageTemplate("body", [frame], onPage=header)])
    if on_layout is not None:
        doc.setProgressCallBack(on_layout)
    doc.build(story, canvasmaker=_canvas_class(footer))
    doc.canv = None
    return doc.page


def write_report(db, assessment_uuid: str, path: str | Path, *, anonymous: bool = False,
                 progress: Progress | None = None) -> Path:
    """Write the report to ``path`` (temporary file then rename: never a half-written PDF).

    ``progress(done, total, label)`` is called between steps, in the calling thread."""
    from ptce_toolkit.atomic import atomic_path

    ctx = load_context(db, assessment_uuid, anonymous=anonymous)
    path = Path(path)
    with atomic_path(path) as tmp:
        pages, total = build_pdf(ctx, tmp, progress=progress)
    if progress:
        progress(total, total, f"Rapport écrit ({pages} pages)")
    return path


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def file_name(pole_name: str, year: str, taken: set[str] | None = None) -> str:
    """« Pôle Lison 2026.pdf »: the pole's name (characters no file system takes replaced, cut
    at 80) and the year; ``taken`` (lower-case names already given) gets « (2) », « (3) »…"""
    base = " ".join(_UNSAFE.sub(" ", pole_name or "").split())[:80].strip(" .") or "Pôle sans nom"
    stem = f"{base} {year}".strip()
    name, n = f"{stem}.pdf", 1
    while taken is not None and name.lower() in taken:
        n += 1
        name = f"{stem} ({n}).pdf"
    if taken is not None:
        taken.add(name.lower())
    return name


def write_all(con: sqlite3.Connection, folder: str | Path, *, anonymous: bool = False,
              progress: Progress | None = None) -> list[Path]:
    """One report per assessment of the database into ``folder``, named by pole and year, in this
    process (fonts and referentials are loaded once). ``progress(done, total, file name)``."""
    from ptce_toolkit import quickread

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    items = quickread.report_list(con)
    taken: set[str] = set()
    written = []
    for i, (uuid, pole_name, started_on, created_at) in enumerate(items, 1):
        target = folder / file_name(pole_name, (started_on or created_at or "")[:4], taken)
        if progress:
            progress(i, len(items), target.name)
        written.append(write_report(con, uuid, target, anonymous=anonymous))
    return written
