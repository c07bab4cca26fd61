"""Report section « Séance de travail collective » (workshop mode).

``workshop_section(ctx)`` returns ReportLab flowables, or nothing for a solo diagnostic
(no participant). The anonymous version names no one and leaves out the reasons, like
the comments elsewhere in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_toolkit import fmt

from exports.pdf_domains import answer_label
from exports.pdf_layout import ReportContext, data_table, heading, subheading
from exports.pdf_styles import NBSP, markup, para, user_para

if TYPE_CHECKING:
    from ptce_toolkit.services import workshop as ws

MOST_DIVERGENT = 12  # criteria listed with what the group decided


def _levels(levels) -> str:
    return " · ".join(str(x) for x in sorted(levels)) or "—"


def _by_college(cd: ws.CriterionDivergence) -> str:
    from ptce_toolkit.services import workshop as ws  # SQLAlchemy: only for a workshop report

    parts = [f"{ws.college_label(college)}{NBSP}: {', '.join(str(x) for x in levels)}"
             for college, levels in sorted(cd.by_college.items(), key=lambda kv: ws.college_label(kv[0]))]
    return "\n".join(parts)


def _participants_table(ctx: ReportContext, participants) -> list:
    from ptce_toolkit.services import workshop as ws  # SQLAlchemy: only for a workshop report

    groups: dict[str, list[str]] = {}
    for p in participants:
        groups.setdefault(p.college, []).append(p.name)
    order = list(ws.COLLEGES) + sorted(k for k in groups if k not in ws.COLLEGES)
    rows = []
    for college in order:
        if college not in groups:
            continue
        names = groups[college]
        who = f"{len(names)} personne{'s' if len(names) > 1 else ''}" if ctx.anonymous else ", ".join(names)
        rows.append([para(markup(ws.college_label(college)), "cell_b"), user_para(who, "cell")])
    return [subheading("Participants par collège"), data_table(["Collège", "Participants"], rows, [150, 340])]


def _domains_table(ctx: ReportContext, div: ws.Divergence) -> list:
    rows = []
    for d in ctx.ref.domains:
        dd = div.domains[d.id]
        rows.append([user_para(d.short_title, "cell"), para(str(dd.compared), "cell_c"),
                     para(markup(fmt.score(dd.mean_range)), "cell_c"), para(str(dd.spread_count), "cell_c")])
    return [subheading("Convergences et divergences par domaine"),
            data_table(["Domaine", "Critères comparés", "Étendue moyenne", "Critères à discuter (étendue ≥ 2)"],
                       rows, [190, 80, 80, 110], centred={1, 2, 3})]


def _divergent_table(ctx: ReportContext, div: ws.Divergence) -> list:
    chosen = div.most_divergent(MOST_DIVERGENT)
    title = subheading("Les critères les plus discutés et ce que le groupe a retenu")
    if not chosen:
        return [title, para("Aucun critère ne sépare les participants de deux niveaux ou plus"
                            f"{NBSP}: les points de vue convergent.", "body")]
    rows = []
    for cd in chosen:
        c = ctx.ref.criterion(cd.criterion_id)
        decided = [para(f"<b>{markup(answer_label(ctx.ref, cd.agreed))}</b>", "cell")]
        if cd.agreed.comment.strip() and not ctx.anonymous:
            decided.append(user_para(cd.agreed.comment, "small_cell"))
        rows.append([user_para(c.statement, "cell", f"<b>{markup(c.id)}</b>{NBSP} "),
                     para(markup(_levels(cd.levels.values())), "cell_c"),
                     para(markup(f"{cd.range} / {fmt.number(cd.stdev, 2)}"), "cell_c"),
                     user_para(_by_college(cd), "small_cell"), decided])
    return [title, data_table(["Critère", "Notes", "Étendue / écart type", "Positions par collège", "Réponse retenue"],
                              rows, [160, 80, 55, 100, 110], centred={1, 2})]


def workshop_section(ctx: ReportContext) -> list:
    from ptce_toolkit.services import workshop as ws  # SQLAlchemy: only for a workshop report

    participants = ctx.snap.participants
    if not participants:
        return []
    div = ws.compute_divergence(ctx.ref, participants, ctx.snap.participant_answers, ctx.snap.answers)
    n = len(participants)
    rated = sum(1 for c in div.criteria.values() if c.n)
    agreed = sum(1 for c in div.criteria.values() if c.n and c.agreed.status != "unanswered")
    people = f"{n} participants ont" if n > 1 else "Une personne a"
    criteria = f"{rated} critères ont" if rated > 1 else f"{rated} critère a"
    decided = ("aucun n’a encore de réponse retenue" if not agreed else
               f"{agreed} d’entre eux {'ont' if agreed > 1 else 'a'} une réponse retenue")
    out = [heading("Séance de travail collective"),
           para(markup(f"{people} noté les critères chacun de son côté, puis le groupe a retenu une réponse "
                       f"commune : c’est elle qui entre dans les scores de ce rapport. {criteria} reçu au moins "
                       f"une note individuelle ; {decided}."), "body")]
    out += _participants_table(ctx, participants)
    if n < 2:
        return out + [para("Une seule personne a noté les critères\u00a0: aucune divergence à mesurer.", "body")]
    out += _domains_table(ctx, div)
    out += _divergent_table(ctx, div)
    out.append(para(markup("Étendue : écart entre la note la plus haute et la plus basse. Écart type : dispersion "
                           "des notes autour de leur moyenne. Seules les notes de 0 à 4 comptent ; « sans objet » "
                           "et « ne sait pas » sont laissés de côté."), "muted"))
    return out
