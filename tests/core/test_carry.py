"""Carrying a 1.0.0 assessment over to 2.0.0 through the crosswalk, and comparing across versions."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ptce_toolkit import crosswalk as cw_mod
from ptce_toolkit import referential as r
from ptce_toolkit import scoring
from ptce_toolkit import services as sv
from ptce_toolkit import text_limits
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.records import AnswerData
from ptce_toolkit.services import carry
from tests.helpers.shared import built_once


def versions():
    reg = r.registry()
    return reg.get("ptce-referentiel-action", "1.0.0"), reg.get("ptce-referentiel-action", "2.0.0")


def rows(path, assessment):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return {r["criterion_id"]: dict(r) for r in con.execute(
            "SELECT criterion_id, status, level, comment, evidence, priority, to_confirm, carried_from "
            "FROM answer WHERE assessment_id = ? AND participant_id IS NULL", (assessment,))}
    finally:
        con.close()


def everything_of(path, assessment):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [con.execute(f"SELECT * FROM {t} WHERE assessment_id = ? ORDER BY id", (assessment,)).fetchall()
                for t in ("answer", "swot_item", "strategic_option", "action")] + \
               [con.execute("SELECT * FROM assessment WHERE id = ?", (assessment,)).fetchall()]
    finally:
        con.close()


def test_a_complete_v1_assessment_carried_to_v2(demo):
    db, source = demo
    v1, v2 = versions()
    cw = cw_mod.find(v1, v2)
    path = db.path
    before = rows(path, source)
    assert len(before) == len(v1.criteria())  # every 1.0.0 criterion answered (level, NA or DK)
    untouched = everything_of(path, source)

    new, report = carry.carry_over(db, source, v2, title="Diagnostic 2027", started_on="2027-11-16")

    after = rows(path, new)
    for link in cw.links:
        if link.relation in ("same", "reworded"):
            src, got = before[link.sources[0]], after[link.target]
            assert (got["status"], got["level"], got["comment"], got["evidence"], got["priority"]) == \
                   (src["status"], src["level"], src["comment"], src["evidence"], src["priority"]), link.target
            assert got["to_confirm"] == 0 and got["carried_from"] == f"1.0.0:{link.sources[0]}"
        elif link.relation == "split":
            src, got = before[link.sources[0]], after[link.target]
            assert (got["status"], got["level"]) == (src["status"], src["level"]) and got["to_confirm"] == 1
        elif link.relation == "merged":
            got = after[link.target]
            levels = [before[s]["level"] for s in link.sources if before[s]["status"] == "answered"]
            assert got["level"] == min(levels) and got["to_confirm"] == 1  # never flatters the pole
            assert got["carried_from"] == "1.0.0:INN.3, 1.0.0:ACT.4"
        elif link.relation == "new":
            assert link.target not in after
    assert "ECO.4" not in after and report.removed == ["ECO.4"]
    assert sorted(report.to_confirm) == sorted(sv_pending := carry.pending(db, new))
    assert set(sv_pending) == {k.target for k in cw.links if k.relation in ("split", "merged")}
    assert set(report.empty) == {k.target for k in cw.links if k.relation == "new"}
    # the source is untouched and stays on 1.0.0; the new one is on 2.0.0
    assert everything_of(path, source) == untouched
    assert sv.referential_of(db, source).version == "1.0.0" and sv.referential_of(db, new).version == "2.0.0"
    # SWOT and action links follow the crosswalk (GOV.4 was split into GOV.7 and GOV.8)
    snap = snap_mod.load(db, new)
    leader = next(s for s in snap.swot if "fondatrice" in s.text)
    assert leader.criteria == ["GOV.7", "GOV.8"]
    assert all(v2.has_criterion(c) for s in snap.swot for c in s.criteria)
    assert all(v2.has_criterion(c) for a in snap.actions for c in a.criteria)


def test_a_proposal_stays_to_confirm_until_confirmed_or_rated(demo):
    db, source = demo
    _, v2 = versions()
    new, _ = carry.carry_over(db, source, v2)
    assert sv.get_answers(db, new)["GOV.7"].to_confirm
    assert carry.confirm(db, new, "GOV.7") is True
    assert not sv.get_answers(db, new)["GOV.7"].to_confirm
    carry.confirm(db, new, "GOV.7", confirmed=False)  # undo
    assert sv.get_answers(db, new)["GOV.7"].to_confirm
    sv.set_answer(db, new, "GOV.8", level=3)  # rating it again confirms it too
    assert "GOV.8" not in carry.pending(db, new)
    sv.set_answer(db, new, "GOV.7", comment="vu en réunion")  # a comment alone does not
    assert "GOV.7" in carry.pending(db, new)


def test_undoing_the_rating_that_confirmed_a_proposal_puts_the_proposal_back(demo):
    db, source = demo
    _, v2 = versions()
    new, _ = carry.carry_over(db, source, v2)
    before = sv.get_answers(db, new)["GOV.8"]
    assert before.to_confirm
    change = sv.set_answer(db, new, "GOV.8", level=4)
    assert not sv.get_answers(db, new)["GOV.8"].to_confirm
    sv.apply(db, change.inverse)
    after = sv.get_answers(db, new)["GOV.8"]
    assert after.to_confirm and (after.status, after.level) == (before.status, before.level)


def test_merge_rules():
    cw = cw_mod.find(*versions())
    answers = {"INN.3": AnswerData("INN.3", "answered", 3, "R&D avec l’université"),
               "ACT.4": AnswerData("ACT.4", "answered", 1)}
    out, _ = carry.plan(answers, cw)
    assert out["INN.6"].level == 1 and out["INN.6"].comment.startswith("INN.3") and out["INN.6"].to_confirm
    answers = {"INN.3": AnswerData("INN.3", "not_applicable"), "ACT.4": AnswerData("ACT.4", "not_applicable")}
    assert carry.plan(answers, cw)[0]["INN.6"].status == "not_applicable"
    answers = {"INN.3": AnswerData("INN.3", "not_applicable"), "ACT.4": AnswerData("ACT.4", "unknown")}
    assert "INN.6" not in carry.plan(answers, cw)[0]  # nothing sensible to propose


@pytest.mark.parametrize("long", ["x" * 20_000, "\x01" * 3_000, "🌱" * 9_000],
                         ids=["lettres", "contrôles", "émojis"])
def test_merged_notes_too_long_for_an_export_are_cut_saying_so(long):
    """Two long comments merged would not fit in one workbook cell: the proposal is cut there and
    says where the whole text is; what it keeps is the start of the joined notes."""
    cw = cw_mod.find(*versions())
    answers = {"INN.3": AnswerData("INN.3", "answered", 3, long, long),
               "ACT.4": AnswerData("ACT.4", "answered", 1, long)}
    merged = carry.plan(answers, cw)[0]["INN.6"]
    for text in (merged.comment, merged.evidence):
        assert text_limits.length_problem(text, "t", "answers", "[]", "comment") is None  # an export carries it
    assert merged.comment.endswith("le texte entier est dans l’évaluation d’origine.")
    whole = f"INN.3\u00a0: {long}\nACT.4\u00a0: {long}"
    kept = merged.comment.split("\n[…]")[0]
    assert whole.startswith(kept) and text_limits.cell_length(kept) > 32_000  # as much as fits, not less
    assert merged.evidence == long  # one evidence fits: untouched
    short = carry.plan({"INN.3": AnswerData("INN.3", "answered", 3, "court")}, cw)[0]["INN.6"]
    assert short.comment == "INN.3\u00a0: court"  # what fits is never marked


def test_no_crosswalk_no_carry(demo, tmp_path, monkeypatch):
    db, source = demo
    monkeypatch.setattr(cw_mod, "SHIPPED_DIR", tmp_path)
    with pytest.raises(sv.ServiceError, match="Aucune correspondance"):
        sv.create_assessment(db, snap_mod.load(db, source).pole.uuid, referential=versions()[1], copy_from=source).created


def test_comparison_across_versions_only_on_comparable_criteria_naming_the_others(demo):
    db, source = demo
    v1, v2 = versions()
    new, _ = carry.carry_over(db, source, v2)
    sv.set_answer(db, new, "TER.4", level=4)  # was 2; TER.4 is reworded: comparable
    sv.set_answer(db, new, "GOV.7", level=4)  # split from GOV.4: not comparable
    co = cw_mod.correspondence(v1, v2)
    cmp = scoring.compare(v2, sv.get_answers(db, new), sv.get_answers(db, source), co.mapping)
    assert "GOV.7" in cmp.left_out and "GOV.8" in cmp.left_out and "ECO.7" in cmp.left_out
    assert "GOV.7" not in cmp.domains["GOV"].criteria and "TER.4" in cmp.domains["TER"].criteria
    ter = cmp.domains["TER"]
    # TER: levels 3,2,3,2,4 before and 3,2,3,4,4 now, over the 5 comparable criteria
    assert (ter.before, ter.now, ter.difference) == (pytest.approx(2.8), pytest.approx(3.2), 0.4)
    assert cmp.domains["GOV"].difference == 0.0  # the GOV.7 change is left out, not counted


def test_a_stored_0001_database_upgrades_and_carries(tmp_path):
    from ptce_toolkit.db import open_database

    fixture = Path(__file__).resolve().parents[1] / "data" / "db" / "schema-0001.sqlite3"
    path = tmp_path / "ancienne.sqlite3"
    shutil.copy(fixture, path)
    db = open_database(path)
    try:
        newest = sv.list_assessments(db)[0].uuid
        assert not any(a.to_confirm for a in sv.get_answers(db, newest).values())
        new, report = carry.carry_over(db, newest, versions()[1])
        assert report.to_confirm and set(carry.pending(db, new)) == set(report.to_confirm)
    finally:
        db.close()



_LOADED: dict = {}  # the carried assessment's workbook loaded by openpyxl (≈ 0.2 s), once per worker


def _carried_base(demo_template):
    """Builds, in a folder, the demo base with its assessment carried to 2.0.0 and that assessment's
    workbook (carrying ≈ 0.3 s, exporting ≈ 0.5 s under load); returns the new uuid."""
    from exports.xlsx_export import export_workbook
    from ptce_toolkit.db import open_database

    def build(folder):
        shutil.copyfile(demo_template[0], folder / "reprise.sqlite3")
        db = open_database(folder / "reprise.sqlite3")
        try:
            new, report = carry.carry_over(db, demo_template[1], versions()[1])
            assert report.to_confirm
            export_workbook(db, new, folder / "reprise.xlsx")
        finally:
            db.close()
        return new
    return build


@pytest.fixture
def carried(demo_template, empty_template, tmp_path, tmp_path_factory):
    """(database, uuid of the demo assessment carried to 2.0.0, another empty database), on copies
    of a base carried once per session."""
    from ptce_toolkit.db import open_database

    folder, new = built_once(tmp_path_factory, "reprise", _carried_base(demo_template))
    shutil.copyfile(folder / "reprise.sqlite3", tmp_path / "reprise.sqlite3")
    shutil.copyfile(empty_template, tmp_path / "autre.sqlite3")
    db, other = open_database(tmp_path / "reprise.sqlite3"), open_database(tmp_path / "autre.sqlite3")
    yield db, new, other
    other.close()
    db.close()


@pytest.fixture
def exported(carried, tmp_path, tmp_path_factory):
    """A copy of the carried assessment's workbook, exported once per session (with the base)."""
    folder, _ = built_once(tmp_path_factory, "reprise", None)
    return Path(shutil.copy(folder / "reprise.xlsx", tmp_path / "reprise.xlsx"))


