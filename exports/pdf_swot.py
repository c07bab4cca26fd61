"""Report sections on strategy: the SWOT grid (grille AFOM) as a 2×2 page, the strategic
options with the SWOT items they answer, and the action plan table."""

from __future__ import annotations

from ptce_toolkit import fmt
from ptce_toolkit.vocabulary import (
    ACTION_STATUS_LABELS, PRIORITY_LABELS, QUADRANT_GRID, QUADRANT_ORDER, option_kind_label,
)

from exports.pdf_layout import ReportContext, data_table, heading, plain_table
from exports.pdf_styles import FRAME_H, FRAME_W, NBSP, QUADRANT_COLOURS, RULE, markup, para, user_para

IMPORTANCE = {1: "●○○", 2: "●●○", 3: "●●●"}


def _item_para(ctx: ReportContext, item, style):
    dots = f"<font color='{QUADRANT_COLOURS[item.quadrant]}'>{IMPORTANCE.get(item.importance, '●●○')}</font>"
    links = f" <font color='#5b6770'>({markup(', '.join(item.criteria))})</font>" if item.criteria else ""
    return para(f"{dots}{NBSP}{NBSP}{markup(item.text)}{links}", style)


def _quadrant_cell(ctx: ReportContext, code: str, style: str) -> list:
    items = [s for s in ctx.snap.swot if s.quadrant == code]
    if not items:
        q = ctx.ref.quadrants[code]
        return [para("Aucun élément noté.", style), user_para(q.question, "hint")]
    return [_item_para(ctx, it, style) for it in sorted(items, key=lambda s: s.position)]


def _grid(ctx: ReportContext, style: str, pairs=QUADRANT_GRID, body_heights=(None, None)):
    """Quadrants two by two: a coloured title row above each pair; ``body_heights`` stretch the item rows."""
    from reportlab.lib import colors

    data, heights, cmds = [], [], [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor(RULE)),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    for pair, body_height in zip(pairs, body_heights):
        r = len(data)
        data.append([para(markup(ctx.quadrant_title(q)), "head") for q in pair])
        data.append([_quadrant_cell(ctx, q, style) for q in pair])
        heights += [None, body_height]
        for col, q in enumerate(pair):
            cmds.append(("BACKGROUND", (col, r), (col, r), colors.HexColor(QUADRANT_COLOURS[q])))
    return plain_table(data, [FRAME_W / 2] * 2, cmds, rowHeights=heights, splitInRow=1)


def swot_grid(ctx: ReportContext) -> list:
    """The four quadrants on one page, stretched to fill it. A grid too full for one page
    (dozens of long items) is set smaller; if it still does not fit, strengths and
    weaknesses take one page and opportunities and threats the next."""
    from reportlab.platypus import PageBreak

    intro = para("Forces et faiblesses décrivent le pôle lui-même ; opportunités et menaces, son environnement. "
                 f"Importance{NBSP}: ●●● forte, ●●○ moyenne, ●○○ faible ; entre parenthèses, les critères liés.",
                 "muted")
    head = heading("Grille AFOM (forces, faiblesses, opportunités, menaces)")
    room = FRAME_H - head.wrap(FRAME_W, FRAME_H)[1] - head.style.spaceAfter - intro.wrap(FRAME_W, FRAME_H)[1] - 12
    for style in ("swot_item", "swot_item_small"):
        grid = _grid(ctx, style)
        if grid.wrap(FRAME_W, room)[1] <= room:
            title1, body1, title2, body2 = grid._rowHeights
            share = (room - title1 - title2) / 2
            extra = (room - sum(grid._rowHeights)) / 2
            bodies = (share, share) if max(body1, body2) <= share else (body1 + extra, body2 + extra)
            return [PageBreak(), head, intro, _spacer(8), _grid(ctx, style, body_heights=bodies)]
    following = para("Grille AFOM (suite)", "h2")
    return [PageBreak(), head, intro, _spacer(8), _grid(ctx, "swot_item", QUADRANT_GRID[:1]),
            PageBreak(), following, _grid(ctx, "swot_item", QUADRANT_GRID[1:])]


