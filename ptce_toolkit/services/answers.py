"""Answers: the autosave path. One short transaction per edit, built for speed.

Plain sqlite3 (``Database.writing``), no SQLAlchemy: at start-up the GUI writes a rating
while the ORM is still being imported. The upsert statement is built once per set of
changed fields and reused with bound parameters (see ``services.sql``).
"""

from __future__ import annotations

from ptce_toolkit import quickread
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.records import AnswerData, new_uuid, utc_now
from ptce_toolkit.services import sql
from ptce_toolkit.services.answer_rules import _UNSET, answer_fields, normalise  # noqa: F401 - normalise: part of the service
from ptce_toolkit.services.errors import ServiceError

_TOUCH = "UPDATE assessment SET updated_at = :t WHERE id = :a"
_SET_TO_CONFIRM = ("UPDATE answer SET to_confirm = :v WHERE assessment_id = :a AND criterion_id = :c "
                   "AND participant_id IS NULL")


def _restore_op(assessment_uuid: str, criterion_id: str, previous: AnswerData | None,
                participant_uuid: str | None) -> Operation:
    if previous is None:  # there was no row: undo removes it
        return Operation.of("delete_answer", assessment_uuid, criterion_id, participant_uuid=participant_uuid)
    extra = {"to_confirm": True} if previous.to_confirm and not participant_uuid else {}
    return Operation.of("set_answer", assessment_uuid, criterion_id, status=previous.status, level=previous.level,
                        comment=previous.comment, evidence=previous.evidence, priority=previous.priority,
                        participant_uuid=participant_uuid, **extra)


def _change(assessment_uuid: str, criterion_id: str, participant_uuid: str | None, inverse: Operation) -> Change:
    if participant_uuid:
        return Change(assessment_uuid, inverse, ratings=frozenset({(participant_uuid, criterion_id)}))
    return Change(assessment_uuid, inverse, answers=frozenset({criterion_id}))


def set_answer(db, assessment_uuid: str, criterion_id: str, *, status=_UNSET, level=_UNSET,
               comment=_UNSET, evidence=_UNSET, priority=_UNSET, participant_uuid: str | None = None,
               to_confirm=_UNSET) -> Change:
    """Save one answer (only the fields given change); the change's inverse restores the
    previous answer (or removes the row when there was none). Rating a carried-over
    proposal confirms it; ``to_confirm`` is given only by undo."""
    changes = answer_fields(status=status, level=level, comment=comment, evidence=evidence, priority=priority)
    with db.writing() as conn:
        ref = sql.referential(conn, assessment_uuid)
        if not ref.has_criterion(criterion_id):
            raise ServiceError(f"Critère inconnu dans le référentiel {ref.id} {ref.version} : « {criterion_id} ».")
        if participant_uuid:
            sql.check_participant(conn, assessment_uuid, participant_uuid)
        params = {"a": assessment_uuid, "c": criterion_id}
        found = quickread.answer_row(conn, assessment_uuid, criterion_id, participant_uuid)
        previous = found[1] if found else None
        base = previous or AnswerData(criterion_id)
        values = {
            "id": new_uuid(), "assessment_id": assessment_uuid, "criterion_id": criterion_id,
            "participant_id": participant_uuid, "status": base.status, "level": base.level,
            "comment": base.comment, "evidence": base.evidence, "priority": base.priority,
            "updated_at": utc_now(),
        }
        values.update(changes)
        conn.execute(sql.answer_upsert(tuple(sorted(changes)) or ("status",), participant_uuid is not None), values)
        if participant_uuid is None:
            if to_confirm is not _UNSET:  # undo of a confirmation puts the proposal back
                conn.execute(_SET_TO_CONFIRM, {**params, "v": bool(to_confirm)})
            elif previous is not None and previous.to_confirm and "status" in changes:
                # rating a carried-over proposal again confirms it (services/carry.py)
                conn.execute(_SET_TO_CONFIRM, {**params, "v": False})
        conn.execute(_TOUCH, {"t": values["updated_at"], "a": assessment_uuid})
    return _change(assessment_uuid, criterion_id, participant_uuid,
                   _restore_op(assessment_uuid, criterion_id, previous, participant_uuid))


def delete_answer(db, assessment_uuid: str, criterion_id: str, *, participant_uuid: str | None = None) -> Change:
    """Remove an answer row (undo of the first answer to a criterion)."""
    with db.writing() as conn:
        found = quickread.answer_row(conn, assessment_uuid, criterion_id, participant_uuid)
        if found is not None:
            conn.execute("DELETE FROM answer WHERE id = ?", (found[0],))
            conn.execute(_TOUCH, {"t": utc_now(), "a": assessment_uuid})
    previous = found[1] if found is not None else None
    inverse = _restore_op(assessment_uuid, criterion_id, previous, participant_uuid)
    return _change(assessment_uuid, criterion_id, participant_uuid, inverse)


def get_answer(db, assessment_uuid: str, criterion_id: str, participant_uuid: str | None = None) -> AnswerData:
    with db.reading() as conn:
        found = quickread.answer_row(conn, assessment_uuid, criterion_id, participant_uuid)
    return found[1] if found else AnswerData(criterion_id)


def get_answers(db, assessment_uuid: str, participant_uuid: str | None = None, *,
                criteria=None) -> dict[str, AnswerData]:
    """Stored answers by criterion (only the ``criteria`` given, when given)."""
    with db.reading() as conn:
        answers = quickread.answers_of(conn, assessment_uuid, participant_uuid)
    if criteria is not None:
        wanted = set(criteria)
        answers = {c: a for c, a in answers.items() if c in wanted}
    return answers
