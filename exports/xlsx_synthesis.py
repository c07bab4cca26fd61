"""The synthesis workbook written by ``exports.consolidate``, made to be used as it is.

Sheets: Lisez-moi, Pôles, Chiffres, Matrice, Domaines, Distribution, AFOM, Plan d’action,
À vérifier, Rejets (real refusals), Informations (copies, lock files, older versions).
Scores tables never mix referential versions: each (id, version) gets its own
Matrice/Domaines/Distribution sheets. Every sheet has unique column headers, wrapped
long texts, a filter, frozen titles and a print setup (landscape, one page wide, header
rows repeated, page numbers). User text copied from a pole's workbook never becomes a
formula here either (``xlsx_stream``), and the file is byte-for-byte reproducible.
"""

from __future__ import annotations

from datetime import date

from exports import xlsx_layout as L
from exports import xlsx_stream as X
from ptce_toolkit import atomic, fmt, scoring
from ptce_toolkit.snapshot import AnswerData

FIXED_ZIP_TIME = X.FIXED_ZIP_TIME
FIXED_DOC_TIME = X.FIXED_DOC_TIME

TITLE = X.Style(font=X.FONT_TITLE)
HELP = X.Style(font=X.FONT_HELP)
HEADER = X.Style(font=X.FONT_HEADER, fill=X.FILL_HEADER, border=True, wrap=True, center=True)
HEADER_ROTATED = X.Style(font=X.FONT_HEADER, fill=X.FILL_HEADER, border=True, rotate=90, center=True)
TEXT, WRAP = X.BODY, X.WRAP
CENTER = X.Style(center=True)
NUM2, NUM1, PCT = X.Style(number_format="0.00"), X.Style(number_format="0.0"), X.Style(number_format="0%")
DATE = X.Style(number_format="dd/mm/yyyy")
WARN = X.Style(fill=X.FILL_WARN, wrap=True)


class Column:
    __slots__ = ("header", "width", "style", "rotated")

    def __init__(self, header: str, width: float, style: X.Style = TEXT, rotated: bool = False):
        self.header, self.width, self.style, self.rotated = header, width, style, rotated


def _table(wb: X.Workbook, title: str, heading: str, help_text: str, columns: list[Column], rows, *,
           freeze_cols: int = 0, landscape: bool = True, row_styles=None, print_cols: int = 0) -> None:
    """Title, help line, header row (row 3, repeated on each printed page), then the data."""
    headers = [c.header for c in columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"feuille « {title} » : en-têtes en double {sorted(h for h in headers if headers.count(h) > 1)}")
    sheet = wb.sheet(title, [c.width for c in columns], freeze=f"{_letter(freeze_cols + 1)}4", filter_row=3,
                     title_rows=(3, 3), title_cols=freeze_cols, landscape=landscape, print_cols=print_cols)
    wb.append(sheet, [heading], TITLE, height=20)
    wb.append(sheet, [help_text], HELP)
    rotated = any(c.rotated for c in columns)
    lines = max(X._lines(c.header, c.width - 1) for c in columns if not c.rotated)
    height = max(48 if rotated else 0, X.LINE_HEIGHT * lines + 4)
    wb.append(sheet, headers, [HEADER_ROTATED if c.rotated else HEADER for c in columns], height=height)
    styles = [c.style for c in columns]
    for i, values in enumerate(rows):
        wb.append(sheet, values, row_styles(i, values, styles) if row_styles else styles)


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _year(e):
    return int(e.started_on[:4]) if e.started_on[:4].isdigit() else None


def _who(e) -> list:
    return [e.pole_name, e.title, _year(e)]


WHO = [Column("Pôle", 28, WRAP), Column("Intitulé de l’évaluation", 20, WRAP), Column("Année", 7, CENTER)]