def test_a_carried_assessment_keeps_its_proposals_through_the_json_exchange(carried, tmp_path):
    from ptce_toolkit import exchange

    db, new, other = carried
    exchange.import_file(other, exchange.export_file(db, new, tmp_path / "reprise.json"))
    src, dst = sv.get_answers(db, new), sv.get_answers(other, new)
    assert {c: (a.to_confirm, a.carried_from) for c, a in dst.items()} == \
           {c: (a.to_confirm, a.carried_from) for c, a in src.items() if not a.is_empty}
    assert sorted(carry.pending(other, new)) == sorted(carry.pending(db, new)) != []
    assert all(a.carried_from.startswith("1.0.0:") for a in dst.values())
    assert sv.referential_of(other, new).version == "2.0.0"


def test_a_file_without_the_carry_fields_still_imports(carried):
    from ptce_toolkit import exchange

    db, new, other = carried
    doc = exchange.to_document(snap_mod.load(db, new))
    for a in doc["answers"]:
        a.pop("to_confirm", None)
        a.pop("carried_from", None)
    snap = exchange.from_document(doc)
    assert not any(a.to_confirm or a.carried_from for a in snap.answers.values())
    exchange.import_snapshot(other, snap)
    assert carry.pending(other, new) == []


# ------------------------------------------------------------------ through the workbook (.xlsx)


