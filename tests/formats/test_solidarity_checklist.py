"""The solidarity-practices checklist of criterion FIN.4 (referential 2.0.0): each practice « en place »,
« en projet », « non » or « sans objet », kept through the JSON and workbook exchanges, shown in the report."""

from __future__ import annotations

import subprocess

from exports.pdf_report import write_report
from exports.xlsx_export import export_workbook
from exports.xlsx_import import read_workbook
from ptce_toolkit import exchange
from ptce_toolkit import referential as r
from ptce_toolkit import services as sv
from ptce_toolkit import snapshot

CHECKLIST = {"pratique_achats": "en_place", "pratique_travail": "en_projet", "pratique_insertion": "non",
             "pratique_ecologie": "sans_objet"}


def _assessment(db):
    v2 = r.registry().get("ptce-referentiel-action", "2.0.0")
    pole = sv.create_pole(db, "Pôle des Pratiques").created
    uuid = sv.create_assessment(db, pole, "Diagnostic 2026", referential=v2).created
    for field, value in CHECKLIST.items():
        sv.set_profile_value(db, uuid, field, {"value": value})
    return v2, uuid


def _checklist(snap) -> dict:
    return {k: v["value"] for k, v in snap.assessment.profile.items() if k.startswith("pratique_")}


def test_the_checklist_is_declared_for_the_values_criterion():
    v2 = r.registry().get("ptce-referentiel-action", "2.0.0")
    fields = [f for f in v2.profile_fields if f.section == "Pratiques solidaires (FIN.4)"]
    assert len(fields) == 6 and v2.has_criterion("FIN.4")
    for f in fields:
        assert [c.label for c in f.choices] == ["en place", "en projet", "non", "sans objet"]


def test_json_and_workbook_round_trips_keep_the_checklist(db, tmp_path):
    v2, uuid = _assessment(db)
    assert _checklist(snapshot.load(db, uuid)) == CHECKLIST
    exchange.export_file(db, uuid, tmp_path / "p.json")
    doc = exchange.from_document(__import__("json").loads((tmp_path / "p.json").read_text(encoding="utf-8")))
    assert _checklist(doc) == CHECKLIST
    parsed = read_workbook(export_workbook(db, uuid, tmp_path / "p.xlsx"))
    assert _checklist(parsed.snapshot) == CHECKLIST and not parsed.edited


def test_the_report_shows_each_practice_and_its_state(db, tmp_path):
    _, uuid = _assessment(db)
    out = tmp_path / "rapport.pdf"
    write_report(db, uuid, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Achats auprès de fournisseurs du territoire ou de l’ESS" in text
    for state in ("en place", "en projet", "sans objet"):
        assert state in text
