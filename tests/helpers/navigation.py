"""Random navigator and workshop edits for property tests (poles, assessments, participants,
ratings), resolved against the database into service operations; and the whole database
as comparable data."""

from __future__ import annotations

import sqlite3

from hypothesis import strategies as st

from ptce_toolkit import services as sv
from ptce_toolkit.changes import Operation
from ptce_toolkit.records import AnswerData
from ptce_toolkit.services import workshop as ws

CRITERIA = ("FIN.1", "GOV.1", "GOV.4")
COLLEGES = ("", "ess", "entreprise", "collectivite")
index = st.integers(0, 20)

steps = st.one_of(
    st.tuples(st.just("create_pole"), st.sampled_from(["", "Bretagne", "Occitanie"])),
    st.tuples(st.just("update_pole"), index, st.sampled_from(["name", "territory", "aliases", "creation_year"])),
    st.tuples(st.just("delete_pole"), index),
    st.tuples(st.just("create_assessment"), index, st.booleans()),
    st.tuples(st.just("update_assessment"), index, st.sampled_from(["title", "status", "facilitator"])),
    st.tuples(st.just("delete_assessment"), index),
    st.tuples(st.just("add_participant"), index, st.sampled_from(COLLEGES)),
    st.tuples(st.just("rename_participant"), index),
    st.tuples(st.just("set_participant_college"), index, st.sampled_from(COLLEGES)),
    st.tuples(st.just("remove_participant"), index),
    st.tuples(st.just("rate"), index, st.sampled_from(CRITERIA), st.integers(0, 4)),
    st.tuples(st.just("import"), index, st.sampled_from(CRITERIA), st.integers(0, 4)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def _pick(items, i):
    return items[i % len(items)] if items else None


def _participants(db) -> list[tuple[str, str, str]]:
    """(assessment uuid, participant uuid, name) of every participant, in a stable order."""
    return [(a.uuid, p.uuid, p.name) for a in sorted(sv.list_assessments(db), key=lambda a: a.uuid)
            for p in ws.list_participants(db, a.uuid)]


def resolve(db, step, n: int) -> Operation | None:
    """The service operation for a step on the database as it is; None when it cannot apply.
    ``n`` numbers the names a step gives."""
    kind, Op = step[0], Operation.of
    # only what the step needs is read (listing everything at each step was most of the time)
    if kind == "create_pole":
        return Op("create_pole", f"Pôle {n}", region=step[1])
    if kind in ("update_pole", "delete_pole"):
        pole = _pick(sv.list_poles(db), step[1])
        if pole is None:
            return None
        if kind == "delete_pole":
            return Op("delete_pole", pole.uuid)
        value = {"name": f"{pole.name} ({n})", "territory": f"Territoire {n}", "aliases": [f"P{n}", "Sigle"],
                 "creation_year": 2000 + n % 25}[step[2]]
        return Op("update_pole", pole.uuid, **{step[2]: value})
    if kind == "create_assessment":
        pole = _pick(sv.list_poles(db), step[1])
        if pole is None or (step[2] and sv.latest_assessment(db, pole.uuid) is None):
            return None
        return Op("create_assessment", pole.uuid, f"Diagnostic {n}", copy_from="previous" if step[2] else None,
                  started_on=f"{2020 + n % 10}-0{1 + n % 9}-15")
    if kind in ("update_assessment", "delete_assessment", "add_participant"):
        a = _pick(sorted(sv.list_assessments(db), key=lambda a: a.uuid), step[1])
        if a is None:
            return None
        if kind == "delete_assessment":
            return Op("delete_assessment", a.uuid)
        if kind == "add_participant":
            return Op("add_participant", a.uuid, f"Personne {n}", step[2])
        value = {"title": f"Séance {n}", "status": "completed" if a.status == "draft" else "draft",
                 "facilitator": f"Animatrice {n}"}[step[2]]
        return Op("update_assessment", a.uuid, **{step[2]: value})
    person = _pick(_participants(db), step[1])
    if person is None:
        return None
    aid, pid, name = person
    if kind == "rename_participant":
        return Op("rename_participant", pid, f"{name} {n}")
    if kind == "set_participant_college":
        return Op("set_participant_college", pid, step[2])
    if kind == "remove_participant":
        return Op("remove_participant", pid)
    if kind == "rate":
        return Op("set_answer", aid, step[2], participant_uuid=pid, level=step[3])
    # "import": what a questionnaire import writes, put back as its undo does
    return Op("set_ratings", aid, {pid: {step[2]: AnswerData(step[2], "answered", step[3], "Questionnaire")}})


TIMES = ("updated_at", "created_at")


def database(db) -> dict[str, list[tuple]]:
    """Every row of every table, read through a separate connection (what is committed),
    without timestamps nor the answers' internal row ids, sorted."""
    con = sqlite3.connect(db.path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        out = {}
        for t in tables:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})")
                    if r[1] not in TIMES and not (t == "answer" and r[1] == "id")]
            out[t] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr)
        return out
    finally:
        con.close()