def _carried_fields(db, uuid):
    return {c: (a.to_confirm, a.carried_from) for c, a in sv.get_answers(db, uuid).items() if not a.is_empty}


def _meta_cell(ws, key):
    return next(r[1] for r in ws.iter_rows(min_row=2) if r[0].value == key)


def test_a_carried_assessment_keeps_its_proposals_through_the_workbook(carried, exported):
    from exports.xlsx_import import import_workbook, read_workbook

    db, new, other = carried
    path = exported
    assert not read_workbook(path).edited  # an untouched export is not « modifié »
    import_workbook(other, path)
    assert _carried_fields(other, new) == _carried_fields(db, new)
    assert sorted(carry.pending(other, new)) == sorted(carry.pending(db, new)) != []
    assert all(a.carried_from.startswith("1.0.0:") for a in sv.get_answers(other, new).values())


def test_a_proposal_changed_in_the_workbook_is_imported_confirmed(carried, exported, tmp_path):
    import openpyxl

    from exports.xlsx_import import import_workbook, read_workbook

    db, new, other = carried
    pending = sorted(carry.pending(db, new))
    changed, kept = pending[0], pending[1:]
    before = sv.get_answers(db, new)[changed]
    wb = openpyxl.load_workbook(exported)
    ws = wb["Réponses"]
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[1].value == changed)
    ws.cell(row, 4).value = 4 if before.level != 4 else 0  # the person rates it: an explicit answer
    wb.save(tmp_path / "modifie.xlsx")
    assert read_workbook(tmp_path / "modifie.xlsx").edited
    import_workbook(other, tmp_path / "modifie.xlsx")
    after = sv.get_answers(other, new)[changed]
    assert not after.to_confirm and after.carried_from == before.carried_from
    assert sorted(carry.pending(other, new)) == kept


