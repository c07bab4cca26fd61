"""Report sections about the pole as a whole: cover, summary (« Synthèse »), profile."""

from __future__ import annotations

from ptce_toolkit import fmt
from ptce_toolkit.vocabulary import ASSESSMENT_STATUS_LABELS

from exports.pdf_layout import ReportContext, bar, data_table, heading, plain_table, subheading
from exports.pdf_radar import radar
from exports.pdf_styles import ACCENT, CM, FRAME_W, NBSP, PREVIOUS, markup, para, plain, user_para

# One name for a draft everywhere: the app's « Brouillon ».
STATUS = {"draft": ASSESSMENT_STATUS_LABELS["draft"].lower(), "completed": "diagnostic terminé"}


def _sp(h: float):
    from reportlab.platypus import Spacer

    return Spacer(1, h)


def _line(label: str, value_markup: str):
    return para(f"<b>{markup(label)}{NBSP}:</b> {value_markup}", "cover_line")


def cover(ctx: ReportContext) -> list:
    from reportlab.platypus import NextPageTemplate, PageBreak

    p, a, ref = ctx.snap.pole, ctx.snap.assessment, ctx.ref
    out = [_sp(3.2 * CM), para("RAPPORT D’AUTODIAGNOSTIC", "cover_kicker"), _sp(6),
           user_para(p.name, "cover_title")]
    place = [x for x in (p.territory, p.department and f"département{NBSP}{p.department}", p.region) if x]
    if place:
        out.append(user_para(" · ".join(place), "cover_sub"))
    motto = profile_entry(ctx, "accroche").get("value")
    if motto and not ctx.anonymous:
        out += [_sp(8), user_para(str(motto), "italic")]
    out += [_sp(30), user_para(a.title, "h2")]
    if a.started_on and a.completed_on:
        out.append(_line("Période", markup(f"du {fmt.long_date(a.started_on)} au {fmt.long_date(a.completed_on)}")))
    elif a.started_on:
        out.append(_line("Début", markup(fmt.long_date(a.started_on))))
    out.append(_line("État", markup(STATUS.get(a.status, a.status))))
    out.append(_line("Référentiel", markup(f"{ref.title}, version {ref.version}")))
    if not ctx.anonymous:
        if a.facilitator:
            out.append(_line("Animation", markup(a.facilitator)))
        if ctx.snap.participants:
            names = [pt.name + (f" ({pt.college})" if pt.college else "") for pt in ctx.snap.participants]
            out.append(_line("Ont participé", markup(", ".join(names))))
    elif ctx.snap.participants:
        n = len(ctx.snap.participants)
        out.append(_line("Participants", markup(f"{n} personne{'s' if n > 1 else ''}")))
    out += [_sp(36), _cover_figures(ctx), _sp(36),
            para(markup(f"Rapport établi le {fmt.long_date(ctx.generated_on)}."), "muted")]
    if ctx.anonymous:
        out.append(para("Version destinée à une diffusion hors du pôle"
                        f"{NBSP}: les commentaires, les preuves et les noms des personnes en ont été retirés.",
                        "muted"))
    return out + [NextPageTemplate("body"), PageBreak()]


def _index(value: float | None) -> str:
    return f"{fmt.score(value)} / 4" if value is not None else "—"


