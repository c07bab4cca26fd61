"""Read-only queries with the standard sqlite3 module, for commands that must start fast.

``ptce score`` answers in well under half a second because it needs neither SQLAlchemy
nor SQLModel (≈0.5 s to import on this hardware); the GUI and writers use ``services``.
"""

from __future__ import annotations

import sqlite3

from ptce_toolkit.records import AnswerData


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
