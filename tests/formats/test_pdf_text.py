"""Text going into the PDF (glyph coverage, French spacing, markup) and the fixed-scale radar."""

from __future__ import annotations

import math

from exports.pdf_fonts import PLACEHOLDER, printable
from exports.pdf_styles import NBSP, french_spaces, markup

LABELS = ["Finalités", "Territoire", "Acteurs", "Gouvernance", "Coopérations", "Économie", "Innovation",
          "Évaluation", "Réseau PTCE"]


def test_characters_the_font_lacks_become_one_visible_mark():
    assert printable("Bravo 🚀🚀 !") == f"Bravo {PLACEHOLDER} !"
    # thumbs up + skin tone modifier, flag = two regional indicators: one mark each
    assert printable("Top 👍🏽 et 🇫🇷") == f"Top {PLACEHOLDER} et {PLACEHOLDER}"
    assert printable("Œuvre, cœur, 152 €, l’été « ici » — ça") == "Œuvre, cœur, 152 €, l’été « ici » — ça"


def test_control_characters_are_dropped_line_breaks_kept():
    assert printable("a\x00b\x07c\x1fd") == "abcd"
    assert printable("ligne 1\nligne 2\tfin") == "ligne 1\nligne 2\tfin"


def test_french_spaces_before_high_punctuation_and_inside_guillemets():
    got = french_spaces("Attention : prêt ? oui ! ; « bien » 30 %")
    assert got == f"Attention{NBSP}: prêt{NBSP}? oui{NBSP}!{NBSP}; «{NBSP}bien{NBSP}» 30{NBSP}%"
    assert french_spaces("réunion à 10:30, voir https://exemple.fr") == "réunion à 10:30, voir https://exemple.fr"
    # already right: nothing doubled
    assert french_spaces(f"«{NBSP}déjà{NBSP}»") == f"«{NBSP}déjà{NBSP}»"


def test_babel_narrow_no_break_space_becomes_one_reportlab_keeps():
    # ReportLab breaks lines at U+202F; « 152 000 € » must never be cut
    assert french_spaces("152\u202f000\u00a0€") == f"152{NBSP}000{NBSP}€"


def test_markup_escapes_user_text_and_keeps_line_breaks():
    assert markup("a < b & c <b>gras</b>\r\nsuite") == "a &lt; b &amp; c &lt;b&gt;gras&lt;/b&gt;<br/>suite"


def _points(values):
    from reportlab.graphics.shapes import Circle

    from exports.pdf_radar import radar

    drawing = radar(LABELS, values, width=300)
    spider = drawing.contents[0]
    group = spider.draw()
    circles = [s for s in group.contents if isinstance(s, Circle)]
    cx, cy = spider.x + spider.width / 2, spider.y + spider.height / 2
    return [math.hypot(c.cx - cx, c.cy - cy) for c in circles], spider.width / 2


def test_radar_scale_is_fixed_from_0_to_4_whatever_the_data():
    distances, outer = _points([2.0] * 9)
    assert len(distances) == 9
    assert all(abs(d - outer / 2) < 1e-6 for d in distances)  # 2 is half-way, not the outer ring
    distances, outer = _points([1.0] * 9)
    assert all(abs(d - outer / 4) < 1e-6 for d in distances)


def test_radar_leaves_a_gap_for_a_domain_without_score():
    distances, outer = _points([3.0, 3.0, None, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0])
    assert len(distances) == 8  # no point drawn at the centre for the unrated domain
    assert min(distances) > outer / 2


def test_paragraphs_get_french_spacing_and_never_break_inside_an_amount():
    from ptce_toolkit import fmt

    from exports.pdf_styles import para

    assert para("Question : oui ?").text == f"Question{NBSP}: oui{NBSP}?"
    amount = fmt.money(152000)  # Babel: « 152\u202f000\u00a0€ »
    p = para(markup("Le budget de la cellule atteint cette année " + amount + " en tout."), "body")
    for width in range(120, 330, 6):  # every line-break position the amount can meet
        p.wrap(width, 1000)
        starts = [" ".join(line.words if hasattr(line, "words") else line[1]).split(" ")[0]
                  for line in p.blPara.lines]
        assert not any(s.startswith(("000", "€")) for s in starts), (width, starts)


