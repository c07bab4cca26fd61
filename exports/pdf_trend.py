"""Report section « Évolution sur plusieurs années »: with three assessments of the pole or more,
each domain's score and the overall index per assessment (ptce_toolkit.trend: like for like,
through the crosswalk when referential versions differ)."""

from __future__ import annotations

from exports.pdf_layout import ReportContext, data_table, heading
from exports.pdf_styles import markup, para
from ptce_toolkit import fmt, trend

MAX_COLUMNS = 6  # the most recent assessments that fit the page's width


def trend_section(ctx: ReportContext) -> list:
    from reportlab.platypus import PageBreak

    points = trend.trend(ctx.ref, ctx.history)[-MAX_COLUMNS:]
    if len(points) < trend.MIN_POINTS:
        return []
    header = ["Domaine"] + [p.started_on[:4] or p.title for p in points]
    rows = []
    for d in ctx.ref.domains:
        rows.append([para(f"{ctx.domain_number(d.id)}. {markup(d.title)}", "cell")]
                    + [para(fmt.score(p.domains.get(d.id)), "cell_c") for p in points])
    rows.append([para("Indice global", "cell_b")] + [para(f"<b>{fmt.score(p.overall)}</b>", "cell_c") for p in points])
    out = [PageBreak(), heading("Évolution sur plusieurs années"),
           para(markup(f"Scores des {len(points)} derniers diagnostics du pôle, de «\u00a0{points[0].title}\u00a0» "
                       f"à «\u00a0{points[-1].title}\u00a0», sur l’échelle de 0 à 4.")),
           data_table(header, rows, [220] + [55] * len(points), centred=set(range(1, len(points) + 1)))]
    other = [p for p in points if p.left_out]
    if other:
        out.append(para(markup(
            "Les diagnostics faits avec une autre version du référentiel sont lus critère par critère à travers "
            "la table de correspondance\u00a0; les critères sans équivalent n’y comptent pas ("
            + ", ".join(f"{p.started_on[:4] or p.title}\u00a0: {len(p.left_out)}" for p in other) + ")."), "muted"))
    return out
