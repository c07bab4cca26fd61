"""Sheet « Séance » (workshop mode): each participant's rating beside the agreed answer.

``add_workshop_sheet(wb, snap, ref)`` adds it to an openpyxl workbook (before the hidden
sheets) and returns it, or adds nothing for a solo diagnostic. Criteria come in the order
of the discussion (most divergent first); measures are numbers, so they can be sorted
and charted. This sheet is for reading: the import never reads it (the « Participants »
sheet holds the individual answers).
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.xlsx_cells import put_text, put_value
from exports.xlsx_export import BORDER, body_style
from ptce_toolkit.services import workshop as ws

SHEET = "Séance"
TITLE_FONT = Font(bold=True, size=14, color="1F3864")
HELP_FONT = Font(italic=True, color="595959")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5597")
SPREAD_FILL = PatternFill("solid", fgColor="FCE4D6")  # criteria worth discussing
HEADER_ROW = 3


def _header(ws_, row: int, titles: list[str], widths: list[float] | None = None) -> None:
    for i, title in enumerate(titles, start=1):
        c = ws_.cell(row, i)
        put_text(c, title)
        c.font, c.fill, c.border = HEADER_FONT, HEADER_FILL, BORDER
        c.alignment = Alignment(vertical="center", wrap_text=True)
        if widths:
            ws_.column_dimensions[get_column_letter(i)].width = widths[i - 1]
    ws_.row_dimensions[row].height = 45


def _cells(ws_, row: int, values: list, *, fill=None, formats: dict[int, str] | None = None) -> None:
    for i, v in enumerate(values, start=1):
        c = ws_.cell(row, i)
        c.style = body_style(ws_.parent, "PTCE séance à discuter" if fill is not None else "PTCE séance", wrap=True,
                             fill=fill)  # first: put_value adds its own format to it
        put_value(c, v, where=f"{SHEET}, ligne {row}")
        if formats and i in formats and isinstance(v, float):
            c.number_format = formats[i]


def _rating(ref, answer) -> int | str | None:
    if answer is None or answer.status == "unanswered":
        return None
    if answer.status == "answered":
        return answer.level
    return ref.not_applicable.label if answer.status == "not_applicable" else ref.unknown.label


def add_workshop_sheet(wb, snap, ref, *, anonymous: bool = False):
    """The « Séance » sheet; ``anonymous`` names participants « Participant 1 », « 2 »…"""
    people = list(snap.participants)
    if not people:
        return None
    hidden = [i for i, s in enumerate(wb.worksheets) if s.sheet_state != "visible"]
    sheet = wb.create_sheet(SHEET, index=hidden[0] if hidden else None)
    put_text(sheet.cell(1, 1), "Séance de travail collective")
    sheet.cell(1, 1).font = TITLE_FONT
    put_text(sheet.cell(2, 1), "Notes de chaque participant, mesures de divergence et réponse retenue par le groupe "
                               "(seule cette dernière compte dans les scores). Critères les plus discutés en premier.")
    sheet.cell(2, 1).font = HELP_FONT

    names = [f"Participant {i}" if anonymous else p.name for i, p in enumerate(people, start=1)]
    titles = (["Critère", "Domaine", "Énoncé"]
              + [f"{n}\n({ws.college_label(p.college)})" for n, p in zip(names, people)]
              + ["Notes", "Moyenne", "Médiane", "Étendue", "Écart type", "À discuter", "Réponse retenue", "Raison"])
    _header(sheet, HEADER_ROW, titles, [9, 16, 50] + [14] * len(people) + [8, 9, 9, 9, 10, 10, 16, 45])
    first_stat = 4 + len(people)
    formats = {first_stat + 1: "0.00", first_stat + 2: "0.0", first_stat + 4: "0.00"}
    div = ws.compute_divergence(ref, people, snap.participant_answers, snap.answers)
    short = {d.id: d.short_title for d in ref.domains}
    row = HEADER_ROW + 1
    for cd in div.ordered():
        c = ref.criterion(cd.criterion_id)
        values = ([c.id, short[cd.domain_id], c.statement]
                  + [_rating(ref, cd.answers.get(p.uuid)) for p in people]
                  + [cd.n, cd.mean, cd.median, cd.range, cd.stdev, "oui" if cd.spread else "non",
                     _rating(ref, cd.agreed) if cd.agreed.status != "unanswered" else None,
                     None if anonymous else (cd.agreed.comment or None)])
        _cells(sheet, row, values, fill=SPREAD_FILL if cd.spread else None, formats=formats)
        row += 1
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 4)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(titles))}{row - 1}"

    row += 2
    put_text(sheet.cell(row - 1, 1), "Par domaine")
    sheet.cell(row - 1, 1).font = Font(bold=True, size=12, color="1F3864")
    _header(sheet, row, ["Domaine", "Intitulé", "Critères comparés", "Étendue moyenne", "Critères à discuter"])
    for d in ref.domains:
        dd = div.domains[d.id]
        row += 1
        _cells(sheet, row, [d.id, d.title, dd.compared, dd.mean_range, dd.spread_count], formats={4: "0.00"})
    return sheet
