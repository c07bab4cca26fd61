"""Write an assessment (or a blank questionnaire) as a ``ptce-classeur`` workbook.

Layout in :mod:`exports.xlsx_layout`, format in docs/FORMAT-XLSX.md. Every text goes
through :mod:`exports.xlsx_cells`; formulas are only those built here (labels, scores).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import RadarChart, Reference
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from exports import xlsx_layout as L
from exports import xlsx_readme
from exports.xlsx_cells import put_formula, put_text, put_value
from exports.xlsx_values import write_aliases
from ptce_toolkit import __version__, atomic, exchange
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.records import utc_now
from ptce_toolkit.snapshot import AnswerData, Snapshot
from ptce_toolkit.vocabulary import option_kind_label

TITLE_FONT = Font(bold=True, size=14, color="1F3864")
HELP_FONT = Font(italic=True, color="595959")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5597")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E0")  # pale yellow: "write here"
BAND_FILL = PatternFill("solid", fgColor="EEF2F8")  # every other domain, for reading
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
VOLATILE = ("exported_at", "app_version")


def content_hash(doc: dict) -> str:
    """sha256 of the document's canonical JSON without export-time fields."""
    clean = {k: v for k, v in doc.items() if k not in VOLATILE}
    clean["answers"] = [{k: v for k, v in a.items() if k != "updated_at"} for a in doc.get("answers", [])]
    for p in clean.get("participants", []):
        p["answers"] = [{k: v for k, v in a.items() if k != "updated_at"} for a in p.get("answers", [])]
    data = json.dumps(_canonical(clean), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# values _canonical gives back as they are: kept without a call (texts, whole numbers, booleans,
# None: most of a document's leaves)
_AS_IS = frozenset((str, int, bool, type(None)))


def _canonical(obj):
    """2.0 and 2 are the same figure (a spreadsheet stores both as 2): hash them alike."""
    if isinstance(obj, float) and obj.is_integer():
        return int(obj)
    if isinstance(obj, dict):
        return {k: v if v.__class__ in _AS_IS else _canonical(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [v if v.__class__ in _AS_IS else _canonical(v) for v in obj]
    return obj


def _q(text: str) -> str:
    """A string literal inside a formula the app builds."""
    return '"' + text.replace('"', '""') + '"'


class _Lists:
    """Hidden sheet holding the drop-down lists (ranges avoid the 255-character limit)."""

    def __init__(self, wb: Workbook):
        self.ws = wb.create_sheet("_listes")
        self.ws.sheet_state = "hidden"
        self.col = 0

    def add(self, values) -> str:
        self.col += 1
        letter = get_column_letter(self.col)
        for i, v in enumerate(values, start=1):
            put_value(self.ws.cell(i, self.col), v)
        return f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${len(values)}"


def header_row(ws, row: int, headers, *, height: float) -> None:
    """(header, width) pairs: white on blue, wrapped, with the column widths."""
    for i, (h, w) in enumerate(headers, start=1):
        c = ws.cell(row, i)
        put_text(c, h)
        c.font, c.fill, c.border = HEADER_FONT, HEADER_FILL, BORDER
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[row].height = height


def _validation(ws, formula: str, cells: str, prompt: str, *, kind: str = "list") -> None:
    dv = DataValidation(type=kind, formula1=formula, allow_blank=True, errorStyle="warning",
                        showErrorMessage=True, showInputMessage=bool(prompt))
    dv.errorTitle = "Valeur inattendue"
    dv.error = "Cette valeur n’est pas dans la liste ; l’import la vérifiera et pourra la refuser."
    dv.prompt = prompt
    dv.add(cells)
    ws.add_data_validation(dv)


def _sheet(wb: Workbook, title: str, heading: str, help_text: str, columns, freeze: str = "A4"):
    ws = wb.create_sheet(title)
    put_text(ws.cell(L.TITLE_ROW, 1), heading)
    ws.cell(L.TITLE_ROW, 1).font = TITLE_FONT
    put_text(ws.cell(L.HELP_ROW, 1), help_text)
    ws.cell(L.HELP_ROW, 1).font = HELP_FONT
    for i, col in enumerate(columns, start=1):
        c = ws.cell(L.HEADER_ROW, i)
        put_text(c, col.header)
        c.font, c.fill, c.border = HEADER_FONT, HEADER_FILL, BORDER
        c.alignment = Alignment(vertical="center", wrap_text=True)
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = col.width
        dim.hidden = col.hidden
    ws.row_dimensions[L.HEADER_ROW].height = 32
    ws.freeze_panes = freeze
    return ws


def _lines(text, width: float) -> int:
    """How many lines a wrapped text takes in a column (Excel does not size rows itself)."""
    if not isinstance(text, str) or not text:
        return 1
    per_line = max(int(width * 1.15), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def body_style(wb, name: str, *, wrap: bool, fill: PatternFill | None = None, unlocked: bool = False) -> str:
    """The named style ``name`` of a body cell (thin border, top-aligned), added to the
    workbook on first use: one assignment per cell instead of four (openpyxl hashes every
    style object it is given: half of an export's time went there)."""
    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=name, font=DEFAULT_FONT, border=BORDER, alignment=TOP_WRAP if wrap else TOP,
                                      fill=fill or PatternFill(), protection=UNLOCKED if unlocked else Protection()))
    return name


def _row(ws, row: int, columns, values: dict, *, where: str, band: bool = False) -> None:
    lines = max((_lines(values.get(c.key), c.width) for c in columns if c.wrap and not c.hidden), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * min(lines, 27)
    for i, col in enumerate(columns, start=1):
        c = ws.cell(row, i)
        # the style first: it replaces the whole cell format, put_value then adds its own
        # (number format, quote prefix of a text that starts with « = »)
        kind = "PTCE saisie" if col.editable else "PTCE bande" if band else "PTCE cellule"
        c.style = body_style(ws.parent, kind + (" à la ligne" if col.wrap else ""), wrap=col.wrap,
                             fill=INPUT_FILL if col.editable else BAND_FILL if band else None, unlocked=col.editable)
        v = values.get(col.key)
        if isinstance(v, str) and v.startswith("=") and col.key in values.get("_formulas", ()):
            put_formula(c, v)
        else:
            put_value(c, v, where=f"{where}, {col.header}")


def _protect(ws, *, landscape: bool = True) -> None:
    """Structure locked without password; people may still resize rows and columns.
    Printing: one page wide, header row repeated."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.max_row >= L.HEADER_ROW and ws.title not in (L.META, L.README):
        ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = p.formatCells = False
    p.selectLockedCells = p.selectUnlockedCells = False


def _iso_date(value: str):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return value


# --------------------------------------------------------------------------- sheets


def _profile_sheet(wb, snap: Snapshot, ref, lists: _Lists) -> None:
    cols = L.PROFILE_COLUMNS
    ws = _sheet(wb, L.PROFILE, "Profil du pôle et de l’évaluation",
                "Remplissez les cellules jaunes. Pour chaque chiffre, indiquez l’année, le périmètre et la source.",
                cols, freeze="C4")
    p, a = snap.pole, snap.assessment
    ident = {"pole.name": p.name, "pole.aliases": write_aliases(p.aliases), "pole.territory": p.territory,
             "pole.department": p.department, "pole.region": p.region, "pole.creation_year": p.creation_year,
             "pole.legal_form": p.legal_form, "pole.origin": p.origin, "assessment.title": a.title,
             "assessment.started_on": _iso_date(a.started_on), "assessment.completed_on": _iso_date(a.completed_on),
             "assessment.status": L.ASSESSMENT_STATUS_LABELS.get(a.status, a.status),
             "assessment.facilitator": a.facilitator}
    row = L.FIRST_ROW
    status_list = lists.add(list(L.ASSESSMENT_STATUS_LABELS.values()))
    for code, label, kind in L.IDENTITY_ROWS:
        _row(ws, row, cols, {"section": L.IDENTITY_SECTION[code.split(".")[0]], "label": label,
                             "value": ident[code], "code": code}, where=f"{L.PROFILE}, {label}", band=True)
        for col in cols:  # only the value is asked for these rows
            if col.key not in ("value",) and col.editable:
                cell = ws.cell(row, cols.index(col) + 1)
                cell.protection, cell.fill = Protection(locked=True), PatternFill()
        if kind == "date":
            ws.cell(row, 3).number_format = "DD/MM/YYYY"
        if kind == "department":
            ws.cell(row, 3).number_format = "@"  # « 05 » stays text when typed (the import also reads 5 as « 05 »)
        if kind == "assessment_status":
            _validation(ws, status_list, f"C{row}", "Brouillon ou Terminé")
        row += 1
    qual_list = lists.add([q.label for q in ref.qualifiers])
    per_list = lists.add([q.label for q in ref.perimeters])
    qualifiers = {q.id: q.label for q in ref.qualifiers}
    perimeters = {q.id: q.label for q in ref.perimeters}
    first_field = row
    for f in ref.profile_fields:
        entry = a.profile.get(f.id) or {}
        value = entry.get("value")
        if f.type == "choice" and isinstance(value, str):
            value = next((c.label for c in f.choices if c.id == value), value)
        values = {"section": f.section, "label": f.label, "value": value, "unit": f.unit if f.figure else "",
                  "qualifier": qualifiers.get(entry.get("qualifier", ""), entry.get("qualifier", "")),
                  "year": entry.get("year"),
                  "perimeter": perimeters.get(entry.get("perimeter", ""), entry.get("perimeter", "")),
                  "source": entry.get("source", ""), "definition": entry.get("definition", ""), "code": f.id}
        _row(ws, row, cols, values, where=f"{L.PROFILE}, {f.label}")
        # A percentage is written as 32.5 in a General cell (the unit is in the next column): a bare
        # « 32,5 » typed there stays 32.5, and « 32,5 % » becomes 0.325 formatted as a percentage,
        # which the import reads as 32.5. (A literal-« % » format keeps 0.325 shown « 0,325 % » in
        # LibreOffice; a percent format shows a bare 32,5 as « 3 250 % »: both measured.)
        if f.type == "choice":
            _validation(ws, lists.add([c.label for c in f.choices]), f"C{row}", "Choisissez dans la liste")
        row += 1
    last = row - 1
    _validation(ws, qual_list, f"E{first_field}:E{last}", "exact, environ, plus de…")
    _validation(ws, per_list, f"G{first_field}:G{last}", "À quoi le chiffre se rapporte")
    _validation(ws, "1900", f"F{first_field}:F{last}", "Année de référence du chiffre", kind="whole")
    ws.data_validations.dataValidation[-1].operator = "between"
    ws.data_validations.dataValidation[-1].formula2 = "2100"
    _protect(ws)


def _answers_sheet(wb, snap: Snapshot, ref, lists: _Lists) -> dict[str, tuple[int, int]]:
    cols = L.ANSWER_COLUMNS
    ws = _sheet(wb, L.ANSWERS, "Réponses au référentiel d’action",
                "Niveau : 0 à 4, « Sans objet » ou « Ne sait pas » ; laissez vide si vous n’avez pas encore répondu.",
                cols, freeze="D4")
    keys = [c.key for c in cols]
    lv, wt = (get_column_letter(keys.index(k) + 1) for k in ("level", "weight"))
    labels = ",".join(_q(x.label) for x in ref.levels)
    na, dk = ref.not_applicable.label, ref.unknown.label
    spans: dict[str, tuple[int, int]] = {}
    row = L.FIRST_ROW
    for di, d in enumerate(ref.domains):
        start = row
        for c in d.criteria:
            a = snap.answers.get(c.id)
            level = None if a is None else proposed(a, ref)
            values = {
                "domain": f"{d.id} – {d.short_title}", "criterion": c.id, "statement": c.statement, "level": level,
                "level_label": f"=IF(ISNUMBER({lv}{row}),IFERROR(CHOOSE({lv}{row}+1,{labels}),\"\"),\"\")",
                "status": (f"=IF({lv}{row}=\"\",\"Sans réponse\",IF(ISNUMBER({lv}{row}),\"Répondu\","
                           f"IF({lv}{row}={_q(na)},{_q(na)},IF({lv}{row}={_q(dk)},{_q(dk)},\"À vérifier\"))))"),
                "comment": a.comment if a else "", "evidence": a.evidence if a else "",
                "priority": (L.YES if a and a.priority else None), "weight": c.weight,
                "updated_at": a.updated_at if a else "", "level_value": _level_value_formula(f"{lv}{row}", na, dk),
                "_formulas": ("level_label", "status", "level_value"),
            }
            _row(ws, row, cols, values, where=f"{L.ANSWERS}, {c.id}", band=di % 2 == 1)
            row += 1
        spans[d.id] = (start, row - 1)
    last = row - 1
    _validation(ws, lists.add([0, 1, 2, 3, 4, na, dk]), f"{lv}{L.FIRST_ROW}:{lv}{last}",
                f"0 à 4, {na} ou {dk}")
    pr = get_column_letter(keys.index("priority") + 1)
    _validation(ws, lists.add([L.YES, L.NO]), f"{pr}{L.FIRST_ROW}:{pr}{last}", "oui si ce critère est prioritaire")
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{get_column_letter(len(cols))}{last}"
    _protect(ws)
    ws.protection.autoFilter = False
    return spans


def _level_value_formula(cell: str, na: str, dk: str) -> str:
    """The level of one Réponses row as a number (see xlsx_layout.LEVEL_*): a level typed as
    text (« 3 », « 3 - Opérationnel ») counts like the number, as the import reads it."""
    t = f"TRIM({cell})"
    first_digit = (f"IF(AND(OR(LEN({t})=1,MID({t},2,1)=\" \",MID({t},2,1)=\"-\"),"
                   f"ISNUMBER(FIND(LEFT({t},1),\"01234\"))),VALUE(LEFT({t},1)),{L.LEVEL_OTHER})")
    return (f"=IF(ISNUMBER({cell}),IF(AND({cell}>=0,{cell}<=4,{cell}=INT({cell})),{cell},{L.LEVEL_OTHER}),"
            f"IF({t}=\"\",{L.LEVEL_BLANK},IF({t}={_q(na)},{L.LEVEL_NA},IF({t}={_q(dk)},{L.LEVEL_DK},"
            f"{first_digit}))))")


def _scores_sheet(wb, snap: Snapshot, ref, last_row: int) -> None:
    """Live formulas over the whole block of answer rows (never a fixed range per domain: rows may
    be sorted, filtered or deleted), each domain picked by the prefix of its criterion ids; plus
    the values computed by the app at export, for readers that do not recalculate."""
    from ptce_toolkit import scoring

    ws = wb.create_sheet(L.SCORES)
    put_text(ws.cell(1, 1), "Scores par domaine (recalculés à partir de la feuille Réponses)")
    ws.cell(1, 1).font = TITLE_FONT
    put_text(ws.cell(2, 1), "Score = moyenne pondérée des niveaux 0 à 4 ; « Sans objet », « Ne sait pas » et les "
                            "réponses vides n’entrent pas dans la moyenne. Colonne J : valeurs à l’enregistrement "
                            "par l’application.")
    ws.cell(2, 1).font = HELP_FONT
    headers = ("Domaine", "Intitulé", "Score (0 à 4)", "Répondus", "Sans objet", "Ne sait pas", "Sans réponse",
               "Critères", "Dans l’indice global", "Score à l’export")
    header_row(ws, 3, zip(headers, (10, 44, 12, 11, 11, 11, 12, 10, 16, 12)), height=32)
    sheet = quote_sheetname(L.ANSWERS)
    keys = [c.key for c in L.ANSWER_COLUMNS]
    cr, wt, lv = (get_column_letter(keys.index(k) + 1) for k in ("criterion", "weight", "level_value"))
    first_data = L.FIRST_ROW
    crits, weights, levels = (f"{sheet}!${c}${first_data}:${c}${last_row}" for c in (cr, wt, lv))
    computed = scoring.score(ref, snap.answers)
    row = 4
    for d in ref.domains:
        prefix = d.id + "."
        mine = f"(LEFT({crits},{len(prefix)})={_q(prefix)})"
        answered_weight = f"SUMPRODUCT({mine}*({levels}>=0)*{weights})"
        put_text(ws.cell(row, 1), d.id)
        put_text(ws.cell(row, 2), d.title)
        put_formula(ws.cell(row, 3), f"=IF({answered_weight}=0,\"\","
                                     f"SUMPRODUCT({mine}*({levels}>=0)*{levels}*{weights})/{answered_weight})")
        put_formula(ws.cell(row, 4), f"=SUMPRODUCT({mine}*({levels}>=0))")
        put_formula(ws.cell(row, 5), f"=SUMPRODUCT({mine}*({levels}={L.LEVEL_NA}))")
        put_formula(ws.cell(row, 6), f"=SUMPRODUCT({mine}*({levels}={L.LEVEL_DK}))")
        put_formula(ws.cell(row, 7), f"=SUMPRODUCT({mine}*(({levels}={L.LEVEL_BLANK})+({levels}={L.LEVEL_OTHER})))")
        put_formula(ws.cell(row, 8), f"=SUMPRODUCT({mine}*1)")
        # scoring.py's rule: fewer than half of the applicable criteria answered = out of the index
        put_formula(ws.cell(row, 9), f"=IF(C{row}=\"\",\"\",IF(2*D{row}<H{row}-E{row},"
                                     f"\"insuffisamment renseigné\",C{row}))")
        put_value(ws.cell(row, 10), computed.domains[d.id].score)
        ws.cell(row, 3).number_format = ws.cell(row, 9).number_format = ws.cell(row, 10).number_format = "0.0"
        for i in range(1, 11):
            ws.cell(row, i).border = BORDER
        row += 1
    first, last = 4, row - 1
    put_text(ws.cell(row + 1, 2), "Indice global (moyenne des domaines suffisamment renseignés)")
    put_formula(ws.cell(row + 1, 3), f"=IF(COUNT(I{first}:I{last})=0,\"\",AVERAGE(I{first}:I{last}))")
    put_value(ws.cell(row + 1, 10), computed.overall)
    ws.cell(row + 1, 3).number_format = ws.cell(row + 1, 10).number_format = "0.0"
    put_text(ws.cell(row + 2, 2), "Complétude (réponses notées / critères applicables)")
    put_formula(ws.cell(row + 2, 3), f"=IF(SUM(H{first}:H{last})-SUM(E{first}:E{last})=0,0,"
                                     f"SUM(D{first}:D{last})/(SUM(H{first}:H{last})-SUM(E{first}:E{last})))")
    put_value(ws.cell(row + 2, 10), computed.completion)
    ws.cell(row + 2, 3).number_format = ws.cell(row + 2, 10).number_format = "0.0%"
    for r in (row + 1, row + 2):
        ws.cell(r, 2).font = ws.cell(r, 3).font = ws.cell(r, 10).font = Font(bold=True)
    chart = RadarChart()
    chart.type = "marker"
    chart.title = "Profil de maturité (0 à 4)"
    chart.style = 26
    chart.add_data(Reference(ws, min_col=3, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 4, 1
    chart.y_axis.delete = False
    chart.legend = None
    chart.height, chart.width = 11, 15
    ws.add_chart(chart, "K3")
    ws.freeze_panes = "A4"
    _protect(ws)


def _swot_sheet(wb, snap: Snapshot, ref, kind: str, lists: _Lists) -> None:
    cols = L.SWOT_COLUMNS
    ws = _sheet(wb, L.SWOT, "Grille AFOM (forces, faiblesses, opportunités, menaces)",
                "Un élément par ligne ; importance faible, moyenne ou forte ; critères liés : identifiants séparés "
                "par des virgules (ex. GOV.4, EVA.1).", cols)
    row = L.FIRST_ROW
    for qi, q in enumerate("SWOT"):
        items = sorted((s for s in snap.swot if s.quadrant == q), key=lambda s: s.position)
        for i in range(len(items) + L.SWOT_BLANK_ROWS[kind]):
            s = items[i] if i < len(items) else None
            values = {"code": L.swot_code(q, i), "quadrant": ref.quadrants[q].title}
            if s is not None:
                values.update(text=s.text, importance=L.IMPORTANCE_LABELS.get(s.importance, s.importance), criteria=", ".join(s.criteria), uuid=s.uuid)
            _row(ws, row, cols, values, where=f"{L.SWOT}, {L.swot_code(q, i)}", band=qi % 2 == 1)
            row += 1
    _validation(ws, lists.add([L.IMPORTANCE_LABELS[n] for n in (1, 2, 3)]), f"D{L.FIRST_ROW}:D{row - 1}",
                "Faible, Moyenne ou Forte")
    _protect(ws)


def _options_sheet(wb, snap: Snapshot, kind: str) -> None:
    cols = L.OPTION_COLUMNS
    ws = _sheet(wb, L.OPTIONS, "Options stratégiques",
                "Pour chaque option, indiquez les repères AFOM auxquels elle répond (ex. FO1, ME2).", cols)
    codes = {}
    for q in "SWOT":
        for i, s in enumerate(sorted((s for s in snap.swot if s.quadrant == q), key=lambda s: s.position)):
            codes[s.uuid] = L.swot_code(q, i)
    options = sorted(snap.options, key=lambda o: o.position)
    for i in range(len(options) + L.OPTION_BLANK_ROWS[kind]):
        o = options[i] if i < len(options) else None
        values = {"number": i + 1}
        if o is not None:
            values.update(text=o.text, swot=", ".join(codes.get(u, u) for u in o.swot),
                          kind=option_kind_label(snap.option_quadrants(o)), uuid=o.uuid)
        _row(ws, L.FIRST_ROW + i, cols, values, where=f"{L.OPTIONS}, n° {i + 1}")
    _protect(ws)


def _actions_sheet(wb, snap: Snapshot, kind: str, lists: _Lists) -> None:
    cols = L.ACTION_COLUMNS
    ws = _sheet(wb, L.ACTIONS, "Plan d’action",
                "Options liées : numéros de la feuille Options (ex. 1, 3) ; échéance au format JJ/MM/AAAA.", cols)
    numbers = {o.uuid: str(i + 1) for i, o in enumerate(sorted(snap.options, key=lambda o: o.position))}
    actions = sorted(snap.actions, key=lambda x: x.position)
    count = len(actions) + L.ACTION_BLANK_ROWS[kind]
    for i in range(count):
        x = actions[i] if i < len(actions) else None
        values = {"number": i + 1}
        if x is not None:
            values.update(title=x.title, owner=x.owner, due_on=_iso_date(x.due_on),
                          status=L.ACTION_STATUS_LABELS.get(x.status, x.status),
                          priority=L.PRIORITY_LABELS.get(x.priority, x.priority),
                          criteria=", ".join(x.criteria), options=", ".join(numbers.get(u, u) for u in x.options),
                          uuid=x.uuid)
        _row(ws, L.FIRST_ROW + i, cols, values, where=f"{L.ACTIONS}, n° {i + 1}")
        ws.cell(L.FIRST_ROW + i, 4).number_format = "DD/MM/YYYY"
    last = L.FIRST_ROW + count - 1
    _validation(ws, lists.add(list(L.ACTION_STATUS_LABELS.values())), f"E{L.FIRST_ROW}:E{last}", "État de l’action")
    _validation(ws, lists.add([L.PRIORITY_LABELS[n] for n in (1, 2, 3)]), f"F{L.FIRST_ROW}:F{last}",
                "Haute, Moyenne ou Basse")
    _protect(ws)


def _participants_sheet(wb, snap: Snapshot, ref) -> None:
    cols = L.PARTICIPANT_COLUMNS
    ws = _sheet(wb, L.PARTICIPANTS, "Réponses individuelles (atelier)",
                "Réponses de chaque participant avant la réponse commune ; la feuille Réponses fait foi.", cols)
    order = {c.id: i for i, c in enumerate(ref.criteria())}
    row = L.FIRST_ROW
    for p in sorted(snap.participants, key=lambda p: p.position):
        answers = sorted((x for x in snap.participant_answers.get(p.uuid, {}).values() if not x.is_empty),
                         key=lambda x: order.get(x.criterion, 10**6))
        for a in answers or [None]:
            values = {"name": p.name, "college": p.college, "uuid": p.uuid}
            if a is not None:
                level = {"answered": a.level, "not_applicable": ref.not_applicable.label,
                         "unknown": ref.unknown.label}.get(a.status)
                values.update(criterion=a.criterion, level=level, comment=a.comment, evidence=a.evidence,
                              priority=L.YES if a.priority else None, updated_at=a.updated_at)
            _row(ws, row, cols, values, where=f"{L.PARTICIPANTS}, {p.name}")
            row += 1
    _protect(ws)


def proposed(a: AnswerData, ref):
    """What a Réponses row holds for an answer: a level 0-4, the « Sans objet » or « Ne sait pas »
    label, or None (empty cell)."""
    return {"answered": a.level, "not_applicable": ref.not_applicable.label, "unknown": ref.unknown.label}.get(a.status)


def carry_meta(snap: Snapshot, ref) -> dict[str, str]:
    """The carried-over answers (services.carry), which no visible column holds: ``a_confirmer``, a
    JSON object criterion → what was proposed, as written in its Réponses row; ``repris_de``, a
    JSON object criterion → origin (« 1.0.0:GOV.4, … »). Empty text when there is none; ASCII
    only, so that any origin text comes back as it was (docs/FORMAT-XLSX.md)."""
    answers = [a for _, a in sorted(snap.answers.items()) if not a.is_empty]
    pending = {a.criterion: proposed(a, ref) for a in answers if a.to_confirm}
    origins = {a.criterion: a.carried_from for a in answers if a.carried_from}
    return {"a_confirmer": json.dumps(pending, separators=(",", ":")) if pending else "",
            "repris_de": json.dumps(origins, separators=(",", ":")) if origins else ""}


def _meta_sheet(wb, snap: Snapshot, ref, kind: str, doc: dict) -> None:
    ws = wb.create_sheet(L.META)
    ws.sheet_state = "hidden"
    values = {"format": L.FORMAT_NAME, "format_version": L.FORMAT_VERSION, "kind": kind,
              "referential_id": ref.id, "referential_version": ref.version, "app_version": __version__,
              "pole_uuid": snap.pole.uuid, "assessment_uuid": snap.assessment.uuid,
              "copied_from": snap.assessment.copied_from or "", "exported_at": utc_now(),
              "content_sha256": content_hash(doc), "template_id": ""}
    values.update(carry_meta(snap, ref))
    if kind == "template":
        # A campaign questionnaire carries no pole or assessment identity: each filled copy gets
        # one derived from this id and the pole name typed in it (exports.xlsx_import).
        values.update(pole_uuid="", assessment_uuid="", template_id=snap.assessment.uuid)
    put_text(ws.cell(1, 1), "clé")
    put_text(ws.cell(1, 2), "valeur")
    for i, key in enumerate(L.META_KEYS, start=2):
        put_text(ws.cell(i, 1), key)
        put_value(ws.cell(i, 2), values[key])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 22, 40
    _protect(ws)


# --------------------------------------------------------------------------- entry points


def build_workbook(snap: Snapshot, ref: ref_mod.Referential, *, kind: str = "export", progress=None) -> Workbook:
    """The whole workbook in memory; ``kind`` is "export" or "template" (more blank rows)."""
    steps = 9
    tick = progress or (lambda done, total, label: None)
    wb = Workbook()
    wb.remove(wb.active)
    doc = exchange.to_document(snap, ref)
    xlsx_readme.write_readme(wb, snap, ref, kind)
    lists = _Lists(wb)
    tick(1, steps, L.README)
    _profile_sheet(wb, snap, ref, lists)
    tick(2, steps, L.PROFILE)
    spans = _answers_sheet(wb, snap, ref, lists)
    tick(3, steps, L.ANSWERS)
    _scores_sheet(wb, snap, ref, max(b for _, b in spans.values()))
    tick(4, steps, L.SCORES)
    _swot_sheet(wb, snap, ref, kind, lists)
    tick(5, steps, L.SWOT)
    _options_sheet(wb, snap, kind)
    tick(6, steps, L.OPTIONS)
    _actions_sheet(wb, snap, kind, lists)
    tick(7, steps, L.ACTIONS)
    if snap.participants:
        from exports.xlsx_workshop import add_workshop_sheet

        _participants_sheet(wb, snap, ref)
        add_workshop_sheet(wb, snap, ref)
    _meta_sheet(wb, snap, ref, kind, doc)
    wb.move_sheet("_listes", offset=len(wb.sheetnames))
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True  # formulas carry no cached value: ask for a recalculation
    p = snap.pole
    wb.properties.title = f"{p.name} – {snap.assessment.title}" if p.name else snap.assessment.title
    wb.properties.creator = f"PTCE Toolkit {__version__}"
    tick(8, steps, L.META)
    return wb


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    path = Path(path)
    with atomic.atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def export_workbook(db, uuid: str, path: str | Path, *, progress=None) -> Path:
    """``ptce export UUID --xlsx FILE``; ``progress(done, total, label)`` for the GUI."""
    snap = snap_mod.load(db, uuid)
    ref = ref_mod.registry().get(snap.assessment.referential_id, snap.assessment.referential_version)
    wb = build_workbook(snap, ref, progress=progress)
    out = save_workbook(wb, path)
    if progress:
        progress(9, 9, Path(path).name)
    return out
