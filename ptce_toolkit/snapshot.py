"""Plain, Qt-free picture of one assessment: what exports, reports and the JSON format read.

``load`` reads it from the database in one transaction; ``write`` stores one in a single
transaction (all-or-nothing), replacing the assessment's content when its uuid exists.
"""

from __future__ import annotations

import json
from dataclasses import replace

from sqlmodel import delete

from ptce_toolkit import models as m
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.records import (  # noqa: F401 - re-exported: the snapshot's parts
    ActionData, AnswerData, AssessmentData, OptionData, ParticipantData, PoleData, Snapshot, SwotData, option_kind,
)


# --------------------------------------------------------------------------- reading


def load(db, assessment_uuid: str) -> Snapshot:
    """Read through ``quickread.load_snapshot`` (sqlite3, one implementation for every reader)."""
    from ptce_toolkit import quickread
    from ptce_toolkit.services.errors import NotFound

    with db.connection() as conn:
        try:
            return quickread.load_snapshot(conn.connection.driver_connection, assessment_uuid)
        except quickread.AmbiguousOrMissing as exc:
            raise NotFound(str(exc)) from None


# --------------------------------------------------------------------------- writing


def write(db, snap: Snapshot, *, session=None) -> str:
    """Store a snapshot atomically. Same uuids update in place (idempotent import)."""
    if session is not None:
        _write(session, snap)
    else:
        with db.session() as s:
            _write(s, snap)
    return snap.assessment.uuid


def _write(s, snap: Snapshot) -> None:
    now = utc_now()
    p = snap.pole
    pole = s.get(m.Pole, p.uuid)
    if pole is None:
        pole = m.Pole(id=p.uuid, name=p.name)
        s.add(pole)
    pole.name, pole.aliases = p.name, json.dumps(p.aliases, ensure_ascii=False)
    pole.territory, pole.department, pole.region = p.territory, p.department, p.region
    pole.creation_year, pole.legal_form, pole.origin = p.creation_year, p.legal_form, p.origin
    pole.updated_at = now
    a = snap.assessment
    row = s.get(m.Assessment, a.uuid)
    if row is None:
        row = m.Assessment(id=a.uuid, pole_id=p.uuid, title=a.title, referential_id=a.referential_id,
                           referential_version=a.referential_version, created_at=a.created_at or now)
        s.add(row)
    else:
        for model in (m.Answer, m.Participant, m.SwotItem, m.StrategicOption, m.Action):
            s.exec(delete(model).where(model.assessment_id == a.uuid))
    row.pole_id, row.title = p.uuid, a.title
    row.referential_id, row.referential_version = a.referential_id, a.referential_version
    row.started_on, row.completed_on, row.status = a.started_on, a.completed_on, a.status
    row.facilitator, row.profile = a.facilitator, json.dumps(a.profile, ensure_ascii=False, sort_keys=True)
    row.copied_from, row.updated_at = a.copied_from, now
    s.flush()
    for pr in snap.participants:
        s.add(m.Participant(id=pr.uuid, assessment_id=a.uuid, name=pr.name, college=pr.college, position=pr.position))
    s.flush()
    rows = [_answer_row(a.uuid, None, ans, now) for ans in snap.answers.values() if not ans.is_empty]
    for puid, answers in snap.participant_answers.items():
        rows += [_answer_row(a.uuid, puid, ans, now) for ans in answers.values() if not ans.is_empty]
    s.add_all(rows)
    for it in snap.swot:
        s.add(m.SwotItem(id=it.uuid, assessment_id=a.uuid, quadrant=it.quadrant, text=it.text,
                         importance=it.importance, position=it.position, updated_at=now))
    s.flush()
    s.add_all([m.SwotItemCriterion(swot_item_id=it.uuid, criterion_id=c) for it in snap.swot for c in dict.fromkeys(it.criteria)])
    for o in snap.options:
        s.add(m.StrategicOption(id=o.uuid, assessment_id=a.uuid, text=o.text, position=o.position, updated_at=now))
    s.flush()
    s.add_all([m.OptionSwotLink(option_id=o.uuid, swot_item_id=u) for o in snap.options for u in dict.fromkeys(o.swot)])
    for ac in snap.actions:
        s.add(m.Action(id=ac.uuid, assessment_id=a.uuid, title=ac.title, owner=ac.owner, due_on=ac.due_on,
                       status=ac.status, priority=ac.priority, position=ac.position, updated_at=now))
    s.flush()
    s.add_all([m.ActionCriterion(action_id=ac.uuid, criterion_id=c) for ac in snap.actions for c in dict.fromkeys(ac.criteria)])
    s.add_all([m.ActionOption(action_id=ac.uuid, option_id=o) for ac in snap.actions for o in dict.fromkeys(ac.options)])


def _answer_row(assessment_uuid, participant_uuid, ans: AnswerData, now: str) -> m.Answer:
    return m.Answer(id=new_uuid(), assessment_id=assessment_uuid, criterion_id=ans.criterion,
                    participant_id=participant_uuid, status=ans.status,
                    level=ans.level if ans.status == "answered" else None, comment=ans.comment,
                    evidence=ans.evidence, priority=ans.priority, updated_at=ans.updated_at or now)


def with_new_uuids(snap: Snapshot, *, keep_pole: bool = True) -> Snapshot:
    """A deep copy with fresh uuids for the assessment and its items (links remapped)."""
    mapping: dict[str, str] = {}

    def remap(u: str) -> str:
        return mapping.setdefault(u, new_uuid())

    pole = snap.pole if keep_pole else replace(snap.pole, uuid=new_uuid())
    return Snapshot(
        pole=replace(pole, aliases=list(pole.aliases)),
        assessment=replace(snap.assessment, uuid=new_uuid(), profile=json.loads(json.dumps(snap.assessment.profile))),
        answers={k: replace(v) for k, v in snap.answers.items()},
        swot=[replace(s, uuid=remap(s.uuid), criteria=list(s.criteria)) for s in snap.swot],
        options=[replace(o, uuid=remap(o.uuid), swot=[remap(u) for u in o.swot]) for o in snap.options],
        actions=[replace(a, uuid=remap(a.uuid), criteria=list(a.criteria), options=[remap(u) for u in a.options])
                 for a in snap.actions],
        participants=[replace(p, uuid=remap(p.uuid)) for p in snap.participants],
        participant_answers={remap(k): {c: replace(a) for c, a in v.items()} for k, v in snap.participant_answers.items()},
    )
