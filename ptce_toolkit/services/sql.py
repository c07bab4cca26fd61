"""SQL building blocks shared by the service modules (internal to ``ptce_toolkit.services``).

Front ends never import this module: they call the services. Everything here works
inside the caller's transaction, so that one edit stays one transaction: a plain sqlite3
connection (``Database.writing``, the autosave of answers) or a SQLAlchemy one (a Core
connection or an ORM session's ``connection()``: its sqlite3 connection is used, see
``dbapi``). Plain SQLite text, no SQLAlchemy: the GUI writes a rating before the ORM is
even imported (start-up, ``ui.main_window``).
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from ptce_toolkit import fmt
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.records import answer_data  # noqa: F401 - part of this module's toolbox
from ptce_toolkit.services.errors import NotFound, ServiceError

ANSWER_FIELDS = ("status", "level", "comment", "evidence", "priority")
_ANSWER_COLUMNS = ("id", "assessment_id", "criterion_id", "participant_id", *ANSWER_FIELDS, "updated_at")


def dbapi(conn) -> sqlite3.Connection:
    """The sqlite3 connection of ``conn``: itself, or the one under a SQLAlchemy Core
    connection (same transaction)."""
    return conn if isinstance(conn, sqlite3.Connection) else conn.connection.driver_connection


@lru_cache(maxsize=64)
def answer_upsert(changed: tuple[str, ...], with_participant: bool) -> str:
    """INSERT … ON CONFLICT DO UPDATE of one answer (named parameters: the answer's
    columns), built once per set of changed fields; run it with ``dbapi(conn).execute``.
    The conflict targets are the partial unique indexes of ``models.Answer``."""
    target = ("(assessment_id, criterion_id, participant_id) WHERE participant_id IS NOT NULL" if with_participant
              else "(assessment_id, criterion_id) WHERE participant_id IS NULL")
    return (f"INSERT INTO answer ({', '.join(_ANSWER_COLUMNS)}) VALUES ({', '.join(':' + c for c in _ANSWER_COLUMNS)}) "
            f"ON CONFLICT {target} DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in (*changed, "updated_at")))


# assessment uuid -> referential, so the hot path does not reload it on every key press
_ref_cache: dict[str, ref_mod.Referential] = {}


def referential(conn, assessment_uuid: str) -> ref_mod.Referential:
    """The referential an assessment is pinned to."""
    ref = _ref_cache.get(assessment_uuid)
    if ref is None:
        row = dbapi(conn).execute("SELECT referential_id, referential_version FROM assessment WHERE id = ?",
                                  (assessment_uuid,)).fetchone()
        if row is None:
            raise NotFound(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
        ref = ref_mod.registry().get(row[0], row[1])
        _ref_cache[assessment_uuid] = ref
    return ref


def check_criteria(conn, assessment_uuid: str, criteria) -> list[str]:
    """Criterion ids without duplicates, each known to the assessment's referential."""
    criteria = list(dict.fromkeys(criteria or ()))
    if criteria:
        ref = referential(conn, assessment_uuid)
        bad = [c for c in criteria if not ref.has_criterion(c)]
        if bad:
            raise ServiceError(fmt.plural(len(bad), "Critère inconnu", "Critères inconnus") + f" : {', '.join(bad)}.")
    return criteria


def need(s, model, uuid: str, none: str):
    """The row with this uuid (ORM session ``s``), or NotFound: « {none} ne porte l’identifiant… »
    (``none``: "Aucune action", "Aucun élément AFOM"…)."""
    row = s.get(model, uuid)
    if row is None:
        raise NotFound(f"{none} ne porte l’identifiant « {uuid} ».")
    return row


def need_assessment(s, assessment_uuid: str):
    from ptce_toolkit import models as m

    return need(s, m.Assessment, assessment_uuid, "Aucune évaluation")


def check_participant(conn, assessment_uuid: str, participant_uuid: str) -> None:
    """The participant exists and takes part in this assessment."""
    row = dbapi(conn).execute("SELECT assessment_id, name FROM participant WHERE id = ?",
                              (participant_uuid,)).fetchone()
    if row is None:
        raise NotFound(f"Aucun participant ne porte l’identifiant « {participant_uuid} ».")
    if row[0] != assessment_uuid:
        raise ServiceError(f"Le participant « {row[1]} » appartient à une autre évaluation.")