def _poles(wb, entries, flags_of) -> None:
    cols = [*WHO, Column("Territoire", 22, WRAP), Column("Région", 16, WRAP), Column("Dép.", 6, CENTER),
            Column("État", 10), Column("Type de fichier", 12, WRAP), Column("Modifié après export", 9, CENTER),
            Column("À vérifier", 24, WRAP), Column("Fichier", 26, WRAP), Column("Référentiel", 26),
            Column("Identifiant du pôle", 37), Column("Identifiant de l’évaluation", 37)]
    rows = [[*_who(e), e.territory, e.region, e.department, L.ASSESSMENT_STATUS_LABELS.get(e.status, e.status),
             "questionnaire rempli" if e.kind == "template" else "export", L.YES if e.edited else L.NO,
             "\n".join(flags_of.get(e.file, [])), e.file, f"{e.ref_key[0]} {e.ref_key[1]}", e.pole_uuid,
             e.assessment_uuid] for e in entries]
    flagged = cols.index(next(c for c in cols if c.header == "À vérifier"))

    def warn(_, values, styles):
        return [WARN if i == flagged and values[flagged] else s for i, s in enumerate(styles)]

    _table(wb, "Pôles", "Pôles et évaluations", "Une ligne par évaluation retenue. « À vérifier » renvoie à la feuille "
           "du même nom ; les chiffres du profil sont dans la feuille Chiffres. Les trois dernières colonnes "
           "(référentiel, identifiants) ne sont pas imprimées.", cols, rows, freeze_cols=1, row_styles=warn,
           print_cols=len(cols) - 3)


def _figures(wb, entries, refs) -> None:
    """Profile figures, one row per figure: each keeps its qualifier, year and perimeter."""
    cols = [*WHO, Column("Chiffre", 34, WRAP), Column("Valeur", 12), Column("Unité", 9),
            Column("Qualificatif", 12), Column("Année du chiffre", 9, CENTER), Column("Périmètre", 26, WRAP)]
    by_key = {(r.id, r.version): r for r in refs}
    rows = []
    for e in entries:
        ref = by_key[e.ref_key]
        perimeters = {p.id: p.label for p in ref.perimeters}
        qualifiers = {q.id: q.label for q in ref.qualifiers}
        for f in ref.profile_fields:
            entry = e.profile.get(f.id) or {}
            if not f.figure or entry.get("value") is None:
                continue
            per = entry.get("perimeter")
            shown = perimeters.get(per, per) if per else (
                f"{perimeters.get(f.default_perimeter, f.default_perimeter)} (par défaut)" if f.default_perimeter else "")
            rows.append([*_who(e), f.label, entry.get("value"), f.unit,
                         qualifiers.get(entry.get("qualifier", ""), entry.get("qualifier", "")), entry.get("year"),
                         shown])
    _table(wb, "Chiffres", "Chiffres clés du profil", "Un chiffre par ligne, avec son année et son périmètre : ne les "
           "additionnez ni ne les comparez d’un périmètre à l’autre. Filtrez la colonne Chiffre.", cols, rows,
           freeze_cols=1)