def test_importing_the_report_module_loads_neither_reportlab_nor_fonts():
    import subprocess
    import sys

    code = ("import sys, exports.pdf_report; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"  # the app starts fast; fonts are read on the first report


def test_a_paragraph_breaks_its_lines_once_per_width():
    """Tables wrap each cell to measure it and again to draw it: the second time costs nothing;
    and a paragraph of the same plain markup, style and width takes the lines already made."""
    from exports.pdf_styles import para

    text = "Un texte assez long pour tenir sur plusieurs lignes dans une cellule étroite, n°1 " * 3

    def counted(p):
        calls = []
        p.breakLines = lambda widths, _real=p.breakLines: calls.append(widths) or _real(widths)
        return calls

    p = para(text)
    calls = counted(p)
    size = p.wrap(120, 500)
    lines = p.blPara
    assert p.wrap(120, 500) == size and p.blPara is lines and len(calls) == 1
    wide = p.wrap(400, 500)
    assert len(calls) == 2 and wide[1] < size[1] and p.blPara is not lines
    assert p.wrap(120, 800) == size and p.blPara is lines and len(calls) == 2  # the lines made for 120
    assert p.split(120, 10) == [] and not hasattr(p, "blPara")  # a refused split drops the lines…
    assert p.wrap(120, 500) == size and p.blPara is lines  # …and they come back
    q = para(text)
    q_calls = counted(q)
    assert q.wrap(120, 500) == size and q.blPara is lines and q_calls == []
    r = para(text + " <b>gras</b>")  # two fragments: lines of its own, never shared
    r_calls = counted(r)
    r.wrap(120, 500)
    s = para(text + " <b>gras</b>")
    s_calls = counted(s)
    s.wrap(120, 500)
    assert len(r_calls) == len(s_calls) == 1 and r.blPara is not s.blPara


def test_a_deferred_pattern_compiles_at_first_use_and_matches_the_same():
    import re

    from exports.pdf_report import _LazyPattern

    compiled = []

    def compile_(pattern, flags):
        compiled.append(pattern)
        return re.compile(pattern, flags)

    lazy = _LazyPattern(compile_, r"(^[a-z]+://)(\S+)", re.I)
    assert compiled == []
    assert lazy.match("HTTPS://exemple.fr").groups() == ("HTTPS://", "exemple.fr")
    assert lazy.match("pas une adresse") is None and compiled == [r"(^[a-z]+://)(\S+)"]


def test_wrap_sets_on_a_paragraph_only_what_the_line_cache_copies():
    """pdf_styles shares line breakings between paragraphs of the same markup, style and width by
    copying what ReportLab's wrap sets (WRAP_SETS): a ReportLab upgrade that sets more fails here."""
    from reportlab.platypus import Paragraph

    from exports.pdf_styles import WRAP_SETS, styles

    for text in ("Un texte assez long pour faire plusieurs lignes dans une colonne étroite", "a <b>b</b> c"):
        p = Paragraph(text, styles()["body"])
        before = set(vars(p))
        p.wrap(100, 1000)
        assert set(vars(p)) - before == set(WRAP_SETS)


def test_text_without_markup_gets_the_fragments_reportlab_parses():
    """pdf_styles makes the one fragment of a text without markup itself (a third of the parsing of
    a report): the same fragments, text and style as ReportLab's parser, in every style."""
    from reportlab.platypus import Paragraph

    from exports.pdf_styles import paragraph_class, styles

    texts = ["", " ", "x", "  Deux  espaces\tet une tabulation ", "ligne 1\nligne 2\r\nligne 3",
             "Œuvre, cœur, 152\u00a0€, l’été «\u00a0ici\u00a0» — ça\u202fva ?", "a" * 3000, "\u200b", "\n\n",
             "« 2 · En structuration »", "Réseau PTCE", " fin "]
    Para = paragraph_class()
    for name, style in styles().items():
        for text in texts:
            ours, theirs = Para(text, style), Paragraph(text, style)
            assert (ours.text, ours.style, ours.bulletText) == (theirs.text, theirs.style, theirs.bulletText)
            assert [vars(f) for f in ours.frags] == [vars(f) for f in theirs.frags], (name, text[:20])
            assert ours.wrap(200, 1000) == theirs.wrap(200, 1000)
