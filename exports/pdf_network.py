"""Report section « Repères du réseau »: the pole's domain scores beside the network's median
and quartiles, from the most recent pack installed for the assessment's referential
(ptce_toolkit.benchmark); nothing when there is none."""

from __future__ import annotations

from exports.pdf_layout import ReportContext, data_table, heading
from exports.pdf_styles import markup, para
from ptce_toolkit import benchmark, fmt

VERDICT_NOTE = ("« Sous le 1er quartile »\u00a0: parmi le quart des pôles aux scores les plus bas\u00a0; "
                "« au-dessus du 3e quartile »\u00a0: parmi le quart aux scores les plus hauts.")


def network_position(ctx: ReportContext) -> list:
    from reportlab.platypus import PageBreak

    pack = benchmark.latest_pack_for(ctx.ref)
    rows = benchmark.positions(ctx.ref, pack, ctx.snap.answers) if pack else []
    if not rows:
        return []
    titles = {d.id: f"{ctx.domain_number(d.id)}. {d.title}" for d in ctx.ref.domains}
    titles[benchmark.OVERALL] = "Indice global"
    body = [[para(markup(titles[p.key]), "cell_b" if p.key == benchmark.OVERALL else "cell"),
             para(fmt.score(p.own), "cell_c"), para(fmt.score(p.network.median), "cell_c"),
             para(f"{fmt.score(p.network.q1)} – {fmt.score(p.network.q3)}", "cell_c"),
             para(str(p.network.n), "cell_c"), para(markup(p.verdict), "cell")] for p in rows]
    y, m, d = (pack["date"].split("-") + ["", ""])[:3]
    intro = (f"Repères «\u00a0{pack['nom']}\u00a0» du {d}/{m}/{y}\u00a0: médiane et quartiles des scores "
             "des pôles du réseau, publiés seulement pour des groupes d’au moins cinq pôles.")
    return [PageBreak(), heading("Repères du réseau"), para(markup(intro)),
            data_table(["Domaine", "Votre pôle", "Médiane du réseau", "Quartiles", "Pôles", "Position"], body,
                       [220, 50, 60, 62, 40, 110], centred={1, 2, 3, 4}),
            para(markup(VERDICT_NOTE), "muted")]