def _scores_sheets(wb, ref, entries, suffix: str) -> None:
    crits = ref.criteria()
    short = _abbreviations(ref)
    _table(wb, f"Matrice{suffix}", f"Niveaux par critère — {ref.title} {ref.version}",
           f"0 à 4 ; « {short['not_applicable']} » = {ref.not_applicable.label}, « {short['unknown']} » = "
           f"{ref.unknown.label} ; vide = sans réponse. Énoncés des critères : feuille Distribution.",
           [*WHO, *[Column(c.id, 4.6, CENTER, rotated=True) for c in crits]],
           [[*_who(e), *[{"answered": lv}.get(st, short.get(st)) for st, lv in
                         (e.answers.get(c.id, ("unanswered", None)) for c in crits)]]
            for e in entries], freeze_cols=3)
    scored = [(e, scoring.score(ref, {c: AnswerData(c, s, lv) for c, (s, lv) in e.answers.items()}))
              for e in entries]
    _table(wb, f"Domaines{suffix}", f"Scores par domaine — {ref.title} {ref.version}",
           "Score = moyenne pondérée des niveaux 0 à 4 du domaine ; vide quand aucun critère n’est noté.",
           [*WHO, *[Column(d.short_title, 12, NUM2) for d in ref.domains], Column("Indice global", 9, NUM2),
            Column("Complétude", 12, PCT)],
           [[*_who(e), *[s.domains[d.id].score for d in ref.domains], s.overall, s.completion] for e, s in scored],
           freeze_cols=1)
    rows = []
    for c in crits:
        statuses = [e.answers.get(c.id, ("unanswered", None)) for e in entries]
        levels = [lv for st, lv in statuses if st == "answered"]
        stats = scoring.level_stats(levels)
        rows.append([c.id, c.statement, *[levels.count(v) for v in range(5)],
                     sum(st == "not_applicable" for st, _ in statuses), sum(st == "unknown" for st, _ in statuses),
                     sum(st == "unanswered" for st, _ in statuses), stats["n"], stats["mean"], stats["median"]])
    _table(wb, f"Distribution{suffix}", f"Distribution des niveaux — {ref.title} {ref.version}",
           "Nombre d’évaluations à chaque niveau ; moyenne et médiane sur les seules réponses notées.",
           [Column("Critère", 8), Column("Énoncé", 60, WRAP), *[Column(f"Niveau {v}", 7, CENTER) for v in range(5)],
            Column(ref.not_applicable.label, 8, CENTER), Column(ref.unknown.label, 8, CENTER),
            Column("Sans réponse", 8, CENTER), Column("Notées", 7, CENTER), Column("Moyenne", 9, NUM2),
            Column("Médiane", 8, NUM1)], rows, freeze_cols=2)


def _abbreviations(ref) -> dict[str, str]:
    """Short codes for the special answers in the narrow Matrice columns (« Sans objet » → « SO »)."""
    short = {st: "".join(w[0] for w in sp.label.split() if w[:1].isalpha()).upper()
             for st, sp in (("not_applicable", ref.not_applicable), ("unknown", ref.unknown))}
    if len(set(short.values())) < 2 or not all(short.values()):
        return {"not_applicable": ref.not_applicable.label, "unknown": ref.unknown.label}
    return short


def _due(text: str):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return text


def _actions(wb, entries) -> None:
    cols = [*WHO, Column("N°", 5, CENTER), Column("Action", 44, WRAP), Column("Responsable", 18, WRAP),
            Column("Échéance", 11, DATE), Column("Statut", 10), Column("Priorité", 8, CENTER),
            Column("Critères liés", 16, WRAP), Column("Options liées", 9, WRAP)]
    rows = [[*_who(e), n, title, owner, _due(due), L.ACTION_STATUS_LABELS.get(status, status), priority,
             ", ".join(crit), ", ".join(map(str, opts))]
            for e in entries for n, title, owner, due, status, priority, crit, opts in e.actions]
    _table(wb, "Plan d’action", "Plans d’action de tous les pôles", "Une action par ligne, avec son pôle, son "
           "responsable, son échéance, son statut et sa priorité (1 = haute, 3 = basse). Filtrez par statut ou "
           "par critère.", cols, rows, freeze_cols=1)


