"""Workshop mode figures (printed, never asserted): divergence computation and the import
of individual questionnaires.

    .venv/bin/python bench/workshop_bench.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import openpyxl

from exports import xlsx_participants as xp
from ptce_toolkit import referential, services as sv
from ptce_toolkit.db import open_database
from ptce_toolkit.records import AnswerData, ParticipantData
from ptce_toolkit.services import participant_import as pim
from ptce_toolkit.services import workshop as ws


def divergence_figures(ref) -> None:
    rng = random.Random(7)
    for n in (5, 30):
        people = [ParticipantData(f"p{i}", f"P{i}", "ess", i) for i in range(n)]
        answers = {p.uuid: {c.id: AnswerData(c.id, "answered", rng.randint(0, 4)) for c in ref.criteria()}
                   for p in people}
        start = time.perf_counter()
        for _ in range(50):
            ws.session_order(ws.compute_divergence(ref, people, answers))
        print(f"divergence + ordre, {n} participants × {len(ref.criteria())} critères : "
              f"{(time.perf_counter() - start) / 50 * 1000:.2f} ms")


def fill(path: Path, rng) -> None:
    wb = openpyxl.load_workbook(path)
    sheet = wb["Réponses"]
    cols = {c.value: c.column for c in sheet[3] if c.value}
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, cols["Critère"]).value:
            sheet.cell(row, cols["Niveau"]).value = rng.randint(0, 4)
    wb.save(path)


def import_figures() -> None:
    rng = random.Random(3)
    tmp = Path(tempfile.mkdtemp(prefix="bench-atelier-"))
    db = open_database(tmp / "b.sqlite3")
    uuid = sv.create_assessment(db, sv.create_pole(db, "Pôle banc").created).created
    people = [ws.add_participant(db, uuid, f"Personne {i}").created for i in range(5)]
    start = time.perf_counter()
    paths = [xp.write_participant_questionnaire(db, uuid, p, tmp / f"q{i}.xlsx") for i, p in enumerate(people)]
    print(f"5 questionnaires individuels écrits : {time.perf_counter() - start:.2f} s")
    for p in paths:
        fill(p, rng)
    start = time.perf_counter()
    plan = xp.plan_workbooks(db, uuid, paths)
    planned = time.perf_counter()
    outcome = pim.apply_import(db, plan)
    done = time.perf_counter()
    print(f"import de 5 questionnaires remplis : lecture et essai à blanc {planned - start:.2f} s, "
          f"écriture ({sum(outcome.written.values())} notes, une transaction) {done - planned:.2f} s")
    db.close()


if __name__ == "__main__":
    divergence_figures(referential.default())
    import_figures()
