"""Report sections that go criterion by criterion: one section per domain, the comparison
with the previous assessment, and the method annex."""

from __future__ import annotations

from ptce_toolkit import fmt

from exports.pdf_layout import ReportContext, anchor, bar, data_table, heading, plain_table, subheading
from exports.pdf_sections import domain_counts
from exports.pdf_styles import (ACCENT_LIGHT, BADGE_W, FRAME_H, FRAME_W, ID_W, NBSP, RULE,
                                level_colour, markup, para, user_para)

UNANSWERED = "Sans réponse"


def answer_label(ref, answer) -> str:
    """The level as the referential names it; sans objet / ne sait pas are never a number."""
    status = getattr(answer, "status", "unanswered")
    if status == "answered":
        return f"{answer.level} · {ref.level_label(answer.level)}"
    if status == "not_applicable":
        return ref.not_applicable.label
    if status == "unknown":
        return ref.unknown.label
    return UNANSWERED


def _criterion_block(ctx: ReportContext, c) -> list:
    from reportlab.lib import colors

    a = ctx.snap.answers.get(c.id)
    status = getattr(a, "status", "unanswered")
    statement = [user_para(c.statement, "body")]
    if status == "answered" and c.level_hints.get(a.level):
        statement.append(user_para(c.level_hints[a.level], "hint"))
    badge_style = "badge_muted" if status == "unanswered" else "badge"
    badge = [para(markup(answer_label(ctx.ref, a)), badge_style)]
    if a is not None and a.priority:
        badge.append(para(f"★{NBSP}prioritaire", badge_style))
    row = plain_table([[para(f"<b>{markup(c.id)}</b>", "cell"), statement, badge]],
                      [ID_W, FRAME_W - ID_W - BADGE_W, BADGE_W],
                      [("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (2, 0), (2, 0), "MIDDLE"),
                       ("BACKGROUND", (2, 0), (2, 0), colors.HexColor(level_colour(status, getattr(a, "level", None)))),
                       ("LINEABOVE", (0, 0), (-1, 0), 0.4, colors.HexColor(RULE)),
                       ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                       ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    out = [row]
    if a is not None and not ctx.anonymous:
        if a.comment.strip():
            out.append(user_para(a.comment, "note_indented", f"<b>Commentaire{NBSP}:</b> "))
        if a.evidence.strip():
            out.append(user_para(a.evidence, "note_indented", f"<b>Preuves{NBSP}:</b> "))
    if len(out) == 1:
        return out
    # never a criterion alone at the foot of a page, apart from its comment: a short comment
    # moves with it; a long one starts under it as soon as a few lines fit, and flows on
    from reportlab.platypus import CondPageBreak, KeepTogether

    heights = [f.wrap(FRAME_W, FRAME_H)[1] for f in out]
    if sum(heights) <= FRAME_H / 3:
        return [KeepTogether(out)]
    return [CondPageBreak(heights[0] + 40), *out]


def domain_section(ctx: ReportContext, d, first: bool) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import PageBreak, Spacer

    ds = ctx.scores.domains[d.id]
    n = ctx.domain_number(d.id)
    out = [PageBreak()]
    if first:
        out.append(anchor("Résultats par domaine"))
    out.append(heading(f"{n}. {d.title}", level=1))
    score = f"{fmt.score(ds.score)} / 4" if ds.score is not None else "non calculé"
    band = plain_table([[para(f"Score du domaine{NBSP}: <b>{markup(score)}</b>", "body"),
                         bar(ds.score, 110, 9, track="#ffffff"), para(markup(domain_counts(ds, ctx.ref)), "muted")]],
                       [190, 130, FRAME_W - 320], [("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(ACCENT_LIGHT)),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
    out += [band, Spacer(1, 6), user_para(d.purpose, "italic")]
    if d.key_question:
        out.append(user_para(d.key_question, "body", f"<b>Question clé{NBSP}:</b> "))
    out.append(Spacer(1, 8))
    if ds.score is None and ds.not_applicable == ds.criteria:
        na = ctx.ref.not_applicable.label.lower()
        out.append(para(markup(f"Tous les critères de ce domaine sont déclarés « {na} » : le domaine n’a pas de "
                               "score et n’entre pas dans l’indice global."), "body"))
        out.append(Spacer(1, 6))
    for c in d.criteria:
        out += _criterion_block(ctx, c)
    return out


# --------------------------------------------------------------------------- comparison


def _column_label(assessment, fallback: str) -> str:
    return assessment.started_on[:4] if assessment.started_on else fallback


def comparison(ctx: ReportContext) -> list:
    from reportlab.platypus import PageBreak

    if ctx.previous is None:
        return []
    prev, ps, sc, ref = ctx.previous, ctx.previous_scores, ctx.scores, ctx.ref
    before, now = _column_label(prev.assessment, "Précédent"), _column_label(ctx.snap.assessment, "Actuel")
    if before == now:
        before, now = "Précédent", "Actuel"
    when = fmt.long_date(prev.assessment.started_on, empty="")
    intro = f"Comparaison avec « {prev.assessment.title} »" + (f", commencé le {when}" if when else "") + "."
    out = [PageBreak(), heading("Évolution depuis le diagnostic précédent"), para(markup(intro), "body")]
    if (prev.assessment.referential_id, prev.assessment.referential_version) != ref.key:
        out.append(para(markup(f"Le diagnostic précédent utilisait la version {prev.assessment.referential_version} "
                               "du référentiel : seuls les domaines et critères communs sont comparés."), "muted"))
    from exports import pdf_honest

    cmp = pdf_honest.comparison_of(ctx)
    rows, notes = pdf_honest.comparison_rows(ctx, cmp)
    rows.append([para("Complétude", "cell"), para(markup(fmt.percent(ps.completion)), "cell_c"),
                 para(markup(fmt.percent(sc.completion)), "cell_c"), para("", "cell"), para("", "cell")])
    out += [subheading("Scores par domaine"),
            data_table(["Domaine", before, now, "Évolution", "Critères"], rows, [240, 62, 62, 80, 56],
                       centred={1, 2, 3, 4})]
    out += [para(markup(n), "muted") for n in notes]
    out += _changed_criteria(ctx, before, now)
    return out


def _changed_criteria(ctx: ReportContext, before: str, now: str) -> list:
    ref, prev = ctx.ref, ctx.previous
    from exports import pdf_honest

    cmp_left_out = set(pdf_honest.comparison_of(ctx).left_out)  # an id of another version may mean something else
    rows = []
    for c in ref.criteria():
        a, b = ctx.snap.answers.get(c.id), prev.answers.get(c.id)
        key_a = (getattr(a, "status", "unanswered"), getattr(a, "level", None))
        key_b = (getattr(b, "status", "unanswered"), getattr(b, "level", None))
        if key_a != key_b and ctx.previous_ref.has_criterion(c.id) and c.id not in cmp_left_out:
            rows.append([user_para(c.statement, "cell", f"<b>{markup(c.id)}</b>{NBSP} "),
                         para(markup(answer_label(ref, b)), "cell"),
                         para(markup(answer_label(ref, a)), "cell_b")])
    if not rows:
        return [subheading("Critères dont la réponse a changé"),
                para("Aucune réponse n’a changé depuis le diagnostic précédent.", "body")]
    return [subheading("Critères dont la réponse a changé"),
            data_table(["Critère", before, now], rows, [300, 95, 95])]


# --------------------------------------------------------------------------- method


def method_annex(ctx: ReportContext) -> list:
    from reportlab.platypus import PageBreak

    ref = ctx.ref
    out = [PageBreak(), heading("Annexe : méthode"),
           subheading("Échelle de maturité"),
           data_table(["Niveau", "Intitulé", "Ce que le niveau signifie"],
                      [[para(str(lv.value), "cell_c"), user_para(lv.label, "cell_b"), user_para(lv.description, "cell")]
                       for lv in ref.levels], [45, 100, 355], centred={0}),
           subheading("Réponses qui ne sont pas des niveaux")]
    for special in (ref.not_applicable, ref.unknown):
        out.append(user_para(special.description, "body", f"<b>{markup(special.label)}.</b> "))
    out.append(para(f"<b>{UNANSWERED}.</b> Le critère n’a pas encore été traité. Il est exclu des moyennes et compté "
                    "à part, comme les deux réponses précédentes.", "body"))
    out += [subheading("Calcul des scores")]
    for text in (
        "Le score d’un domaine est la moyenne, pondérée par le poids de chaque critère, des niveaux (de 0 à 4) des "
        "critères notés. Les critères « sans objet », « ne sait pas » ou sans réponse n’y entrent pas : ils ne "
        "comptent jamais pour zéro. Un domaine sans aucun critère noté n’a pas de score.",
        "Un domaine dont moins de la moitié des critères applicables sont notés est « insuffisamment renseigné » : "
        "son score est montré mais n’entre pas dans l’indice global.",
        "L’indice global est la moyenne simple des scores des domaines suffisamment renseignés.",
        "La complétude rapporte le nombre de critères notés au nombre de critères applicables, c’est-à-dire tous "
        "les critères moins ceux déclarés « sans objet ».",
        "Les scores sont arrondis à une décimale, la moitié vers le haut. Les écarts avec le diagnostic précédent "
        "sont calculés à critères constants (critères notés les deux années), sur les scores non arrondis, puis "
        "arrondis une seule fois : l’écran, ce rapport et le classeur affichent les mêmes chiffres.",
    ):
        out.append(para(markup(text), "body"))
    out += [subheading("Référentiel utilisé"),
            user_para(f"{ref.title}, version {ref.version} (identifiant « {ref.id} »).", "body")]
    if ref.description:
        out.append(user_para(ref.description, "muted"))
    return out
