"""Plain, Qt-free picture of one assessment: what exports, reports and the JSON format read.

``load`` reads it from the database in one transaction; ``write`` stores one in a single
transaction (all-or-nothing), replacing the assessment's content when its uuid exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import delete, select

from ptce_toolkit import models as m
from ptce_toolkit.changes import Change
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.records import (  # noqa: F401 - re-exported: the snapshot's parts
    ActionData, AnswerData, AssessmentData, OptionData, ParticipantData, PoleData, Snapshot, SwotData, answer_data,
    option_kind,
)


# --------------------------------------------------------------------------- reading


def _scope(model, uuids, assessment_uuid):
    return model.id.in_(list(uuids)) if uuids is not None else model.assessment_id == assessment_uuid


def read_swot(s, uuids=None, *, assessment_uuid: str | None = None) -> dict[str, SwotData]:
    """SWOT items by uuid (the uuids given that exist, or all of an assessment), in
    quadrant then position order. ``s``: an ORM session."""
    items = {it.id: SwotData(it.id, it.quadrant, it.text, it.importance, it.position, [])
             for it in s.exec(select(m.SwotItem).where(_scope(m.SwotItem, uuids, assessment_uuid))
                              .order_by(m.SwotItem.quadrant, m.SwotItem.position))}
    if items:
        for link in s.exec(select(m.SwotItemCriterion).where(m.SwotItemCriterion.swot_item_id.in_(list(items)))
                           .order_by(m.SwotItemCriterion.criterion_id)):
            items[link.swot_item_id].criteria.append(link.criterion_id)
    return items


def read_options(s, uuids=None, *, assessment_uuid: str | None = None) -> dict[str, OptionData]:
    """Strategic options by uuid, in position order; links listed by quadrant then position."""
    options = {o.id: OptionData(o.id, o.text, o.position, [])
               for o in s.exec(select(m.StrategicOption).where(_scope(m.StrategicOption, uuids, assessment_uuid))
                               .order_by(m.StrategicOption.position))}
    if options:
        for option_id, swot_id in s.exec(
                select(m.OptionSwotLink.option_id, m.OptionSwotLink.swot_item_id)
                .join(m.SwotItem, m.SwotItem.id == m.OptionSwotLink.swot_item_id)
                .where(m.OptionSwotLink.option_id.in_(list(options)))
                .order_by(m.SwotItem.quadrant, m.SwotItem.position)):
            options[option_id].swot.append(swot_id)
    return options


def read_actions(s, uuids=None, *, assessment_uuid: str | None = None) -> dict[str, ActionData]:
    """Actions by uuid, in position order; criteria sorted, options in option order."""
    actions = {ac.id: ActionData(ac.id, ac.title, ac.owner, ac.due_on, ac.status, ac.priority, ac.position, [], [])
               for ac in s.exec(select(m.Action).where(_scope(m.Action, uuids, assessment_uuid))
                                .order_by(m.Action.position))}
    if actions:
        for link in s.exec(select(m.ActionCriterion).where(m.ActionCriterion.action_id.in_(list(actions)))
                           .order_by(m.ActionCriterion.criterion_id)):
            actions[link.action_id].criteria.append(link.criterion_id)
        for action_id, option_id in s.exec(
                select(m.ActionOption.action_id, m.ActionOption.option_id)
                .join(m.StrategicOption, m.StrategicOption.id == m.ActionOption.option_id)
                .where(m.ActionOption.action_id.in_(list(actions)))
                .order_by(m.StrategicOption.position, m.StrategicOption.id)):
            actions[action_id].options.append(option_id)
    return actions


_PROFILE = sa_select(m.Assessment.__table__.c.profile).where(m.Assessment.__table__.c.id == bindparam("a"))


@dataclass
class Parts:
    """Fresh copies of the parts of an assessment that a change names (a read model's refresh).
    An id named by the change and missing here was removed."""

    answers: dict[str, AnswerData] = field(default_factory=dict)
    ratings: dict[tuple[str, str], AnswerData] = field(default_factory=dict)
    profile: dict[str, dict] = field(default_factory=dict)
    swot: dict[str, SwotData] = field(default_factory=dict)
    options: dict[str, OptionData] = field(default_factory=dict)
    actions: dict[str, ActionData] = field(default_factory=dict)


def read_changed(db, change: Change) -> Parts:
    """Re-read exactly what ``change`` names: answers and profile with one Core query each
    (the rating key's path), items through the ORM only when the change names some."""
    from ptce_toolkit.services import sql  # statements built once, shared with the services

    parts = Parts()
    if change.answers or change.ratings or change.profile:
        with db.connection() as conn:
            for c in change.answers:
                row = conn.execute(sql.SELECT_AGREED, {"a": change.assessment, "c": c}).first()
                if row is not None:
                    parts.answers[c] = answer_data(row)
            for p, c in change.ratings:
                row = conn.execute(sql.SELECT_RATING, {"a": change.assessment, "c": c, "p": p}).first()
                if row is not None:
                    parts.ratings[(p, c)] = answer_data(row)
            if change.profile:
                profile = json.loads(conn.execute(_PROFILE, {"a": change.assessment}).scalar() or "{}")
                parts.profile = {k: v for k, v in profile.items() if k in change.profile}
    if change.swot or change.options or change.actions:
        with db.session() as s:
            if change.swot:
                parts.swot = read_swot(s, change.swot)
            if change.options:
                parts.options = read_options(s, change.options)
            if change.actions:
                parts.actions = read_actions(s, change.actions)
    return parts


def load(db, assessment_uuid: str, *, session=None) -> Snapshot:
    """Read through ``quickread.load_snapshot`` (sqlite3, one implementation for every reader);
    inside the caller's transaction when ``session`` (an ORM session) is given."""
    from ptce_toolkit import quickread
    from ptce_toolkit.services.errors import NotFound

    def read(conn) -> Snapshot:
        try:
            return quickread.load_snapshot(conn.connection.driver_connection, assessment_uuid)
        except quickread.AmbiguousOrMissing as exc:
            raise NotFound(str(exc)) from None

    if session is not None:
        return read(session.connection())
    with db.connection() as conn:
        return read(conn)


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
                    evidence=ans.evidence, priority=ans.priority, updated_at=ans.updated_at or now,
                    to_confirm=ans.to_confirm, carried_from=ans.carried_from)


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