def write_synthesis(output, entries, rejections, flags, *, registry) -> None:
    wb = X.Workbook()
    groups: dict[tuple[str, str], list] = {}
    for e in entries:
        groups.setdefault(e.ref_key, []).append(e)
    # the most used referential first; the others get their own suffixed sheets
    keys = sorted(groups, key=lambda k: (-len(groups[k]), k))
    refs = [registry.get(*k) for k in keys]
    refused = [r for r in rejections if not r.info]
    infos = [r for r in rejections if r.info]
    lines = [("Synthèse de diagnostics PTCE", TITLE),
             (f"{fmt.plural(len(entries), '%n évaluation retenue', '%n évaluations retenues')} ; {fmt.plural(len({r.file for r in refused}), '%n fichier refusé', '%n fichiers refusés')} "
              f"(feuille Rejets) ; {fmt.plural(len({r.file for r in infos}), '%n fichier non repris', '%n fichiers non repris')} pour information (copies, "
              f"fichiers de verrouillage, versions plus anciennes : feuille Informations) ; {fmt.plural(len(flags), '%n point', '%n points')} "
              "à trancher (feuille À vérifier).", WRAP),
             ("Les doublons ne sont jamais fusionnés ni moyennés : une copie exacte compte une fois, une même "
              "évaluation reçue deux fois garde sa version la plus récente, chaque copie d’un questionnaire vierge "
              "remplie par un pôle différent compte comme un pôle, et deux copies remplies pour le même pôle sont "
              "gardées toutes les deux et signalées.", WRAP)]
    for k, ref in zip(keys, refs):
        lines.append((f"Référentiel « {ref.id} » version {ref.version} : {fmt.plural(len(groups[k]), '%n évaluation', '%n évaluations')}.", WRAP))
    lines += [("Feuilles : Pôles (une ligne par évaluation), Chiffres (profil), Matrice (niveaux), Domaines "
               "(scores), Distribution (par critère), AFOM, Plan d’action, À vérifier, Rejets, Informations. "
               "Chaque feuille s’imprime en paysage sur la largeur d’une page, en-têtes répétés.", WRAP)]
    readme = wb.sheet("Lisez-moi", [110])
    for text, style in lines:
        wb.append(readme, [text], style)
    flags_of: dict[str, list[str]] = {}
    for f in flags:
        for file in f.files:
            flags_of.setdefault(file, []).append(f.kind)
    _poles(wb, entries, flags_of)
    _figures(wb, entries, refs)
    for i, (k, ref) in enumerate(zip(keys, refs)):
        _scores_sheets(wb, ref, groups[k], "" if i == 0 else f" {ref.version}")
    quad_titles = {q: refs[0].quadrants[q].title for q in "SWOT"} if refs else {}
    _table(wb, "AFOM", "Grilles AFOM de tous les pôles", "Un élément par ligne, avec son pôle et son quadrant.",
           [*WHO, Column("Quadrant", 13), Column("Repère", 7, CENTER), Column("Élément", 60, WRAP),
            Column("Importance", 9, CENTER), Column("Critères liés", 16, WRAP)],
           [[*_who(e), quad_titles.get(q, q), L.swot_code(q, idx - 1), text, imp, ", ".join(crit)]
            for e in entries for q, idx, text, imp, crit in e.swot], freeze_cols=1)
    _actions(wb, entries)
    _table(wb, "À vérifier", "Points à trancher par une personne", "Rien n’a été fusionné ni moyenné.",
           [Column("Situation", 26, WRAP), Column("Fichiers", 36, WRAP), Column("Détail", 80, WRAP)],
           [[f.kind, "\n".join(f.files), f.detail] for f in flags])
    _table(wb, "Rejets", "Fichiers refusés", "Fichiers que la validation (la même qu’à l’import) a refusés : chaque "
           "ligne donne le fichier, le pôle quand il se lit, la raison, la feuille et la cellule en cause.",
           [Column("Fichier", 28, WRAP), Column("Pôle", 24, WRAP), Column("Raison", 70, WRAP), Column("Feuille", 12),
            Column("Cellule", 8)],
           [[r.file, r.pole, r.reason, r.sheet, r.cell] for r in refused])
    _table(wb, "Informations", "Fichiers non repris, pour information", "Rien d’anormal : copies exactes, fichiers de "
           "verrouillage laissés par un tableur ouvert, versions plus anciennes d’une évaluation retenue.",
           [Column("Fichier", 30, WRAP), Column("Pôle", 26, WRAP), Column("Information", 80, WRAP)],
           [[r.file, r.pole, r.reason] for r in infos])
    atomic.write_bytes(output, wb.to_bytes())
