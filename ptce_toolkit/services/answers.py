"""Answers: the autosave path. One short transaction per edit, built for speed.

The upsert statement is built once per set of changed fields and reused with bound
parameters (≈10× cheaper than building a new statement each time, see STACK_NOTES.md).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.sqlite import insert

from ptce_toolkit import models as m
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.services.errors import NotFound, ServiceError
from ptce_toolkit.snapshot import AnswerData

_UNSET = object()
_FIELDS = ("status", "level", "comment", "evidence", "priority")
_answer = m.Answer.__table__


@lru_cache(maxsize=64)
def _upsert(changed: tuple[str, ...], with_participant: bool):
    cols = {c: bindparam(c) for c in ("id", "assessment_id", "criterion_id", "participant_id", *_FIELDS,
                                      "updated_at")}
    stmt = insert(_answer).values(**cols)
    where = text("participant_id IS NOT NULL") if with_participant else text("participant_id IS NULL")
    elements = ["assessment_id", "criterion_id"] + (["participant_id"] if with_participant else [])
    return stmt.on_conflict_do_update(
        index_elements=elements, index_where=where,
        set_={c: stmt.excluded[c] for c in (*changed, "updated_at")},
    )


_SELECT_ONE = select(_answer).where(
    _answer.c.assessment_id == bindparam("a"), _answer.c.criterion_id == bindparam("c"),
    _answer.c.participant_id.is_(None))
_SELECT_ONE_P = select(_answer).where(
    _answer.c.assessment_id == bindparam("a"), _answer.c.criterion_id == bindparam("c"),
    _answer.c.participant_id == bindparam("p"))

# assessment uuid -> referential, so the hot path does not reload it on every key press
_ref_cache: dict[str, ref_mod.Referential] = {}


def _referential(conn, assessment_uuid: str) -> ref_mod.Referential:
    ref = _ref_cache.get(assessment_uuid)
    if ref is None:
        row = conn.execute(text("SELECT referential_id, referential_version FROM assessment WHERE id = :a"),
                           {"a": assessment_uuid}).first()
        if row is None:
            raise NotFound(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
        ref = ref_mod.registry().get(row[0], row[1])
        _ref_cache[assessment_uuid] = ref
    return ref


def _row_to_data(row) -> AnswerData:
    return AnswerData(row.criterion_id, row.status, row.level, row.comment, row.evidence, bool(row.priority),
                      row.updated_at, bool(row.to_confirm), row.carried_from or "")


def normalise(status, level) -> tuple[str, int | None]:
    """Check a (status, level) pair; a level alone means "answered"."""
    if status is _UNSET or status is None:
        status = "answered" if level not in (_UNSET, None) else "unanswered"
    if status not in m.ANSWER_STATUSES:
        raise ServiceError(f"Statut de réponse inconnu : « {status} ».")
    if status == "answered":
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4:
            raise ServiceError(f"Le niveau doit être un entier de 0 à 4 (reçu : « {level} »).")
        return status, level
    return status, None


def set_answer(db, assessment_uuid: str, criterion_id: str, *, status=_UNSET, level=_UNSET,
               comment=_UNSET, evidence=_UNSET, priority=_UNSET, participant_uuid: str | None = None) -> AnswerData:
    """Save one answer (only the fields given change). Returns the previous answer, so
    the caller can undo by passing it back to ``restore_answer``."""
    changes: dict = {}
    if status is not _UNSET or level is not _UNSET:
        changes["status"], changes["level"] = normalise(status, level)
    if comment is not _UNSET:
        changes["comment"] = str(comment or "")
    if evidence is not _UNSET:
        changes["evidence"] = str(evidence or "")
    if priority is not _UNSET:
        changes["priority"] = bool(priority)
    with db.connection() as conn:
        ref = _referential(conn, assessment_uuid)
        if not ref.has_criterion(criterion_id):
            raise ServiceError(f"Critère inconnu dans le référentiel {ref.id} {ref.version} : « {criterion_id} ».")
        params = {"a": assessment_uuid, "c": criterion_id, "p": participant_uuid}
        row = conn.execute(_SELECT_ONE_P if participant_uuid else _SELECT_ONE, params).first()
        previous = _row_to_data(row) if row else AnswerData(criterion_id)
        values = {
            "id": new_uuid(), "assessment_id": assessment_uuid, "criterion_id": criterion_id,
            "participant_id": participant_uuid, "status": previous.status, "level": previous.level,
            "comment": previous.comment, "evidence": previous.evidence, "priority": previous.priority,
            "updated_at": utc_now(),
        }
        values.update(changes)
        conn.execute(_upsert(tuple(sorted(changes)) or ("status",), participant_uuid is not None), values)
        if previous.to_confirm and "status" in changes and participant_uuid is None:
            # rating a carried-over proposal again confirms it (services/carry.py)
            conn.execute(text("UPDATE answer SET to_confirm = 0 WHERE assessment_id = :a AND criterion_id = :c "
                              "AND participant_id IS NULL"), params)
        conn.execute(text("UPDATE assessment SET updated_at = :t WHERE id = :a"),
                     {"t": values["updated_at"], "a": assessment_uuid})
    return previous


def restore_answer(db, assessment_uuid: str, previous: AnswerData, participant_uuid: str | None = None) -> AnswerData:
    """Put an answer back exactly as it was (undo)."""
    return set_answer(db, assessment_uuid, previous.criterion, status=previous.status, level=previous.level,
                      comment=previous.comment, evidence=previous.evidence, priority=previous.priority,
                      participant_uuid=participant_uuid)


def get_answer(db, assessment_uuid: str, criterion_id: str, participant_uuid: str | None = None) -> AnswerData:
    with db.connection() as conn:
        params = {"a": assessment_uuid, "c": criterion_id, "p": participant_uuid}
        row = conn.execute(_SELECT_ONE_P if participant_uuid else _SELECT_ONE, params).first()
    return _row_to_data(row) if row else AnswerData(criterion_id)


def get_answers(db, assessment_uuid: str, participant_uuid: str | None = None) -> dict[str, AnswerData]:
    q = select(_answer).where(_answer.c.assessment_id == assessment_uuid)
    q = q.where(_answer.c.participant_id == participant_uuid if participant_uuid else _answer.c.participant_id.is_(None))
    with db.connection() as conn:
        return {r.criterion_id: _row_to_data(r) for r in conn.execute(q)}