def _spacer(h):
    from reportlab.platypus import Spacer

    return Spacer(1, h)


# --------------------------------------------------------------------------- options


def options(ctx: ReportContext) -> list:
    from reportlab.platypus import KeepTogether, PageBreak

    out = [PageBreak(), heading("Options stratégiques")]
    snap = ctx.snap
    if not snap.options:
        return out + [para("Aucune option stratégique n’a encore été formulée.", "body")]
    out.append(para("Une option répond à des éléments de la grille. Quand elle croise un élément interne (force ou "
                    f"faiblesse) et un élément externe (opportunité ou menace), son type le dit{NBSP}: force × "
                    "opportunité s’appuie sur une force pour saisir une opportunité, force × menace sur une force "
                    "pour parer une menace, faiblesse × opportunité saisit une opportunité pour corriger une "
                    "faiblesse, faiblesse × menace réduit une faiblesse qui exposerait le pôle à une menace.",
                    "muted"))
    by_uuid = snap.swot_by_uuid()
    actions_of: dict[str, list[int]] = {}
    for n, act in enumerate(snap.actions, 1):
        for o in act.options:
            actions_of.setdefault(o, []).append(n)
    for n, opt in enumerate(snap.options, 1):
        kind = option_kind_label(snap.option_quadrants(opt)) if snap.option_kind(opt) else ""
        title = f"Option {n}" + (f" · {kind}" if kind else "")
        block = [para(markup(title), "h3"), user_para(opt.text, "body")]
        linked = sorted((by_uuid[u] for u in opt.swot if u in by_uuid),
                        key=lambda it: (QUADRANT_ORDER.index(it.quadrant), it.position))
        if linked:
            block.append(para(f"<b>Répond à{NBSP}:</b>", "small"))
            for it in linked:
                block.append(para(f"<font color='{QUADRANT_COLOURS[it.quadrant]}'><b>"
                                  f"{markup(ctx.quadrant_title(it.quadrant))}</b></font>{NBSP}: {markup(it.text)}",
                                  "note_indented_option"))
        else:
            block.append(para("Aucun élément de la grille AFOM n’est encore rattaché à cette option.", "muted"))
        if opt.uuid in actions_of:
            nums = ", ".join(str(x) for x in actions_of[opt.uuid])
            plural = "s" if len(actions_of[opt.uuid]) > 1 else ""
            block.append(para(markup(f"Mise en œuvre dans le plan d’action : action{plural} n°{NBSP}{nums}."), "small"))
        out.append(KeepTogether(block))
    return out


# --------------------------------------------------------------------------- action plan


def action_plan(ctx: ReportContext) -> list:
    out = [heading("Plan d’action")]
    snap = ctx.snap
    if not snap.actions:
        return out + [para("Aucune action n’a encore été inscrite au plan.", "body")]
    options_n = ctx.option_numbers()
    rows = []
    for n, act in enumerate(snap.actions, 1):
        cell = [user_para(act.title, "cell")]
        refs = list(act.criteria) + [f"option {options_n[o]}" for o in act.options if o in options_n]
        if refs:
            cell.append(para(markup(" · ".join(refs)), "muted"))
        row = [para(str(n), "cell_c"), cell]
        if not ctx.anonymous:
            row.append(user_para(act.owner or "—", "cell"))
        row += [para(markup(fmt.long_date(act.due_on)), "cell"),
                para(markup(PRIORITY_LABELS.get(act.priority, str(act.priority))), "cell"),
                para(markup(ACTION_STATUS_LABELS.get(act.status, act.status)), "cell")]
        rows.append(row)
    header = ["N°", "Action"] + ([] if ctx.anonymous else ["Responsable"]) + ["Échéance", "Priorité", "Statut"]
    widths = [24, 215] + ([] if ctx.anonymous else [85]) + [90, 55, 60]
    return out + [data_table(header, rows, widths, centred={0})]
