"""LibreOffice as an independent oracle: its recalculation of the Scores sheet must equal the
app's scoring, and user text that looks like a formula must stay text all the way."""

from __future__ import annotations

import openpyxl
import pytest

from exports.xlsx_cells import put_text
from exports.xlsx_export import build_workbook, export_workbook, save_workbook
from exports.xlsx_import import import_workbook
from exports.xlsx_template import blank_snapshot, write_template
from ptce_toolkit import scoring
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.snapshot import AnswerData, SwotData
from tests.helpers import lo_client, lo_oracle

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("lo"),
              pytest.mark.skipif(not lo_client.available(), reason="LibreOffice ou python3-uno absent")]
HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://exemple.invalid";"clic")', "=2*3"]


def _scores_from_lo(csv_rows, ref):
    by_domain = {row[0]: row for row in csv_rows[3:] if row and row[0] in {d.id for d in ref.domains}}
    overall = next(r for r in csv_rows if len(r) > 2 and r[1].startswith("Indice global"))
    completion = next(r for r in csv_rows if len(r) > 2 and r[1].startswith("Complétude"))
    return by_domain, lo_oracle.number(overall[2]), lo_oracle.number(completion[2])


def _check_scores(path, ref, answers, tmp_path):
    sheets = lo_oracle.sheets_as_csv(path, tmp_path / "csv")
    by_domain, overall, completion = _scores_from_lo(sheets["Scores"], ref)
    expected = scoring.score(ref, answers)
    for d in ref.domains:
        row, exp = by_domain[d.id], expected.domains[d.id]
        got = lo_oracle.number(row[2])
        assert (got is None) == (exp.score is None), d.id
        if exp.score is not None:
            assert got == pytest.approx(exp.score, abs=1e-9), d.id
        assert [int(x) for x in row[3:8]] == [exp.answered, exp.not_applicable, exp.unknown, exp.unanswered,
                                              exp.criteria], d.id
    assert (overall is None) == (expected.overall is None)
    if expected.overall is not None:
        assert overall == pytest.approx(expected.overall, abs=1e-9)
    assert completion == pytest.approx(expected.completion, abs=1e-9)


def test_scores_recalculated_by_libreoffice_equal_the_app(demo, tmp_path, ref):
    db, uuid = demo
    path = export_workbook(db, uuid, tmp_path / "demo.xlsx")
    _check_scores(path, ref, snap_mod.load(db, uuid).answers, tmp_path)


def test_scores_of_a_sparse_assessment(tmp_path, ref):
    snap = blank_snapshot(ref, "Pôle clairsemé")
    snap.answers = {"FIN.1": AnswerData("FIN.1", "answered", 4), "FIN.2": AnswerData("FIN.2", "not_applicable"),
                    "GOV.3": AnswerData("GOV.3", "unknown"), "GOV.4": AnswerData("GOV.4", "answered", 0),
                    "RES.1": AnswerData("RES.1", "not_applicable")}
    path = save_workbook(build_workbook(snap, ref), tmp_path / "sparse.xlsx")
    _check_scores(path, ref, snap.answers, tmp_path)


def test_formula_looking_text_stays_text_in_libreoffice(tmp_path, ref, db):
    snap = blank_snapshot(ref, "=HYPERLINK(\"http://exemple.invalid\")")
    for i, text in enumerate(HOSTILE):
        crit = ref.criteria()[i].id
        snap.answers[crit] = AnswerData(crit, "answered", 2, text, text, False, "2026-01-01T00:00:00Z")
    snap.swot = [SwotData("6f1c1c1e-0000-4000-8000-000000000001", "S", "=1+1", 2, 0, [])]
    exported = save_workbook(build_workbook(snap, ref), tmp_path / "export.xlsx")
    sheets = lo_oracle.sheets_as_csv(exported, tmp_path / "csv1")
    comments = [row[6] for row in sheets["Réponses"][3:3 + len(HOSTILE)]]
    assert comments == HOSTILE  # shown as typed, never computed (=1+1 would show 2)
    assert sheets["AFOM"][3][2] == "=1+1"
    # a person opens the export in LibreOffice and saves it: the text is still text on import
    saved = lo_oracle.roundtrip_xlsx(exported, tmp_path / "lo")
    uuid = import_workbook(db, saved).assessment_uuid
    back = snap_mod.load(db, uuid)
    assert [back.answers[ref.criteria()[i].id].comment for i in range(len(HOSTILE))] == HOSTILE
    assert back.pole.name == snap.pole.name and back.swot[0].text == "=1+1"


def test_template_filled_with_formula_looking_text(tmp_path, db):
    """A questionnaire filled with text that starts with = + - @ (typed as text) imports as text."""
    path = write_template(tmp_path / "q.xlsx", pole_name="Pôle texte")
    wb = openpyxl.load_workbook(path)
    ws = wb["Réponses"]
    for i, text in enumerate(HOSTILE):
        put_text(ws.cell(4 + i, 7), text)
        ws.cell(4 + i, 4).value = 1
    wb.save(tmp_path / "rempli.xlsx")
    saved = lo_oracle.roundtrip_xlsx(tmp_path / "rempli.xlsx", tmp_path / "lo")
    snap = snap_mod.load(db, import_workbook(db, saved).assessment_uuid)
    assert sorted(a.comment for a in snap.answers.values()) == sorted(HOSTILE)


def test_formula_looking_text_stays_text_through_consolidation(tmp_path, ref):
    from exports.consolidate import consolidate_folder

    folder = tmp_path / "envois"
    folder.mkdir()
    snap = blank_snapshot(ref, "=1+1")
    snap.swot = [SwotData(f"6f1c1c1e-0000-4000-8000-00000000000{i}", "S", text, 2, i, [])
                 for i, text in enumerate(HOSTILE)]
    save_workbook(build_workbook(snap, ref), folder / "pole.xlsx")
    consolidate_folder(folder, tmp_path / "synthese.xlsx", workers=1)
    sheets = lo_oracle.sheets_as_csv(tmp_path / "synthese.xlsx", tmp_path / "csv")
    assert [row[5] for row in sheets["AFOM"][3:3 + len(HOSTILE)]] == HOSTILE
    assert sheets["Pôles"][3][0] == "=1+1"


def test_a_carried_assessment_saved_as_ods_keeps_its_proposals(demo, tmp_path):
    """« à confirmer » and the origin of carried answers live in _meta: LibreOffice keeps them in .ods."""
    from ptce_toolkit import referential, services as sv
    from ptce_toolkit.db import open_database
    from ptce_toolkit.services import carry

    db, source = demo
    new, _ = carry.carry_over(db, source, referential.registry().get("ptce-referentiel-action", "2.0.0"))
    path = export_workbook(db, new, tmp_path / "reprise.xlsx")
    lo_oracle.convert(path, "ods", tmp_path / "ods")
    other = open_database(tmp_path / "autre.sqlite3")
    try:
        import_workbook(other, tmp_path / "ods" / "reprise.ods")
        fields = lambda d: {c: (a.to_confirm, a.carried_from)  # noqa: E731
                            for c, a in sv.get_answers(d, new).items() if not a.is_empty}
        assert fields(other) == fields(db) and carry.pending(other, new)
    finally:
        other.close()
