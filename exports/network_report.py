"""The network synthesis report (PDF) of a consolidation: what exports.network_summary computed,
laid out like the diagnostic report (pdf_report.render_document: embedded fonts, outline,
« page x / y »).

``write_network_report(result, path, name=…, anonymous=False)``: ``result`` is a
consolidate.ConsolidationResult. The anonymised variant names no pole: « Pôle 1 »…, rejected
files as « Fichier 1 »…, and any pole name in a reason replaced by its label.
"""

from __future__ import annotations

from datetime import date
from statistics import median
from pathlib import Path

from exports.network_summary import NetworkSummary, summarise
from exports.pdf_fonts import BOLD, REGULAR
from exports.pdf_layout import data_table, heading, plain_table
from exports.pdf_styles import (ACCENT, ACCENT_LIGHT, CM, FRAME_W, INK, LEVEL_COLOURS, MUTED, NBSP, RULE,
                                UNANSWERED_COLOUR, escape, markup, para, plain)
from ptce_toolkit import benchmark


def _fr(value: float | None, digits: int = 1) -> str:
    """1,3 for 1.25: half up (plain format rounds 1.25 down but 2.75 up, binary floats)."""
    if value is None:
        return "—"
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)).replace(".", ",")


def _pct(value: float) -> str:
    return f"{round(value * 100)}{NBSP}%"


def _poles(n: int) -> str:
    return f"{n} pôle" if n == 1 else f"{n} pôles"


def _sp(h: float):
    from reportlab.platypus import Spacer

    return Spacer(1, h)


def _colour_of(score: float | None) -> str:
    """The level colour of a 0–4 score (rounded down to its level)."""
    if score is None:
        return UNANSWERED_COLOUR
    return LEVEL_COLOURS[max(0, min(4, int(score)))]


# --------------------------------------------------------------------------- sections


def _cover(s: NetworkSummary, name: str, made_on: date, rejected: int) -> list:
    from reportlab.platypus import NextPageTemplate, PageBreak

    out = [_sp(3.2 * CM), para("SYNTHÈSE DU RÉSEAU", "cover_kicker"), _sp(6), para(markup(name), "cover_title"),
           para(markup(f"{s.ref.title}, version {s.ref.version}"), "cover_sub"), _sp(18)]
    overall = s.distributions.get(benchmark.OVERALL)
    lines = [("Pôles comparés", _poles(len(s.poles))),
             ("Indice global médian", _fr(overall.median) + f"{NBSP}/{NBSP}4" if overall else "—"),
             ("Fichiers refusés", str(rejected)),
             ("Édition", "anonymisée (aucun pôle nommé)" if s.anonymous
              else "nominative, à usage interne du réseau"),
             ("Établie le", made_on.strftime("%d/%m/%Y"))]
    if s.other_versions:
        lines.insert(1, ("Laissés à part (autre version du référentiel)", _poles(len(s.other_versions))))
    for label, value in lines:
        out.append(para(f"<b>{escape(label)}{NBSP}:</b> {markup(value)}", "cover_line"))
    return out + [NextPageTemplate("body"), PageBreak()]


def _count_table(title: str, rows: list[tuple[str, int]], total: int) -> list:
    body = [[para(markup(label), "cell"), para(str(n), "cell_r"), para(_pct(n / total), "cell_r")] for label, n in rows]
    return [para(f"<b>{escape(title)}</b>", "h3"),
            data_table([title, "Pôles", "Part"], body, [6, 1.2, 1.2], centred=(1, 2)), _sp(8)]


def _poles_section(s: NetworkSummary) -> list:
    n = len(s.poles)
    out = [heading("Les pôles"),
           para(f"{_poles(n).capitalize()} {'comparé' if n == 1 else 'comparés'} sur le même référentiel "
                f"({markup(s.ref.title)}, version {escape(s.ref.version)}).")]
    if s.other_versions:
        left = (_poles(len(s.other_versions)) if s.anonymous else ", ".join(s.other_versions))
        out.append(para(f"Laissés à part car évalués avec une autre version du référentiel{NBSP}: "
                        f"{markup(left)}.",
                        "muted"))
    out += _count_table("Région", s.by_region, n)
    out += _count_table("Type de territoire", s.by_kind, n)
    done = sorted(p.completion for p in s.poles)
    full = sum(1 for c in done if c >= 0.999)
    out += [para("<b>Complétude des diagnostics</b>", "h3"),
            para(f"Part des critères renseignés{NBSP}: médiane {_pct(median(done))}, "
                 f"de {_pct(done[0])} à {_pct(done[-1])}{NBSP}; "
                 + ("aucun diagnostic complet." if full == 0 else
                    f"{full} {'diagnostic complet' if full == 1 else 'diagnostics complets'} sur {n}."))]
    return out


