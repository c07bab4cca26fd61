"""Workshop section of the PDF report and « Séance » sheet of the workbook, built standalone."""

from __future__ import annotations

import subprocess

import openpyxl
import pytest

from exports import pdf_report
from exports.pdf_workshop import workshop_section
from exports.xlsx_export import build_workbook, save_workbook
from exports.xlsx_import import read_workbook
from exports.xlsx_workshop import add_workshop_sheet
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit import services as sv
from ptce_toolkit.services import workshop as ws

PEOPLE = [("Awa Diallo", "ess"), ("Bruno Marchal", "entreprise"), ("Claire Roussel", "collectivite"),
          ("David Nguyen", "recherche"), ("Élise Fontaine", "ess")]
RATINGS = {"GOV.1": [0, 4, 2, 2, 2], "FIN.1": [2, 2, 2, 3, 2], "EVA.1": [1, 1, 3, 3, None]}
REASON = "Le bureau se réunit, mais les décisions se prennent ailleurs."


@pytest.fixture
def session(db):
    pole = sv.create_pole(db, "Pôle de l’Estuaire").created
    uuid = sv.create_assessment(db, pole, "Séance de printemps").created
    people = [ws.add_participant(db, uuid, n, c).created for n, c in PEOPLE]
    for crit, levels in RATINGS.items():
        for p, lv in zip(people, levels):
            if lv is not None:
                ws.set_rating(db, uuid, p, crit, level=lv)
    ws.record_agreed(db, uuid, "GOV.1", level=1, reason=REASON)
    return db, uuid


def pdf_text(db, uuid, tmp_path, *, anonymous=False) -> str:
    from reportlab.platypus import SimpleDocTemplate

    ctx = pdf_report.load_context(db, uuid, anonymous=anonymous)
    path = tmp_path / ("anonyme.pdf" if anonymous else "seance.pdf")
    SimpleDocTemplate(str(path)).build(workshop_section(ctx))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())  # lines wrap where the table says: compare words


def test_pdf_section_lists_people_by_college_and_what_was_decided(session, tmp_path):
    db, uuid = session
    text = pdf_text(db, uuid, tmp_path)
    assert "Séance de travail collective" in text
    assert "5 participants ont noté" in text
    assert "Awa Diallo, Élise Fontaine" in text  # both speak for an ESS structure
    assert "0·2·2·2·4" in text.replace(" ", "")  # GOV.1, the most divergent (pdftotext drops some spaces)
    assert "4 / 1,26" in text  # range / population standard deviation (√1,6)
    assert "1 · Émergent" in text  # the agreed level, not any participant's
    assert "les décisions se prennent ailleurs" in text
    assert "EVA.1" in text  # range 2: discussed
    assert "FIN.1" not in text  # range 1: views converge, not listed
    assert "Structure de l’ESS" in text and "Entreprise" in text


def test_pdf_anonymous_section_names_no_one_and_drops_the_reasons(session, tmp_path):
    db, uuid = session
    text = pdf_text(db, uuid, tmp_path, anonymous=True)
    assert "2 personnes" in text
    for name, _ in PEOPLE:
        assert name not in text
    assert "ailleurs" not in text
    assert "0·2·2·2·4" in text.replace(" ", "")


def test_pdf_solo_diagnostic_has_no_section_and_one_person_no_measure(demo, tmp_path):
    db, uuid = demo
    assert workshop_section(pdf_report.load_context(db, uuid)) == []
    ws.add_participant(db, uuid, "Coordinatrice", "salaries")
    text = pdf_text(db, uuid, tmp_path)
    assert "Une personne a noté" in text
    assert "aucune divergence" in text


def test_seance_sheet_matrix_measures_and_domains(session, ref, tmp_path):
    db, uuid = session
    snap = snap_mod.load(db, uuid)
    wb = build_workbook(snap, ref)  # the export adds the session sheet itself when there are participants
    sheet = wb["Séance"]
    assert wb.sheetnames.count("Séance") == 1
    assert wb.sheetnames.index("Séance") < wb.sheetnames.index("_meta")  # before the hidden sheets
    path = save_workbook(wb, tmp_path / "seance.xlsx")
    ws_ = openpyxl.load_workbook(path)["Séance"]
    header = [c.value for c in ws_[3]]
    assert header[:4] == ["Critère", "Domaine", "Énoncé", "Awa Diallo\n(Structure de l’ESS)"]
    col = {h: i for i, h in enumerate(header)}
    first = [c.value for c in ws_[4]]
    assert first[0] == "GOV.1"  # most divergent first
    assert first[3:8] == [0, 4, 2, 2, 2]
    assert (first[col["Notes"]], first[col["Moyenne"]], first[col["Étendue"]], first[col["À discuter"]]) == \
        (5, 2, 4, "oui")
    assert first[col["Écart type"]] == pytest.approx(1.6 ** 0.5)
    assert (first[col["Réponse retenue"]], first[col["Raison"]]) == (1, REASON)
    second = [c.value for c in ws_[5]]
    assert (second[0], second[7], second[col["Notes"]], second[col["Étendue"]]) == ("EVA.1", None, 4, 2)
    gov = next(r for r in ws_.iter_rows(values_only=True) if r[0] == "GOV" and r[2] is not None)
    assert gov[2:5] == (1, 4, 1)  # one criterion compared, its range, discussed
    fin = next(r for r in ws_.iter_rows(values_only=True) if r[0] == "FIN" and r[2] is not None)
    assert fin[2:5] == (1, 1, 0)
    assert sheet.title == "Séance"
    parsed = read_workbook(path)  # the extra sheet does not disturb the import
    assert parsed.snapshot.answers["GOV.1"].level == 1


def test_seance_sheet_text_never_becomes_a_formula(db, ref, tmp_path):
    pole = sv.create_pole(db, "Pôle").created
    uuid = sv.create_assessment(db, pole).created
    p = ws.add_participant(db, uuid, "=HYPERLINK(\"http://x\")", "ess").created
    ws.set_rating(db, uuid, p, "GOV.1", level=2)
    ws.record_agreed(db, uuid, "GOV.1", level=2, reason="+33 6 00 00 00 00")
    snap = snap_mod.load(db, uuid)
    wb = openpyxl.Workbook()
    add_workshop_sheet(wb, snap, ref, anonymous=False)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    sheet = openpyxl.load_workbook(path)["Séance"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert any(c.value.startswith("=HYPERLINK") for c in cells)


def test_seance_sheet_anonymous_and_solo(session, ref, demo):
    db, uuid = session
    snap = snap_mod.load(db, uuid)
    wb = openpyxl.Workbook()
    sheet = add_workshop_sheet(wb, snap, ref, anonymous=True)
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Participant 1\n(Structure de l’ESS)" in values
    assert not any(isinstance(v, str) and ("Awa" in v or "ailleurs" in v) for v in values)
    solo_db, solo_uuid = demo
    wb = openpyxl.Workbook()
    assert add_workshop_sheet(wb, snap_mod.load(solo_db, solo_uuid), ref) is None
    assert "Séance" not in wb.sheetnames
