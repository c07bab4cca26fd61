"""Import of individual questionnaire workbooks into one workshop session."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from exports import xlsx_participants as xp
from exports.xlsx_guard import WorkbookRefused
from exports.xlsx_import import import_workbook
from exports.xlsx_template import write_template
from ptce_toolkit import services as sv
from ptce_toolkit.db import open_database
from ptce_toolkit.services import participant_import as pim
from ptce_toolkit.services import workshop as ws
from tests.helpers.shared import built_once

PEOPLE = [("Awa Diallo", "ess"), ("Bruno Marchal", "entreprise"), ("Claire Roussel", "collectivite"),
          ("David Nguyen", "recherche"), ("Élise Fontaine", "salaries")]
# what each person writes in their questionnaire: criterion -> level, "SO" (sans objet) or "NSP"
FILLED = [
    {"GOV.1": 0, "GOV.2": 1, "FIN.1": 4, "EVA.1": "SO"},
    {"GOV.1": 4, "GOV.2": 1, "FIN.1": 0},
    {"GOV.1": 2, "GOV.2": 3, "FIN.1": 4, "RES.4": "NSP"},
    {"GOV.1": 2, "GOV.2": 3, "FIN.1": 0, "EVA.1": 2},
    {"GOV.1": 2, "FIN.1": 4},
]
LABELS = {"SO": "sans objet", "NSP": "ne sait pas"}


def fill(path, answers: dict, comments: dict | None = None):
    """Do what a participant does in Excel: type levels (and comments) on the Réponses sheet."""
    wb = openpyxl.load_workbook(path)
    sheet = wb["Réponses"]
    header = next(r for r in range(1, 11) if any(c.value == "Critère" for c in sheet[r]))
    cols = {c.value: c.column for c in sheet[header] if c.value}
    for row in range(header + 1, sheet.max_row + 1):
        crit = sheet.cell(row, cols["Critère"]).value
        if crit in answers:
            value = answers[crit]
            sheet.cell(row, cols["Niveau"]).value = LABELS.get(value, value)
        if comments and crit in comments:
            sheet.cell(row, cols["Commentaire"]).value = comments[crit]
    wb.save(path)
    return path


def as_matrix(db, uuid, people):
    got = ws.participant_answers(db, uuid)
    out = []
    for p in people:
        row = {}
        for crit, a in got.get(p, {}).items():
            row[crit] = a.level if a.status == "answered" else {"not_applicable": "SO", "unknown": "NSP"}[a.status]
        out.append(row)
    return out


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, empty_template):
    """The session (pole, assessment, five participants) and the five filled questionnaires,
    made once for the test session: writing and filling them as a person would (openpyxl load and
    save) takes ≈ 1 s. Each test works on copies."""
    def build(folder):
        base = folder / "base.sqlite3"
        shutil.copyfile(empty_template, base)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PTCE_TOOLKIT_DATA", str(folder / "donnees"))
            database = open_database(base)
            pole = sv.create_pole(database, "Pôle de l’Estuaire").created
            uuid = sv.create_assessment(database, pole, "Séance de printemps", facilitator="Marie Laurent").created
            people = [ws.add_participant(database, uuid, n, c).created for n, c in PEOPLE]
            for i, (p, answers) in enumerate(zip(people, FILLED)):
                fill(xp.write_participant_questionnaire(database, uuid, p, folder / f"questionnaire-{i + 1}.xlsx"),
                     answers)
            database.close()
        return uuid, people

    folder, (uuid, people) = built_once(tmp_path_factory, "seance", build)
    return folder / "base.sqlite3", uuid, people, [folder / f"questionnaire-{i + 1}.xlsx" for i in range(len(PEOPLE))]


@pytest.fixture
def session(tmp_path, prepared):
    base, uuid, people, _files = prepared
    shutil.copyfile(base, tmp_path / "base.sqlite3")
    database = open_database(tmp_path / "base.sqlite3")
    yield database, uuid, people
    database.close()


@pytest.fixture
def five_files(session, prepared, tmp_path):
    return [Path(shutil.copy(f, tmp_path / f.name)) for f in prepared[3]]


def test_five_questionnaires_fill_the_matrix(session, five_files):
    db, uuid, people = session
    plan = xp.plan_workbooks(db, uuid, five_files)
    assert plan.problems == [] and plan.conflicts == []
    assert [(f.participant.name, f.matched_by) for f in plan.files] == [(n, "identifiant") for n, _ in PEOPLE]
    assert ws.participant_answers(db, uuid) == {}  # the dry run wrote nothing
    outcome = pim.apply_import(db, plan)
    assert outcome.written == {p: len(f) for p, f in zip(people, FILLED)}
    assert as_matrix(db, uuid, people) == FILLED
    assert sv.get_answers(db, uuid) == {}  # the agreed answers are the group's, not any file's
    div = ws.divergence(db, uuid)
    assert (div.criteria["GOV.1"].range, div.criteria["FIN.1"].range, div.criteria["GOV.2"].n) == (4, 4, 4)


def test_importing_the_same_files_again_changes_nothing(session, five_files):
    db, uuid, people = session
    xp.import_participant_workbooks(db, uuid, five_files)
    plan = xp.plan_workbooks(db, uuid, five_files)
    assert plan.conflicts == [] and all(not f.new for f in plan.files)
    assert [f.unchanged for f in plan.files] == [len(f) for f in FILLED]


def test_a_different_rating_is_a_conflict_kept_until_confirmed(session, five_files):
    db, uuid, people = session
    ws.set_rating(db, uuid, people[1], "GOV.1", level=3)  # typed live in the room before the file came
    ws.set_rating(db, uuid, people[1], "TER.2", level=1)
    plan = xp.plan_workbooks(db, uuid, five_files)
    assert [(f.source, c.criterion, c.current.level, c.incoming.level) for f, c in plan.conflicts] == \
        [("questionnaire-2.xlsx", "GOV.1", 3, 4)]
    outcome = pim.apply_import(db, plan)  # no confirmation: the conflicting rating stays
    assert [c.criterion for _, c in outcome.kept] == ["GOV.1"]
    matrix = as_matrix(db, uuid, people)
    assert matrix[1] == {"GOV.1": 3, "GOV.2": 1, "FIN.1": 0, "TER.2": 1}
    assert matrix[0] == FILLED[0]
    outcome = pim.apply_import(db, xp.plan_workbooks(db, uuid, five_files), overwrite=True)
    assert outcome.kept == []
    assert as_matrix(db, uuid, people)[1] == {"GOV.1": 4, "GOV.2": 1, "FIN.1": 0, "TER.2": 1}
    sv.apply(db, outcome.change.inverse)  # undo: one change record, replayed
    assert as_matrix(db, uuid, people)[1]["GOV.1"] == 3


def test_a_comment_written_differently_is_a_conflict_too(session, tmp_path):
    db, uuid, people = session
    sv.set_answer(db, uuid, "GOV.1", participant_uuid=people[0], level=0, comment="Bureau peu réuni")
    path = xp.write_participant_questionnaire(db, uuid, people[0], tmp_path / "awa.xlsx")
    fill(path, {"GOV.1": 0, "GOV.2": 2}, {"GOV.1": "Le bureau ne se réunit plus", "GOV.2": "Des commissions actives"})
    plan = xp.plan_workbooks(db, uuid, [path])
    assert [c.criterion for _, c in plan.conflicts] == ["GOV.1"]
    assert plan.files[0].new["GOV.2"].comment == "Des commissions actives"


def test_files_matched_by_the_name_written_in_them_or_by_choice(session, tmp_path):
    db, uuid, people = session
    blank = write_template(tmp_path / "vierge.xlsx", pole_name="Pôle de l’Estuaire")  # one file sent to everyone
    named = fill(shutil.copy(blank, tmp_path / "questionnaire Claire Roussel.xlsx"), {"GOV.1": 1})
    anonymous = fill(shutil.copy(blank, tmp_path / "sans-nom.xlsx"), {"GOV.1": 3})
    plan = xp.plan_workbooks(db, uuid, [named, anonymous])
    assert (plan.files[0].participant.uuid, plan.files[0].matched_by) == (people[2], "nom")
    assert plan.files[1].participant is None
    assert "aucun participant" in plan.problems[0]
    with pytest.raises(sv.ServiceError, match="rien n’a été enregistré"):
        pim.apply_import(db, plan)
    assert ws.participant_answers(db, uuid) == {}  # the good file was not written either
    xp.import_participant_workbooks(db, uuid, [named, anonymous], match={"sans-nom.xlsx": people[4]})
    assert as_matrix(db, uuid, people) == [{}, {}, {"GOV.1": 1}, {}, {"GOV.1": 3}]


def test_ambiguous_names_and_twice_the_same_person_are_refused(session, prepared, tmp_path):
    db, uuid, people = session
    ws.add_participant(db, uuid, "Awa Diallo-Sy", "ess")
    ambiguous = fill(write_template(tmp_path / "Awa Diallo-Sy notes.xlsx", pole_name="Pôle"), {"GOV.1": 1})
    plan = xp.plan_workbooks(db, uuid, [ambiguous])
    assert "plusieurs participants possibles" in plan.problems[0]
    first = shutil.copy(prepared[3][3], tmp_path / "a.xlsx")  # the questionnaire David filled, then a new one
    second = xp.write_participant_questionnaire(db, uuid, people[3], tmp_path / "b.xlsx")
    plan = xp.plan_workbooks(db, uuid, [first, second])
    assert plan.problems == ["b.xlsx\u00a0: «\u00a0David Nguyen\u00a0» a déjà un fichier dans cet import (a.xlsx)."]


def test_unreadable_file_is_reported_and_blocks_the_import(session, five_files, tmp_path):
    db, uuid, people = session
    broken = tmp_path / "cassé.xlsx"
    broken.write_bytes(b"ceci n'est pas un classeur")
    plan = xp.plan_workbooks(db, uuid, [*five_files, broken])
    assert len(plan.problems) == 1 and plan.problems[0].startswith("cassé.xlsx\u00a0: ")
    with pytest.raises(sv.ServiceError):
        pim.apply_import(db, plan)
    assert ws.participant_answers(db, uuid) == {}


def test_personal_questionnaire_never_overwrites_the_session_through_plain_import(session, tmp_path):
    db, uuid, people = session
    sv.set_answer(db, uuid, "GOV.1", level=2)
    path = fill(xp.write_participant_questionnaire(db, uuid, people[0], tmp_path / "awa.xlsx"), {"GOV.1": 4})
    try:
        result = import_workbook(db, path)
    except WorkbookRefused:
        result = None  # refused is fine too
    assert result is None or result.assessment_uuid != uuid
    assert sv.get_answer(db, uuid, "GOV.1").level == 2