def _strip_plot(s: NetworkSummary):
    """One row per domain: every pole's score as a dot, the quartile box and the median."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
    from reportlab.lib import colors

    domains = [(d.id, f"{i}. {d.short_title}") for i, d in enumerate(s.ref.domains, 1)]
    domains.append((benchmark.OVERALL, "Indice global"))
    row_h, label_w, top, bottom = 24, 4.2 * CM, 8, 22
    width = FRAME_W
    plot_w = width - label_w - 10
    height = top + bottom + row_h * len(domains)
    d = Drawing(width, height, initialFontName=REGULAR)

    def x_of(v: float) -> float:
        return label_w + plot_w * v / 4

    grid = colors.HexColor(RULE)
    for level in range(5):
        x = x_of(level)
        d.add(Line(x, bottom - 4, x, height - top, strokeColor=grid, strokeWidth=0.5))
        d.add(String(x, bottom - 14, str(level), fontName=REGULAR, fontSize=7.5, textAnchor="middle",
                     fillColor=colors.HexColor(MUTED)))
    for row, (key, label) in enumerate(domains):
        y = height - top - row_h * (row + 0.5)
        d.add(String(0, y - 3, label, fontName=BOLD if key == benchmark.OVERALL else REGULAR, fontSize=8,
                     fillColor=colors.HexColor(INK)))
        stat = s.distributions.get(key)
        if stat is not None:
            d.add(Rect(x_of(stat.q1), y - 7, max(x_of(stat.q3) - x_of(stat.q1), 0.8), 14,
                       fillColor=colors.HexColor(ACCENT_LIGHT), strokeColor=colors.HexColor(ACCENT), strokeWidth=0.5))
        values = sorted(s.domain_values.get(key, []))
        seen: dict[float, int] = {}
        for v in values:  # equal scores are spread vertically rather than drawn on top of each other
            k = seen.get(round(v, 2), 0)
            seen[round(v, 2)] = k + 1
            dy = ((k % 5) - 2) * 2.2
            d.add(Circle(x_of(v), y + dy, 1.7, fillColor=colors.HexColor(_colour_of(v)), strokeColor=None))
        if stat is not None:
            d.add(Line(x_of(stat.median), y - 9, x_of(stat.median), y + 9, strokeColor=colors.HexColor(INK),
                       strokeWidth=1.6))
    return d


def _distributions_section(s: NetworkSummary) -> list:
    rows = []
    for i, dom in enumerate(s.ref.domains, 1):
        stat = s.distributions.get(dom.id)
        rows.append([para(f"{i}. {markup(dom.title)}", "cell"), para(str(len(s.domain_values[dom.id])), "cell_r"),
                     para(_fr(stat.median) if stat else "—", "cell_r"),
                     para(f"{_fr(stat.q1)} – {_fr(stat.q3)}" if stat else "—", "cell_r")])
    stat = s.distributions.get(benchmark.OVERALL)
    rows.append([para("<b>Indice global</b>", "cell"), para(str(len(s.domain_values[benchmark.OVERALL])), "cell_r"),
                 para(_fr(stat.median) if stat else "—", "cell_r"),
                 para(f"{_fr(stat.q1)} – {_fr(stat.q3)}" if stat else "—", "cell_r")])
    return [heading("Répartition des scores par domaine"),
            para("Chaque point est un pôle (échelle de 0 à 4)\u00a0; la boîte va du 1er au 3e quartile, "
                 "le trait marque la médiane. Un domaine sans score (critères non renseignés ou sans objet) "
                 "n’a pas de point."),
            _sp(4), _strip_plot(s), _sp(8),
            data_table(["Domaine", "Pôles notés", "Médiane", "Quartiles"], rows, [6, 1.3, 1.3, 1.6],
                       centred=(1, 2, 3))]


def _heat_map(s: NetworkSummary) -> list:
    from reportlab.lib import colors

    ids = [d.id for d in s.ref.domains]
    header = ["Pôle"] + [str(i) for i in range(1, len(ids) + 1)] + ["Indice"]
    body, cmds = [], []
    for r, pole in enumerate(s.poles, 1):
        # figures as plain strings (centred, sized by the table's style): thousands of
        # Paragraphs would cost seconds for a large network
        row = [para(markup(pole.label), "small_cell")]
        for c, key in enumerate(ids, 1):
            v = pole.domains.get(key)
            row.append(_fr(v))
            cmds.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(_colour_of(v))))
            if v is not None:
                cmds.append(("TEXTCOLOR", (c, r), (c, r), colors.white))
        row.append(_fr(pole.overall))
        body.append(row)
    cmds += [("ALIGN", (1, 1), (-1, -1), "CENTER"), ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
             ("FONTSIZE", (1, 1), (-1, -1), 8.5),
             ("FONTNAME", (-1, 1), (-1, -1), BOLD)]
    cmds.append(("LINEAFTER", (0, 1), (-1, -1), 1.2, colors.white))
    legend = " · ".join(f"{i}{NBSP}=" f"{NBSP}{escape(d.short_title)}" for i, d in enumerate(s.ref.domains, 1))
    return [heading("Pôles × domaines"),
            para("Score de chaque domaine pour chaque pôle, coloré selon le niveau atteint (0 à 4, arrondi à "
                 "l’entier inférieur)\u00a0; gris clair\u00a0: pas de score."
                 + (" Les pôles sont numérotés de l’indice global le plus haut au plus bas ; leur nom n’est pas donné ici."
                    if s.anonymous else "")),
            para(legend, "muted"), _sp(4),
            data_table(header, body, [4.2] + [1] * len(ids) + [1.3], extra_style=cmds,
                       centred=tuple(range(1, len(ids) + 2)))]


def _priorities_section(s: NetworkSummary) -> list:
    criteria = {c.id: c for c in s.ref.criteria()}
    domains = {d.id: d for d in s.ref.domains}
    out = [heading("Priorités et thèmes AFOM")]
    out.append(para("<b>Critères les plus visés par les actions de priorité haute</b>", "h3"))
    if s.priority_criteria:
        rows = [[para(escape(cid), "cell"), para(markup(criteria[cid].statement) if cid in criteria else "", "cell"),
                 para(f"{n} action" + ("s" if n > 1 else ""), "cell_r")] for cid, n in s.priority_criteria]
        out.append(data_table(["Critère", "Énoncé", "Actions"], rows, [1.1, 7, 1.4], centred=(2,)))
    else:
        out.append(para("Aucune action de priorité haute n’est rattachée à un critère.", "muted"))
    out += [_sp(8), para("<b>Domaines les plus cités dans les grilles AFOM</b>", "h3")]
    rows = []
    for q in "SWOT":
        items = s.swot_themes.get(q) or []
        text = ", ".join(f"{escape(domains[d].short_title)} ({n})" for d, n in items if d in domains) or "—"
        rows.append([para(f"<b>{escape(s.ref.quadrants[q].title)}</b>", "cell"), para(text, "cell")])
    out.append(data_table(["Quadrant", "Domaines (nombre d’éléments qui s’y rattachent)"], rows, [2, 8]))
    return out


def _rejections_section(s: NetworkSummary, names: dict[str, str]) -> list:
    out = [heading("Fichiers refusés")]
    if not s.rejected:
        out.append(para("Aucun fichier n’a été refusé."))
    else:
        rows = []
        for i, (file, reason) in enumerate(s.rejected, 1):
            if s.anonymous:
                file = f"Fichier {i}"
                for real, label in names.items():
                    reason = reason.replace(real, label)
            rows.append([para(markup(file), "cell"), para(markup(reason), "cell")])
        n = len(s.rejected)
        out += [para(f"{n} refus à corriger par les pôles concernés avant la prochaine "
                     f"consolidation{NBSP}:"),
                data_table(["Fichier", "Motif"], rows, [3, 7])]
    if s.information:
        n = s.information
        out.append(para(f"{n} {'fichier écarté' if n == 1 else 'fichiers écartés'} sans défaut "
                        "(copie exacte, fichier de verrouillage ou version plus ancienne d’une évaluation gardée).",
                        "muted"))
    return out


# --------------------------------------------------------------------------- document


def build_story(s: NetworkSummary, *, name: str, made_on: date, names: dict[str, str]) -> list:
    from reportlab.platypus import PageBreak

    return (_cover(s, name, made_on, len(s.rejected)) + _poles_section(s) + [PageBreak()]
            + _distributions_section(s) + [PageBreak()] + _heat_map(s) + [PageBreak()]
            + _priorities_section(s) + _rejections_section(s, names))


def write_network_report(result, path: str | Path, *, name: str, anonymous: bool = False,
                         made_on: date | None = None) -> Path | None:
    """Write the synthesis of ``result`` (a ConsolidationResult) to ``path``; None (nothing
    written) when no workbook was accepted."""
    from exports.pdf_report import render_document, running_header
    from ptce_toolkit.atomic import atomic_path

    s = summarise(result.entries, result.rejections, anonymous=anonymous)
    if s is None:
        return None
    made_on = made_on or date.today()
    names = {}
    if anonymous:  # every pole name met, longest first, so a name inside another is replaced last
        kept = sorted((e for e in result.entries if e.ref_key == (s.ref.id, s.ref.version)),
                      key=lambda e: (e.pole_name.lower(), e.started_on))
        labels = {e.pole_name: f"Pôle {i}" for i, e in enumerate(kept, 1)}
        extra = {r.pole: "un pôle" for r in result.rejections if getattr(r, "pole", "")}
        extra.update({e.pole_name: "un pôle" for e in result.entries if e.pole_name not in labels})
        names = dict(sorted({**extra, **labels}.items(), key=lambda kv: -len(kv[0])))
    story = build_story(s, name=name, made_on=made_on, names=names)
    path = Path(path)
    title = f"Synthèse du réseau — {name}"
    with atomic_path(path) as tmp:
        render_document(
            story, tmp, title=plain(title), subject=f"Synthèse de {_poles(len(s.poles))} — {s.ref.title}",
            author="" if anonymous else plain(name), keywords="PTCE, réseau, synthèse, consolidation",
            header=running_header(plain(title), f"{s.ref.title} {s.ref.version}"),
            footer="Synthèse du réseau" + (" · version anonymisée" if anonymous else ""))
    return path
