"""Look of the report: page geometry, colours, paragraph styles, and user text to Paragraph markup."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from html import escape as _html_escape

from exports import pdf_fonts
from exports.pdf_fonts import BOLD, ITALIC, REGULAR

# A4 portrait, in points (1 cm = 28.35 pt)
CM = 28.3465
PAGE_W, PAGE_H = 595.2756, 841.8898
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.0 * CM, 2.2 * CM, 2.0 * CM
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
ID_W, BADGE_W = 42, 104  # criterion rows: id column, level badge column

INK = "#1f2a30"
MUTED = "#5b6770"
ACCENT = "#1d6b72"  # teal: headings, radar
ACCENT_LIGHT = "#e3f0f1"
RULE = "#c9d3d8"
PREVIOUS = "#b0743a"  # last year's series and deltas
# one tint per level 0..4, from "non engagé" to "exemplaire"
# (dark enough for white bold text on them)
LEVEL_COLOURS = ("#b5462f", "#c9742a", "#b38a12", "#5f8f4e", "#1f7f73")
SPECIAL_COLOUR = "#7d8a91"  # sans objet / ne sait pas
UNANSWERED_COLOUR = "#e6eaec"
QUADRANT_COLOURS = {"S": "#2a9d8f", "W": "#c8553d", "O": "#3d7ab8", "T": "#8d5a97"}

NBSP = "\u00a0"
_SPACE_BEFORE = re.compile(r"[ \t\u202f\u00a0]+([:;!?»%])")
_SPACE_AFTER = re.compile(r"«[ \t\u202f\u00a0]*")


# plain() and french_spaces() are pure: the report's short texts (labels, the referential's
# statements, repeated in every report of a batch) are worked out once per process
_MEMO_MAX_TEXT = 2_000


def french_spaces(text: str) -> str:
    """No-break space before : ; ! ? » % and after «, where the author typed a space.

    Also turns the narrow no-break space (Babel's thousands separator) into U+00A0:
    ReportLab's Paragraph treats U+202F as an ordinary breakable space.
    """
    if len(text) <= _MEMO_MAX_TEXT:
        return _french_spaces_memo(text)
    return _french_spaces(text)


def _french_spaces(text: str) -> str:
    text = _SPACE_BEFORE.sub(NBSP + r"\1", text)
    text = _SPACE_AFTER.sub("«" + NBSP, text)
    return text.replace("\u202f", NBSP)


_french_spaces_memo = lru_cache(maxsize=8_192)(_french_spaces)


# ReportLab splits a word too long for its line letter by letter, at a cost that grows with the
# square of its length (a 1 MB run without a space took minutes): every text of the report
# passes through ``plain``, which cuts it and gives long runs a break opportunity.
MAX_TEXT = 20_000  # characters of one text; the rest is left out, and the cut says so
MAX_RUN = 30  # characters without a break opportunity; a longer run gets one (U+200B) every MAX_RUN
# (30: narrow enough for the SWOT grid's cells, so ReportLab never splits letter by letter there)
_RUN = re.compile(r"(?:[^\s\u200b]|\u00a0){%d}(?=[^\s\u200b]|\u00a0)" % MAX_RUN)


def cut_mark(left_out: int) -> str:
    """What stands for the end of a text too long for the report."""
    from ptce_toolkit import fmt

    return f" […] ({fmt.number(left_out, 0)} caractères non reproduits)"


def plain(text: str | None) -> str:
    """User or referential text, ready for canvas drawing (no markup): printable, French
    spacing, at most MAX_TEXT characters and no run longer than MAX_RUN without a break."""
    text = text or ""
    if len(text) <= _MEMO_MAX_TEXT:
        return _plain_memo(text)
    return _plain(text)


def _plain(text: str) -> str:
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + cut_mark(len(text) - MAX_TEXT)
    text = french_spaces(pdf_fonts.printable(text)).strip()
    return _RUN.sub(lambda m: m.group(0) + "\u200b", text)


_plain_memo = lru_cache(maxsize=8_192)(_plain)


def escape(text: str) -> str:
    """& < > as entities (like xml.sax.saxutils.escape, whose import pulls in urllib, http and ssl)."""
    return _html_escape(text, quote=False)


def markup(text: str | None) -> str:
    """User text as Paragraph markup: escaped, French spacing, line breaks kept."""
    text = plain(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "<br/>".join(escape(line) for line in text.split("\n"))


@lru_cache(maxsize=1)
def styles() -> dict:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    pdf_fonts.register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=colors.HexColor(INK), alignment=TA_LEFT,
                          splitLongWords=True, allowWidows=0, allowOrphans=0, spaceAfter=3)

    def st(name, parent=base, **kw):
        if isinstance(kw.get("textColor"), str):  # a Color once, not a string parsed at every paragraph
            kw["textColor"] = colors.HexColor(kw["textColor"])
        return ParagraphStyle(name, parent=parent, **kw)

    s = {"body": base}
    s["small"] = st("small", fontSize=8.5, leading=11.5, spaceAfter=0)
    s["muted"] = st("muted", s["small"], textColor=MUTED)
    s["italic"] = st("italic", fontName=ITALIC, textColor=MUTED)
    s["h1"] = st("h1", fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT, spaceBefore=14, spaceAfter=8)
    s["h2"] = st("h2", fontName=BOLD, fontSize=12, leading=15, textColor=INK, spaceBefore=10, spaceAfter=4)
    s["h3"] = st("h3", fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceBefore=6, spaceAfter=2,
                 keepWithNext=1)
    s["cell"] = st("cell", fontSize=8.5, leading=11, spaceAfter=0)
    s["small_cell"] = st("small_cell", fontSize=7.5, leading=9.6)
    s["swot_item"] = st("swot_item", fontSize=9, leading=12, spaceAfter=5)
    s["swot_item_small"] = st("swot_item_small", s["small_cell"], spaceAfter=2)
    s["cell_b"] = st("cell_b", s["cell"], fontName=BOLD)
    s["cell_r"] = st("cell_r", s["cell"], alignment=TA_RIGHT)
    s["cell_c"] = st("cell_c", s["cell"], alignment=TA_CENTER)
    s["head"] = st("head", s["cell"], fontName=BOLD, textColor="#ffffff")
    s["head_r"] = st("head_r", s["head"], alignment=TA_RIGHT)
    s["head_c"] = st("head_c", s["head"], alignment=TA_CENTER)
    s["note"] = st("note", s["small"], textColor=INK, spaceBefore=1)
    s["note_indented"] = st("note_indented", s["note"], leftIndent=ID_W + 3, spaceAfter=2)
    s["note_indented_option"] = st("note_indented_option", s["note"], leftIndent=12, spaceAfter=1)
    s["hint"] = st("hint", s["small"], fontName=ITALIC, textColor=MUTED, fontSize=8, leading=10.5)
    s["badge"] = st("badge", s["cell"], fontName=BOLD, textColor="#ffffff", alignment=TA_CENTER)
    s["badge_muted"] = st("badge_muted", s["badge"], textColor=MUTED)
    s["figure"] = st("figure", fontName=BOLD, fontSize=22, leading=26, textColor=ACCENT)
    s["cover_kicker"] = st("cover_kicker", fontName=BOLD, fontSize=11, leading=14, textColor=ACCENT)
    s["cover_title"] = st("cover_title", fontName=BOLD, fontSize=26, leading=31, textColor=INK, spaceAfter=6)
    s["cover_sub"] = st("cover_sub", fontSize=13, leading=17, textColor=MUTED)
    s["cover_line"] = st("cover_line", fontSize=10.5, leading=15)
    return s


_PARSED_MAX_TEXT = 2_000  # longer texts (comments, narratives) are seldom repeated: parsed each time
_PARSED_MAX_ENTRIES = 4_096
_parsed: dict[tuple, tuple] = {}
_broken: dict[tuple, tuple] = {}  # (parse key, width) -> (style, attributes wrap set, size)
# what ReportLab's Paragraph.wrap sets on the paragraph (ReportLab 5.1; a test checks it)
WRAP_SETS = ("width", "height", "blPara", "_wrapWidths", "_width_max", "_hyphenations", "_splitLongWordCount")
_parsed_lock = threading.Lock()


@lru_cache(maxsize=1)
def paragraph_class():
    """ReportLab's Paragraph, with two shortcuts that change nothing in the result:

    - wrapped again to the width it was just wrapped to, it answers at once: a table wraps each
      cell to measure it and again to draw it (the demo's report made 1,834 line breakings for
      690 paragraphs, 714 of them different);
    - the same markup in the same style is parsed once per process (labels, level names,
      the referential's statements and hints: 178 of the demo's 690 paragraphs repeat another,
      and a batch of reports repeats most of them); each paragraph gets its own copy of the
      fragments, which line breaking annotates;
    - such a paragraph of one fragment (no inner markup) broken into plain lines of words for
      a width shares those lines with the next one of the same markup, style and width."""
    from reportlab.platypus import Paragraph

    class Para(Paragraph):
        _last_wrap = None  # (width, the line breaking it made, the size returned)
        _parse_key = None  # set when the markup went through the parse cache

        def _setup(self, text, style, bulletText, frags, cleaner):
            if frags is not None or bulletText is not None or not isinstance(text, str) \
                    or len(text) > _PARSED_MAX_TEXT:
                return super()._setup(text, style, bulletText, frags, cleaner)
            key = (text, id(style), self.caseSensitive, cleaner)
            self._parse_key = key
            hit = _parsed.get(key)
            if hit is None or hit[0] is not style:
                if "<" in text or "&" in text or not self._setup_plain(text, style, cleaner):
                    super()._setup(text, style, bulletText, frags, cleaner)
                if isinstance(self.bulletText, (str, type(None))):
                    with _parsed_lock:
                        if len(_parsed) >= _PARSED_MAX_ENTRIES:
                            _parsed.clear()
                        _parsed[key] = (style, self.text, self.style, self.bulletText,
                                        [f.clone() for f in self.frags])
                return
            _, self.text, self.style, self.bulletText, cached = hit
            self.frags = [f.clone() for f in cached]
            self.debug = 0

        def _setup_plain(self, text, style, cleaner) -> bool:
            """Text without markup: ReportLab's parser makes of it one fragment, the style's own
            (as it makes for « x ») holding the cleaned text; made here without parsing."""
            template = _plain_fragment(style, self.caseSensitive, cleaner)
            if template is None:
                return False
            from reportlab.platypus.paragraph import textTransformFrags

            self.text = cleaned = cleaner(text)
            self.frags = [template.clone(text=cleaned)] if cleaned else []
            textTransformFrags(self.frags, style)
            self.style, self.bulletText, self.debug = style, None, 0
            return True

        def wrap(self, availWidth, availHeight):
            last = self._last_wrap
            if last is not None and last[0] == availWidth and last[1] is self.__dict__.get("blPara", last):
                return last[2]  # same width, lines untouched since (split drops them when it refuses)
            key = self._parse_key if len(self.frags) == 1 else None
            if key is not None:
                hit = _broken.get((key, availWidth))
                if hit is not None and hit[0] is self.style:
                    self.__dict__.update(hit[1])
                    self._last_wrap = (availWidth, self.blPara, hit[2])
                    return hit[2]
            size = super().wrap(availWidth, availHeight)
            blPara = self.__dict__.get("blPara")
            self._last_wrap = (availWidth, blPara, size)
            if key is not None and getattr(blPara, "kind", None) == 0:
                # one fragment, plain lines of words (kind 0): ReportLab only reads them after
                made = {k: self.__dict__[k] for k in WRAP_SETS if k in self.__dict__}
                with _parsed_lock:
                    if len(_broken) >= _PARSED_MAX_ENTRIES:
                        _broken.clear()
                    _broken[key, availWidth] = (self.style, made, size)
            return size

    return Para


_plain_fragments: dict[tuple, object] = {}


def _plain_fragment(style, case_sensitive, cleaner):
    """The fragment ReportLab's parser makes of « x » in ``style`` (None if it makes anything else)."""
    key = (id(style), case_sensitive, cleaner)
    hit = _plain_fragments.get(key)
    if hit is None or hit[0] is not style:
        from reportlab.platypus import Paragraph

        p = Paragraph("x", style, caseSensitive=case_sensitive)
        ok = len(p.frags) == 1 and p.frags[0].text == "x" and p.style is style and p.bulletText is None
        hit = (style, p.frags[0] if ok else None)
        with _parsed_lock:
            if len(_plain_fragments) >= _PARSED_MAX_ENTRIES:
                _plain_fragments.clear()
            _plain_fragments[key] = hit
    return hit[1]


def para(text_markup: str, style: str = "body"):
    """A Paragraph from markup that is already safe (see ``markup``); French spacing applied."""
    return paragraph_class()(french_spaces(text_markup), styles()[style])


def user_para(text: str | None, style: str = "body", prefix: str = ""):
    """A Paragraph from user text; ``prefix`` is trusted markup (e.g. a bold label)."""
    return para(prefix + markup(text), style)


def level_colour(status: str, level: int | None) -> str:
    if status == "answered" and level is not None:
        return LEVEL_COLOURS[level]
    return UNANSWERED_COLOUR if status == "unanswered" else SPECIAL_COLOUR