@pytest.mark.parametrize("key, value, words", [
    ("a_confirmer", "GOV.7=3", "illisible"),
    ("a_confirmer", '["GOV.7"]', "illisible"),
    ("a_confirmer", '{"GOV.7": 9}', "GOV.7"),
    ("a_confirmer", '{"GOV.7": true}', "GOV.7"),
    ("a_confirmer", '{"GOV.7": "peut-être"}', "GOV.7"),
    ("a_confirmer", '{"ZZZ.1": 3}', "ZZZ.1"),
    ("repris_de", '{"ZZZ.1": "1.0.0:GOV.4"}', "ZZZ.1"),
    ("repris_de", '{"GOV.7": 4}', "GOV.7"),
    ("repris_de", "{", "illisible"),
])
def test_a_damaged_carry_value_in_meta_is_refused_and_nothing_is_written(carried, exported, tmp_path, key, value,
                                                                        words):
    import openpyxl

    from exports.xlsx_import import WorkbookRefused, import_workbook
    from tests.helpers.xlsx import db_fingerprint

    _, _, other = carried
    if "workbook" not in _LOADED:  # each test saves its own copy, then the cell is put back
        _LOADED["workbook"] = openpyxl.load_workbook(exported)
    cell = _meta_cell(_LOADED["workbook"]["_meta"], key)
    kept, cell.value = cell.value, value
    try:
        _LOADED["workbook"].save(tmp_path / "abime.xlsx")
    finally:
        cell.value = kept
    before = db_fingerprint(other)
    with pytest.raises(WorkbookRefused) as err:
        import_workbook(other, tmp_path / "abime.xlsx")
    message = str(err.value)
    assert "abime.xlsx" in message and f"_meta\u00a0», cellule {cell.coordinate}" in message
    assert key in message and words in message
    assert db_fingerprint(other) == before


def test_the_readme_sheet_names_the_proposals_to_confirm(carried, exported):
    import openpyxl

    db, new, _ = carried
    wb = openpyxl.load_workbook(exported)
    text = " ".join(str(c.value) for row in wb["Lisez-moi"].iter_rows() for c in row if c.value)
    assert "Propositions à confirmer" in text and all(c in text for c in carry.pending(db, new))


def test_reimporting_a_carried_workbook_into_its_own_database_changes_nothing(carried, exported):
    from exports.xlsx_import import import_workbook
    from tests.helpers.xlsx import db_fingerprint

    db, new, _ = carried
    path = exported
    before = db_fingerprint(db)
    assert import_workbook(db, path).unchanged and db_fingerprint(db) == before
    assert carry.pending(db, new)
