"""Read-only queries with the standard sqlite3 module, for commands that must start fast.

``ptce score`` answers in well under half a second because it needs neither SQLAlchemy
nor SQLModel (≈0.5 s to import on this hardware). The GUI reads here too: the assessment
it opens at start-up (before the ORM is imported) and what each edit changed
(``snapshot.read_changed``); writers use ``services``.
"""

from __future__ import annotations

import json
import sqlite3

from ptce_toolkit.records import (ActionData, AnswerData, AssessmentData, OptionData, ParticipantData, PoleData,
                                  Snapshot, SwotData)


class AmbiguousOrMissing(LookupError):
    """No assessment, or several, match the identifier given; the message is French."""


def resolve_assessment(con: sqlite3.Connection, prefix: str) -> str:
    """Full uuid from a full uuid or a unique prefix."""
    prefix = prefix.strip().lower()
    rows = con.execute("SELECT id FROM assessment WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                       (prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        raise AmbiguousOrMissing(f"Aucune évaluation ne correspond à « {prefix} » (voir « ptce assessments »).")
    raise AmbiguousOrMissing(f"« {prefix} » désigne plusieurs évaluations ; donnez plus de caractères de l’identifiant.")


def referential_key(con: sqlite3.Connection, assessment_uuid: str) -> tuple[str, str]:
    row = con.execute("SELECT referential_id, referential_version FROM assessment WHERE id = ?",
                      (assessment_uuid,)).fetchone()
    if row is None:
        raise AmbiguousOrMissing(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
    return row[0], row[1]


def agreed_answers(con: sqlite3.Connection, assessment_uuid: str) -> dict[str, AnswerData]:
    rows = con.execute(
        "SELECT criterion_id, status, level, comment, evidence, priority, updated_at FROM answer "
        "WHERE assessment_id = ? AND participant_id IS NULL", (assessment_uuid,))
    return {r[0]: AnswerData(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows}


def _attach(q, sql: str, assessment_uuid: str, owners: list, attr: str) -> None:
    """Append the second column of each row of ``sql`` to ``attr`` of the owner the first names."""
    by_uuid = {x.uuid: x for x in owners}
    for owner, linked in q(sql, (assessment_uuid,)):
        getattr(by_uuid[owner], attr).append(linked)


def _has_column(q, table: str, column: str) -> bool:
    return any(r[1] == column for r in q(f"PRAGMA table_info({table})"))


def _answer_columns(q) -> str:
    """The answer columns, in ``_answer``'s order, then participant_id. A base not yet
    upgraded to schema 0002 (read-only commands never migrate) has no carry-over columns."""
    carried = "to_confirm, carried_from" if _has_column(q, "answer", "to_confirm") else "0, ''"
    return f"criterion_id, status, level, comment, evidence, priority, updated_at, {carried}, participant_id"


def _answer(r) -> AnswerData:
    return AnswerData(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], bool(r[7]), r[8] or "")


# a base of the current schema (the app's and the writers'): ``_answer``'s columns, then the row id
_ANSWER = ("SELECT criterion_id, status, level, comment, evidence, priority, updated_at, to_confirm, carried_from, "
           "id FROM answer WHERE assessment_id = :a AND ")
_WHO = {False: "participant_id IS NULL", True: "participant_id = :p"}


def answer_row(con: sqlite3.Connection, assessment_uuid: str, criterion_id: str,
               participant_uuid: str | None = None) -> tuple[str, AnswerData] | None:
    """(row id, answer) of the agreed answer (no participant) or of a participant's rating."""
    cur = con.cursor()
    cur.row_factory = None
    r = cur.execute(_ANSWER + "criterion_id = :c AND " + _WHO[bool(participant_uuid)],
                    {"a": assessment_uuid, "c": criterion_id, "p": participant_uuid}).fetchone()
    return (r[9], _answer(r)) if r is not None else None


def answers_of(con: sqlite3.Connection, assessment_uuid: str, participant_uuid: str | None = None
               ) -> dict[str, AnswerData]:
    """The agreed answers (or one participant's ratings) of an assessment, by criterion."""
    cur = con.cursor()
    cur.row_factory = None
    return {r[0]: _answer(r) for r in cur.execute(_ANSWER + _WHO[bool(participant_uuid)],
                                                  {"a": assessment_uuid, "p": participant_uuid})}


def answers_named(con: sqlite3.Connection, assessment_uuid: str, criteria=(), ratings=()) -> tuple[dict, dict]:
    """Stored answers of these criteria (agreed ones, by criterion id) and these
    (participant uuid, criterion id) ratings; a missing key has no row."""
    agreed, rated = {}, {}
    for c in criteria:
        found = answer_row(con, assessment_uuid, c)
        if found is not None:
            agreed[c] = found[1]
    for p, c in ratings:
        found = answer_row(con, assessment_uuid, c, p)
        if found is not None:
            rated[(p, c)] = found[1]
    return agreed, rated


def profile(con: sqlite3.Connection, assessment_uuid: str) -> dict:
    row = con.execute("SELECT profile FROM assessment WHERE id = ?", (assessment_uuid,)).fetchone()
    return json.loads((row[0] if row else None) or "{}")


def load_snapshot(con: sqlite3.Connection, assessment_uuid: str) -> Snapshot:
    """The whole assessment as plain records, read in one pass (``snapshot.load`` reads through here)."""
    cur = con.cursor()
    cur.row_factory = None  # plain tuples, whatever the connection's factory
    q = cur.execute
    a = q("SELECT id, pole_id, title, referential_id, referential_version, started_on, completed_on, status, "
          "facilitator, profile, copied_from, created_at, updated_at FROM assessment WHERE id = ?",
          (assessment_uuid,)).fetchone()
    if a is None:
        raise AmbiguousOrMissing(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
    p = q("SELECT id, name, aliases, territory, department, region, creation_year, legal_form, origin "
          "FROM pole WHERE id = ?", (a[1],)).fetchone()
    pole = PoleData(p[0], p[1], json.loads(p[2] or "[]"), *p[3:])
    assessment = AssessmentData(a[0], a[2], a[3], a[4], a[5], a[6], a[7], a[8], json.loads(a[9] or "{}"), *a[10:])
    snap = Snapshot(pole, assessment)
    for r in q(f"SELECT {_answer_columns(q)} FROM answer WHERE assessment_id = ?", (a[0],)):
        ans = _answer(r)
        if r[9] is None:
            snap.answers[r[0]] = ans
        else:
            snap.participant_answers.setdefault(r[9], {})[r[0]] = ans
    snap.participants = [ParticipantData(*r) for r in q(
        "SELECT id, name, college, position FROM participant WHERE assessment_id = ? ORDER BY position, name",
        (a[0],))]
    snap.swot = [SwotData(*r, []) for r in q(
        "SELECT id, quadrant, text, importance, position FROM swot_item WHERE assessment_id = ? "
        "ORDER BY quadrant, position", (a[0],))]
    _attach(q, "SELECT l.swot_item_id, l.criterion_id FROM swot_item_criterion l JOIN swot_item x "
               "ON x.id = l.swot_item_id WHERE x.assessment_id = ? ORDER BY l.criterion_id", a[0], snap.swot, "criteria")
    snap.options = [OptionData(*r, []) for r in q(
        "SELECT id, text, position FROM strategic_option WHERE assessment_id = ? ORDER BY position", (a[0],))]
    _attach(q, "SELECT l.option_id, l.swot_item_id FROM option_swot_link l JOIN strategic_option x "
               "ON x.id = l.option_id WHERE x.assessment_id = ?", a[0], snap.options, "swot")
    order = {x.uuid: (x.quadrant, x.position) for x in snap.swot}
    for o in snap.options:
        o.swot.sort(key=lambda u: order.get(u, ("Z", 0)))
    snap.actions = [ActionData(*r, [], []) for r in q(
        "SELECT id, title, owner, due_on, status, priority, position FROM action WHERE assessment_id = ? "
        "ORDER BY position", (a[0],))]
    _attach(q, "SELECT l.action_id, l.criterion_id FROM action_criterion l JOIN action x ON x.id = l.action_id "
               "WHERE x.assessment_id = ? ORDER BY l.criterion_id", a[0], snap.actions, "criteria")
    _attach(q, "SELECT l.action_id, l.option_id FROM action_option l JOIN action x ON x.id = l.action_id "
               "WHERE x.assessment_id = ?", a[0], snap.actions, "options")
    opt_order = {x.uuid: x.position for x in snap.options}
    for ac in snap.actions:
        ac.options.sort(key=lambda u: opt_order.get(u, 0))
    return snap


def previous_assessment(con: sqlite3.Connection, assessment_uuid: str) -> str | None:
    """The pole's assessment just before this one (start date, then creation), for comparisons."""
    ids = [r[0] for r in con.execute(
        "SELECT b.id FROM assessment a JOIN assessment b ON b.pole_id = a.pole_id WHERE a.id = ? "
        "ORDER BY b.started_on, b.created_at", (assessment_uuid,))]
    idx = ids.index(assessment_uuid) if assessment_uuid in ids else 0
    return ids[idx - 1] if idx > 0 else None


def report_list(con: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(uuid, pole name, started_on, created_at) of every assessment, by pole name then date."""
    return [tuple(r) for r in con.execute(
        "SELECT a.id, p.name, a.started_on, a.created_at FROM assessment a JOIN pole p ON p.id = a.pole_id "
        "ORDER BY p.name, a.started_on, a.created_at")]
