"""SQL building blocks shared by the service modules (internal to ``ptce_toolkit.services``).

Front ends never import this module: they call the services. Everything here works
inside the caller's transaction (a Core connection or an ORM session), so that one
edit stays one transaction.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.sqlite import insert

from ptce_toolkit import fmt
from ptce_toolkit import models as m
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.records import answer_data  # noqa: F401 - part of this module's toolbox
from ptce_toolkit.services.errors import NotFound, ServiceError

ANSWER = m.Answer.__table__
ANSWER_FIELDS = ("status", "level", "comment", "evidence", "priority")


@lru_cache(maxsize=64)
def answer_upsert(changed: tuple[str, ...], with_participant: bool):
    """INSERT … ON CONFLICT DO UPDATE of one answer, built once per set of changed fields
    (≈10× cheaper than building a new statement each time, see STACK_NOTES.md)."""
    cols = {c: bindparam(c) for c in ("id", "assessment_id", "criterion_id", "participant_id", *ANSWER_FIELDS,
                                      "updated_at")}
    stmt = insert(ANSWER).values(**cols)
    where = text("participant_id IS NOT NULL") if with_participant else text("participant_id IS NULL")
    elements = ["assessment_id", "criterion_id"] + (["participant_id"] if with_participant else [])
    return stmt.on_conflict_do_update(
        index_elements=elements, index_where=where,
        set_={c: stmt.excluded[c] for c in (*changed, "updated_at")},
    )


# one answer: the agreed one (participant NULL) or one participant's rating
SELECT_AGREED = select(ANSWER).where(
    ANSWER.c.assessment_id == bindparam("a"), ANSWER.c.criterion_id == bindparam("c"),
    ANSWER.c.participant_id.is_(None))
SELECT_RATING = select(ANSWER).where(
    ANSWER.c.assessment_id == bindparam("a"), ANSWER.c.criterion_id == bindparam("c"),
    ANSWER.c.participant_id == bindparam("p"))


def select_answer(participant_uuid: str | None):
    return SELECT_RATING if participant_uuid else SELECT_AGREED


# assessment uuid -> referential, so the hot path does not reload it on every key press
_ref_cache: dict[str, ref_mod.Referential] = {}


def referential(conn, assessment_uuid: str) -> ref_mod.Referential:
    """The referential an assessment is pinned to (``conn``: a Core connection)."""
    ref = _ref_cache.get(assessment_uuid)
    if ref is None:
        row = conn.execute(text("SELECT referential_id, referential_version FROM assessment WHERE id = :a"),
                           {"a": assessment_uuid}).first()
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


def need_assessment(s, assessment_uuid: str) -> m.Assessment:
    return need(s, m.Assessment, assessment_uuid, "Aucune évaluation")


def check_participant(conn, assessment_uuid: str, participant_uuid: str) -> None:
    """The participant exists and takes part in this assessment (``conn``: a Core connection)."""
    row = conn.execute(text("SELECT assessment_id, name FROM participant WHERE id = :p"),
                       {"p": participant_uuid}).first()
    if row is None:
        raise NotFound(f"Aucun participant ne porte l’identifiant « {participant_uuid} ».")
    if row[0] != assessment_uuid:
        raise ServiceError(f"Le participant « {row[1]} » appartient à une autre évaluation.")