def _cover_figures(ctx: ReportContext):
    """Four figures in a band: the picture before the first page is turned."""
    from reportlab.lib import colors

    from exports.pdf_styles import ACCENT_LIGHT

    sc, snap = ctx.scores, ctx.snap
    figures = [(_index(sc.overall), "indice global"), (fmt.percent(sc.completion), "complétude"),
               (str(len(snap.swot)), "éléments de la grille AFOM"), (str(len(snap.actions)), "actions au plan")]
    cells = [[para(markup(v), "figure"), para(markup(label), "muted")] for v, label in figures]
    return plain_table([cells], [FRAME_W / 4] * 4,
                       [("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(ACCENT_LIGHT)),
                        ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                        ("LEFTPADDING", (0, 0), (-1, -1), 10)])


# --------------------------------------------------------------------------- summary


def _figure_block(label: str, value: str, note: str = "") -> list:
    out = [para(markup(label), "muted"), para(markup(value), "figure")]
    if note:
        out.append(para(note, "small"))
    return out + [_sp(8)]


def _counts_note(counts: dict, ref) -> str:
    parts = [f"{counts['not_applicable']} {ref.not_applicable.label.lower()}",
             f"{counts['unknown']} {ref.unknown.label.lower()}", f"{counts['unanswered']} sans réponse"]
    return markup(" · ".join(parts))


def summary(ctx: ReportContext) -> list:
    ref, sc = ctx.ref, ctx.scores
    any_score = sc.overall is not None  # with no score at all, one sentence says it, not nine labels
    labels = [plain(d.short_title) + ("\n(non noté)" if any_score and sc.domains[d.id].score is None else "")
              for d in ref.domains]
    current = [sc.domains[d.id].score for d in ref.domains]
    prev = None
    if ctx.previous_scores is not None:
        prev = [ctx.previous_scores.domains[d.id].score if d.id in ctx.previous_scores.domains else None
                for d in ref.domains]
    chart = radar(labels, current, prev, width=300)
    legend = f"<font color='{ACCENT}'>━━</font> {markup(ctx.snap.assessment.title)}"
    if prev is not None:
        legend += f"{NBSP * 3}<font color='{PREVIOUS}'>╍╍</font> {markup(ctx.previous.assessment.title)}"
    applicable = sum(sc.counts.values()) - sc.counts["not_applicable"]
    right = _figure_block("Indice global (échelle de 0 à 4)", _index(sc.overall),
                          "moyenne des domaines suffisamment renseignés")
    right += _figure_block("Complétude", fmt.percent(sc.completion),
                           markup(f"{sc.counts['answered']} critères notés sur {applicable} applicables"))
    right += [para(_counts_note(sc.counts, ref), "small")]
    if ctx.previous_scores is not None:
        right += [_sp(8), para(markup(f"{ctx.previous.assessment.title}{NBSP}: indice "
                                      f"{fmt.score(ctx.previous_scores.overall)} / 4, complétude "
                                      f"{fmt.percent(ctx.previous_scores.completion)}"), "muted")]
    top = plain_table([[[chart, para(legend, "small")], right]], [300, FRAME_W - 300],
                      [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    out = [heading("Synthèse"), top, _sp(6)]
    out += _strengths(ctx)
    out += _domain_table(ctx)
    out += key_figures(ctx)
    out += _priorities(ctx)
    return out


def _strengths(ctx: ReportContext) -> list:
    sc, ref = ctx.scores, ctx.ref
    scored = [d for d in sc.domains.values() if d.score is not None]
    if not scored:
        return [para("Aucun critère n’a encore reçu de niveau : les scores ne sont pas calculés.", "body"), _sp(6)]
    k = min(2, max(1, len(scored) // 2))
    strong = sc.strongest(k)
    weak = [d for d in sc.weakest(k) if d not in strong]

    def cell(title, ids):
        items = [para(f"<b>{markup(title)}</b>", "h3")]
        items += [para(markup(f"{ref.domain(i).title} ({fmt.score(sc.domains[i].score)})"), "body") for i in ids]
        return items

    t = plain_table([[cell("Points d’appui", strong), cell("À renforcer en priorité", weak) if weak else ""]],
                    [FRAME_W / 2] * 2, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [t, _sp(6)]


def domain_counts(ds, ref) -> str:
    parts = [f"{ds.answered} / {ds.criteria} notés"]
    if ds.not_applicable:
        parts.append(f"{ds.not_applicable} {ref.not_applicable.label.lower()}")
    if ds.unknown:
        parts.append(f"{ds.unknown} {ref.unknown.label.lower()}")
    if ds.score is not None and ds.insufficient:
        parts.append("insuffisamment renseigné, hors indice")
    return ", ".join(parts)


def _domain_table(ctx: ReportContext) -> list:
    ref, sc = ctx.ref, ctx.scores
    rows = []
    for d in ref.domains:
        ds = sc.domains[d.id]
        rows.append([para(str(ctx.domain_number(d.id)), "cell_c"), user_para(d.title, "cell"),
                     para(markup(fmt.score(ds.score)), "cell_b"), bar(ds.score, 70),
                     para(markup(domain_counts(ds, ref)), "cell")])
    return [subheading("Scores par domaine"),
            data_table(["N°", "Domaine", "Score", "Sur 4", "Critères"], rows, [24, 200, 40, 80, 130],
                       centred={0}, extra_style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]


# --------------------------------------------------------------------------- profile


def profile_entry(ctx: ReportContext, field_id: str) -> dict:
    """{value, qualifier, year, perimeter, source} of one profile field ({} when empty; a bare value is
    taken as the value, so an odd import never stops the report)."""
    entry = ctx.snap.assessment.profile.get(field_id)
    if entry is None:
        return {}
    return entry if isinstance(entry, dict) else {"value": entry}


def _number(value):
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ".").replace(NBSP, "").replace(" ", ""))
        except ValueError:
            return None
    return value


def profile_value(ref, field, entry: dict) -> str:
    """« environ 410 personnes », « 152 000 € », « 32,5 % », or a choice's label."""
    value = entry.get("value")
    if value in (None, ""):
        return ""
    if field.type == "choice":
        return next((c.label for c in field.choices if c.id == value), str(value))
    if field.type in ("integer", "decimal", "money", "percent"):
        n = _number(value)
        if n is None:
            text = str(value)
        elif field.type == "money":
            text = fmt.money(n)
        elif field.type == "percent":
            text = fmt.percent(n / 100, 0 if float(n).is_integer() else 1)
        else:
            text = fmt.number(int(n) if float(n).is_integer() else n, 0 if float(n).is_integer() else 1)
            text += f" {field.unit}" if field.unit else ""
        qualifier = entry.get("qualifier") or "exact"
        label = next((q.label for q in ref.qualifiers if q.id == qualifier), qualifier)
        if qualifier == "estimation":
            return f"{text} ({label})"
        return text if qualifier == "exact" else f"{label} {text}"
    return str(value)


def _perimeter(ref, entry: dict, field) -> str:
    pid = entry.get("perimeter") or field.default_perimeter
    return next((p.label for p in ref.perimeters if p.id == pid), pid or "")


def _figure_rows(ctx: ReportContext, fields, with_source: bool) -> list:
    ref = ctx.ref
    rows = []
    for f in fields:
        entry = profile_entry(ctx, f.id)
        text = profile_value(ref, f, entry)
        if not text:
            continue
        row = [user_para(f.label, "cell"), user_para(text, "cell_b"),
               para(markup(str(entry.get("year") or "")), "cell_c"), user_para(_perimeter(ref, entry, f), "cell")]
        if with_source:
            row.append(user_para(entry.get("source", ""), "cell"))
        rows.append(row)
    return rows


def key_figures(ctx: ReportContext) -> list:
    from ptce_toolkit.plausibility import benchmark_text

    ref = ctx.ref
    fields = [f for f in ref.profile_fields if f.key]
    shown = [f for f in fields if profile_value(ref, f, profile_entry(ctx, f.id))]
    rows = _figure_rows(ctx, fields, with_source=False)
    out = [subheading("Chiffres clés du pôle")]
    if not rows:
        return out + [para("Aucun chiffre clé n’a été renseigné dans le profil.", "body")]
    if not any(ref.benchmarks_for(f.id) for f in shown):
        return out + [data_table(["Indicateur", "Valeur", "Année", "Périmètre"], rows, [180, 140, 46, 150],
                                 centred={2})]
    # the sources' figures beside the pole's own: a reference point, never a threshold
    for row, f in zip(rows, shown):
        row.append(user_para(benchmark_text(ref, f.id, with_perimeter=False), "cell"))
    sources = sorted({b.source for f in shown for b in ref.benchmarks_for(f.id)})
    return out + [data_table(["Indicateur", "Valeur", "Année", "Périmètre", "Repère des sources"], rows,
                             [120, 95, 46, 110, 145], centred={2}),
                  para(markup("Repères : " + " ; ".join(sources) + ". Ils situent le pôle, sans fixer "
                              "de niveau ; ne les comparez qu’à un chiffre de même périmètre et de même "
                              "définition."), "muted")]


def _priorities(ctx: ReportContext) -> list:
    ids = ctx.scores.priority_criteria
    if not ids:
        return []
    out = [subheading("Critères marqués comme prioritaires")]
    for cid in ids:
        out.append(para(f"<b>{markup(cid)}</b>{NBSP}{NBSP}{markup(ctx.ref.criterion(cid).statement)}", "body"))
    return out


def _figures_table(ctx: ReportContext) -> list:
    """Every figure filled in, one table, a band per section of the referential's profile."""
    from reportlab.lib import colors

    from exports.pdf_styles import ACCENT_LIGHT

    with_source = not ctx.anonymous
    fields = [f for f in ctx.ref.profile_fields if f.figure]
    rows, bands = [], []
    for section in dict.fromkeys(f.section for f in fields):
        section_rows = _figure_rows(ctx, [f for f in fields if f.section == section], with_source)
        if section_rows:
            bands.append(len(rows) + 1)  # +1: the header row
            rows.append([para(f"<b>{markup(section)}</b>", "cell")] + [""] * (len(section_rows[0]) - 1))
            rows += section_rows
    if not rows:
        return []
    header = ["Indicateur", "Valeur", "Année", "Périmètre"] + (["Source"] if with_source else [])
    widths = [140, 100, 46, 105] + ([110] if with_source else [])
    style = [cmd for r in bands for cmd in (("SPAN", (0, r), (-1, r)),
                                            ("BACKGROUND", (0, r), (-1, r), colors.HexColor(ACCENT_LIGHT)))]
    return [subheading("Chiffres du pôle"), data_table(header, rows, widths, extra_style=style, centred={2})]


def profile(ctx: ReportContext) -> list:
    """Identity of the pole, every figure filled in, and (inside the pole only) its own narrative."""
    ref, p = ctx.ref, ctx.snap.pole
    out = [heading("Profil du pôle")]
    identity = [("Territoire", p.territory), ("Département", p.department), ("Région", p.region),
                ("Année de création", str(p.creation_year or "")), ("Forme juridique", p.legal_form),
                ("Origine", p.origin), ("Autres noms", ", ".join(p.aliases))]
    for f in ref.profile_fields:
        if not f.figure and f.type != "longtext":
            identity.append((f.label, profile_value(ref, f, profile_entry(ctx, f.id))))
    rows = [[user_para(k, "cell_b"), user_para(v, "cell")] for k, v in identity if v]
    if rows:
        out.append(data_table(["Identité", ""], rows, [170, 330]))
    out += _figures_table(ctx)
    if not ctx.anonymous:
        story = [(f.label, profile_entry(ctx, f.id).get("value")) for f in ref.profile_fields
                 if f.type == "longtext" and f.id != "accroche"]  # the motto is on the cover
        story = [(k, v) for k, v in story if v]
        if story:
            out.append(subheading("Le pôle raconté par ses membres"))
            for label, text in story:
                out += [heading(label, "h3", None, 40), user_para(str(text), "body")]
    return out
