"""The synthesis workbook written by ``exports.consolidate``.

Sheets: Lisez-moi, Pôles, Matrice, Domaines, Distribution, AFOM, À vérifier, Rejets.
Scores tables never mix referential versions: each (id, version) gets its own
Matrice/Domaines/Distribution sheets. Every text goes through ``xlsx_cells`` (user text
copied from a pole's workbook must not become a formula here either), and the file is
made byte-for-byte reproducible (fixed zip and document dates).
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from exports import xlsx_layout as L
from exports.xlsx_cells import put_text, put_value
from exports.xlsx_export import BORDER, HEADER_FILL, HEADER_FONT, HELP_FONT, TITLE_FONT
from ptce_toolkit import atomic, scoring
from ptce_toolkit.snapshot import AnswerData

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2000-01-01T00:00:00Z"
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(ws, value, *, font=None, alignment=None, number_format=None):
    c = WriteOnlyCell(ws)
    put_value(c, value)
    if font is not None:
        c.font = font
    if alignment is not None:
        c.alignment = alignment
    if number_format:
        c.number_format = number_format
    return c


def _table(wb, title: str, heading: str, help_text: str, headers: list[tuple[str, float]], rows,
           *, wrap: set[int] = frozenset(), number_formats: dict[int, str] | None = None, freeze: str = "A4"):
    """A write-only sheet (about twice as fast as the normal mode for thousands of rows)."""
    ws = wb.create_sheet(title[:31])
    for i, (_, w) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = freeze
    rows = list(rows)
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{3 + len(rows)}"
    ws.append([_cell(ws, heading, font=TITLE_FONT)])
    ws.append([_cell(ws, help_text, font=HELP_FONT)])
    header = []
    for h, _ in headers:
        c = _cell(ws, h, font=HEADER_FONT, alignment=Alignment(wrap_text=True, vertical="center"))
        c.fill, c.border = HEADER_FILL, BORDER
        header.append(c)
    ws.append(header)
    formats = number_formats or {}
    for values in rows:
        ws.append([None if v is None or v == "" else
                   _cell(ws, v, alignment=WRAP if i in wrap else None, number_format=formats.get(i))
                   for i, v in enumerate(values, start=1)])
    return ws


def _who(e) -> list:
    return [e.pole_name, e.title, int(e.started_on[:4]) if e.started_on[:4].isdigit() else None]


WHO = [("Pôle", 30), ("Évaluation", 24), ("Année", 8)]


def _level_text(ref, status: str, level):
    return {"answered": level, "not_applicable": ref.not_applicable.label, "unknown": ref.unknown.label}.get(status)


def _poles(wb, entries, refs) -> None:
    base = refs[0] if refs else None
    fields = [f for f in base.profile_fields if f.figure] if base else []
    headers = [*WHO, ("Territoire", 24), ("Région", 18), ("Dép.", 6), ("État", 11), ("Référentiel", 14),
               ("Fichier", 28), ("Modifié après export", 11), ("Identifiant du pôle", 38),
               ("Identifiant de l’évaluation", 38)]
    for f in fields:
        unit = f" ({f.unit})" if f.unit else ""
        headers += [(f"{f.label}{unit}", 14), (f"{f.label} – qualificatif", 11), (f"{f.label} – année", 8),
                    (f"{f.label} – périmètre", 20)]
    perimeters = {p.id: p.label for p in base.perimeters} if base else {}
    qualifiers = {q.id: q.label for q in base.qualifiers} if base else {}
    rows = []
    for e in entries:
        row = [*_who(e), e.territory, e.region, e.department, L.ASSESSMENT_STATUS_LABELS.get(e.status, e.status),
               f"{e.ref_key[0]} {e.ref_key[1]}", e.file, L.YES if e.edited else L.NO, e.pole_uuid, e.assessment_uuid]
        for f in fields:
            entry = e.profile.get(f.id) or {}
            if entry.get("value") is None:
                row += [None, "", None, ""]
                continue
            per = entry.get("perimeter")
            shown_per = perimeters.get(per, per) if per else (
                f"{perimeters.get(f.default_perimeter, f.default_perimeter)} (par défaut)" if f.default_perimeter else "")
            row += [entry.get("value"), qualifiers.get(entry.get("qualifier", ""), entry.get("qualifier", "")),
                    entry.get("year"), shown_per]
        rows.append(row)
    _table(wb, "Pôles", "Pôles et chiffres clés", "Une ligne par évaluation. Chaque chiffre garde son année et son "
           "périmètre : ne les additionnez ni ne les comparez d’un périmètre à l’autre.", headers, rows, freeze="B4")


def _scores_sheets(wb, ref, entries, suffix: str) -> None:
    crits = ref.criteria()
    _table(wb, f"Matrice{suffix}", f"Niveaux par critère — {ref.title} {ref.version}",
           f"0 à 4, « {ref.not_applicable.label} », « {ref.unknown.label} » ; vide = sans réponse.",
           [*WHO, *[(c.id, 8) for c in crits]],
           [[*_who(e), *[_level_text(ref, *e.answers.get(c.id, ("unanswered", None))) for c in crits]]
            for e in entries], freeze="D4")
    scored = [(e, scoring.score(ref, {c: AnswerData(c, s, lv) for c, (s, lv) in e.answers.items()}))
              for e in entries]
    fmt = {i: "0.00" for i in range(4, 4 + len(ref.domains) + 1)}
    fmt[4 + len(ref.domains) + 1] = "0%"
    _table(wb, f"Domaines{suffix}", f"Scores par domaine — {ref.title} {ref.version}",
           "Score = moyenne pondérée des niveaux 0 à 4 du domaine ; vide quand aucun critère n’est noté.",
           [*WHO, *[(d.short_title, 11) for d in ref.domains], ("Indice global", 10), ("Complétude", 11)],
           [[*_who(e), *[s.domains[d.id].score for d in ref.domains], s.overall, s.completion] for e, s in scored],
           number_formats=fmt, freeze="D4")
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
           [("Critère", 8), ("Énoncé", 60), *[(f"Niveau {v}", 8) for v in range(5)], (ref.not_applicable.label, 9),
            (ref.unknown.label, 9), ("Sans réponse", 9), ("Notées", 8), ("Moyenne", 9), ("Médiane", 9)],
           rows, wrap={2}, number_formats={12: "0.00", 13: "0.0"}, freeze="C4")


def write_synthesis(output, entries, rejections, flags, *, registry) -> None:
    wb = Workbook(write_only=True)
    groups: dict[tuple[str, str], list] = {}
    for e in entries:
        groups.setdefault(e.ref_key, []).append(e)
    # the most used referential first; the others get their own suffixed sheets
    keys = sorted(groups, key=lambda k: (-len(groups[k]), k))
    refs = [registry.get(*k) for k in keys]
    lines = [("Synthèse de diagnostics PTCE", TITLE_FONT),
             (f"{len(entries)} évaluation(s) retenue(s), {len({r.file for r in rejections})} fichier(s) "
              f"non retenu(s) (feuille Rejets), {len(flags)} point(s) à trancher (feuille À vérifier).", None),
             ("Les doublons ne sont jamais fusionnés ni moyennés : une copie exacte compte une fois, une même "
              "évaluation reçue deux fois garde sa version la plus récente, et les conflits de noms ou "
              "d’identifiants sont laissés à une personne.", None)]
    for k, ref in zip(keys, refs):
        lines.append((f"Référentiel « {ref.id} » version {ref.version} : {len(groups[k])} évaluation(s).", None))
    ws = wb.create_sheet("Lisez-moi")
    ws.column_dimensions["A"].width = 90
    for text, font in lines:
        ws.append([_cell(ws, text, font=font, alignment=WRAP)])
    _poles(wb, entries, refs)
    for i, (k, ref) in enumerate(zip(keys, refs)):
        _scores_sheets(wb, ref, groups[k], "" if i == 0 else f" {ref.version}")
    quad_titles = {q: refs[0].quadrants[q].title for q in "SWOT"} if refs else {}
    _table(wb, "AFOM", "Grilles AFOM de tous les pôles", "Un élément par ligne, avec son pôle et son quadrant.",
           [*WHO, ("Quadrant", 14), ("Repère", 8), ("Élément", 70), ("Importance", 10), ("Critères liés", 18)],
           [[*_who(e), quad_titles.get(q, q), L.swot_code(q, idx - 1), text, imp, ", ".join(crit)]
            for e in entries for q, idx, text, imp, crit in e.swot], wrap={6})
    _table(wb, "À vérifier", "Points à trancher par une personne", "Rien n’a été fusionné ni moyenné.",
           [("Situation", 30), ("Fichiers", 40), ("Détail", 90)],
           [[f.kind, "\n".join(f.files), f.detail] for f in flags], wrap={2, 3})
    _table(wb, "Rejets", "Fichiers non retenus", "Chaque ligne donne le fichier, la raison, et si possible la "
           "feuille et la cellule en cause.", [("Fichier", 34), ("Raison", 90), ("Feuille", 14), ("Cellule", 9)],
           [[r.file, r.reason, r.sheet, r.cell] for r in rejections], wrap={2})
    _save_reproducible(wb, output)


def _save_reproducible(wb, output) -> None:
    """Same content, same bytes: zip entries and document properties carry fixed dates."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<2>", data)
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME), data,
                          compress_type=zipfile.ZIP_DEFLATED)
    atomic.write_bytes(output, out.getvalue())
