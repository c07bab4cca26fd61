"""Report parts for reading the scores honestly (issue 13): level distribution and median
beside the mean, domains insufficiently documented, unexplained « Sans objet », the
referential's unifying objectives, and the like-for-like comparison table (through the
crosswalk when the previous assessment used another referential version)."""

from __future__ import annotations

from ptce_toolkit import fmt, scoring

from exports.pdf_layout import ReportContext, bar, data_table, subheading
from exports.pdf_styles import LEVEL_COLOURS, MUTED, markup, para


def comparison_of(ctx: ReportContext):
    """scoring.Comparison with the previous assessment, or None."""
    if ctx.previous is None or ctx.previous_ref is None:
        return None
    from ptce_toolkit import crosswalk

    return crosswalk.compare_assessments(ctx.ref, ctx.snap.answers, ctx.previous_ref, ctx.previous.answers)


def delta_markup(diff: float | None) -> str:
    """A difference already rounded once by the core (scoring.difference)."""
    if diff is None:
        return "—"
    if diff > 0:
        return f"<font color='{LEVEL_COLOURS[4]}'>▲ {markup(fmt.signed_score(diff))}</font>"
    if diff < 0:
        return f"<font color='{LEVEL_COLOURS[0]}'>▼ {markup(fmt.signed_score(diff))}</font>"
    return f"<font color='{MUTED}'>= {markup(fmt.score(0.0))}</font>"


def reading(ctx: ReportContext) -> list:
    """Distribution, median, insufficient domains, unexplained « Sans objet », objectives."""
    ref, sc = ctx.ref, ctx.scores
    out = [subheading("Lecture des scores")]
    dist = " · ".join(f"niveau {lv}\u00a0: {sc.distribution[lv]}" for lv in range(5))
    mean = fmt.score(sc.mean_level) if sc.mean_level is not None else "—"
    median = fmt.score(sc.median) if sc.median is not None else "—"
    out.append(para(markup(f"Répartition des critères notés : {dist}. Médiane des niveaux : {median} ; "
                           f"moyenne des niveaux : {mean}."), "body"))
    if sc.insufficient:
        names = ", ".join(f"{ref.domain(i).title} ({sc.domains[i].answered} sur {sc.domains[i].applicable})"
                          for i in sc.insufficient)
        out.append(para(markup(f"Insuffisamment renseignés (moins de la moitié des critères applicables notés), "
                               f"donc hors de l’indice global : {names}."), "body"))
    if sc.unexplained_na:
        out.append(para(markup(f"« {ref.not_applicable.label} » sans explication dans le commentaire : "
                               f"{', '.join(sc.unexplained_na)}."), "body"))
    groups = scoring.group_scores(ref, ctx.snap.answers)
    if groups:
        rows = [[para(markup(g.title), "cell"),
                 para(markup(fmt.score(g.score) if g.score is not None else "—"), "cell_b"), bar(g.score, 70),
                 para(markup(f"{g.answered} / {g.criteria} notés" + (" — insuffisamment renseigné"
                                                                    if g.insufficient else "")), "cell")]
                for g in groups]
        out += [subheading("Objectifs fédérateurs"),
                data_table(["Objectif", "Score", "Sur 4", "Critères"], rows, [200, 40, 80, 154],
                           extra_style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]
    return out


def comparison_rows(ctx: ReportContext, cmp) -> tuple[list, list]:
    """(rows, notes) of the like-for-like comparison table; notes name what is left out."""
    from exports.pdf_styles import user_para

    # each year's own scores, as the screen shows them; the change is like for like
    ps, sc = ctx.previous_scores, ctx.scores
    rows = []
    for d in ctx.ref.domains:
        dc = cmp.domains[d.id]
        old = ps.domains[d.id].score if d.id in ps.domains else None
        rows.append([user_para(f"{ctx.domain_number(d.id)}. {d.title}", "cell"),
                     para(markup(fmt.score(old)), "cell_c"), para(markup(fmt.score(sc.domains[d.id].score)), "cell_c"),
                     para(delta_markup(dc.difference), "cell_c"), para(str(len(dc.criteria)), "cell_c")])
    rows.append([para("<b>Indice global</b>", "cell"), para(markup(fmt.score(ps.overall)), "cell_c"),
                 para(f"<b>{markup(fmt.score(sc.overall))}</b>", "cell_c"),
                 para(delta_markup(cmp.difference), "cell_c"), para(str(cmp.criteria), "cell_c")])
    notes = [f"Les scores sont ceux de chaque diagnostic ; l’évolution est calculée à critères constants, sur les "
             f"seuls critères notés les deux années (colonne « Critères », {cmp.criteria} au total)."]
    if cmp.left_out:
        notes.append(f"Critères sans équivalent comparable dans la version précédente du référentiel, laissés de "
                     f"côté : {', '.join(cmp.left_out)}.")
    return rows, notes
