"""Assessments: one diagnostic of one pole at one date, pinned to a referential version."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import select

from ptce_toolkit import exchange, fmt
from ptce_toolkit import models as m
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.models import utc_now
from ptce_toolkit.services.errors import NotFound, ServiceError, refuse_problems
from ptce_toolkit.snapshot import Snapshot

ASSESSMENT_FIELDS = ("title", "started_on", "completed_on", "status", "facilitator")
_PROFILE_TEXTS = {"value": "valeur", "qualifier": "précision", "perimeter": "périmètre", "source": "source",
                  "definition": "définition"}
_LABELS = {"title": "Titre de l’évaluation", "started_on": "Date de début", "completed_on": "Date de fin",
           "status": "Statut", "facilitator": "Animation"}


def _refuse_unexportable(ref, fields: dict, field=None) -> None:
    """ServiceError for what an export could not carry back (an impossible date, a figure of
    10¹⁶, a year of 1700, a precision not in the referential's list…); ``field``: the profile
    field whose entry ``fields["profile"]`` holds."""
    def label(location: str) -> str:
        if field is not None and location.startswith("$.assessment.profile."):
            part = location.rsplit(".", 1)[1]
            return f"{field.label} ({_PROFILE_TEXTS.get(part, 'année' if part == 'year' else part)})"
        return _LABELS.get(location.removeprefix("$.assessment."), location)

    refuse_problems(exchange.fields_problems(ref, assessment={k: v for k, v in fields.items() if v is not None}),
                    label)


@dataclass(frozen=True)
class AssessmentSummary:
    uuid: str
    pole_uuid: str
    pole_name: str
    title: str
    started_on: str
    status: str
    referential_id: str
    referential_version: str
    answered: int
    updated_at: str


def _get(s, assessment_uuid: str) -> m.Assessment:
    a = s.get(m.Assessment, assessment_uuid)
    if a is None:
        raise NotFound(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
    return a


def referential_of(db, assessment_uuid: str) -> ref_mod.Referential:
    with db.session() as s:
        a = _get(s, assessment_uuid)
        key = (a.referential_id, a.referential_version)
    return ref_mod.registry().get(*key)


def create_assessment(db, pole_uuid: str, title: str = "", *, referential: ref_mod.Referential | None = None,
                      copy_from: str | None = None, started_on: str | None = None, facilitator: str = "",
                      uuid: str | None = None) -> Change:
    """Create a draft assessment (one transaction); the change's ``created`` is its uuid, its
    inverse deletes it. ``copy_from`` = an assessment uuid or "previous" (the pole's latest
    one): answers, profile, SWOT, options and actions are copied so last year's work is the
    starting point; the copy keeps its own uuids."""
    started = started_on or date.today().isoformat()
    if not title:
        title = f"Diagnostic {started[:4]}"
    _refuse_unexportable(referential or ref_mod.default(), {"title": title, "started_on": started,
                                                            "facilitator": facilitator})
    with db.session() as s:
        if s.get(m.Pole, pole_uuid) is None:
            raise NotFound(f"Aucun pôle ne porte l’identifiant « {pole_uuid} ».")
        source_uuid = _latest(s, pole_uuid) if copy_from == "previous" else copy_from
        if copy_from == "previous" and source_uuid is None:
            raise ServiceError("Ce pôle n’a pas encore d’évaluation à recopier.")
        if source_uuid:
            created = _copy(db, s, source_uuid, pole_uuid, referential, title=title, started=started,
                            facilitator=facilitator, uuid=uuid)
        else:
            ref = referential or ref_mod.default()
            a = m.Assessment(id=uuid or m.new_uuid(), pole_id=pole_uuid, title=title, started_on=started,
                             referential_id=ref.id, referential_version=ref.version, facilitator=facilitator)
            s.add(a)
            created = a.id
    return Change(created, Operation.of("delete_assessment", created), assessments=frozenset({created}),
                  poles=frozenset({pole_uuid}), created=created)


def _copy(db, s, source_uuid: str, pole_uuid: str, referential, *, title: str, started: str, facilitator: str,
          uuid: str | None) -> str:
    """Write a copy of ``source_uuid`` in the session's transaction; returns its uuid."""
    src = snap_mod.load(db, source_uuid, session=s)
    if src.pole.uuid != pole_uuid:
        raise ServiceError("L’évaluation à recopier appartient à un autre pôle.")
    new = snap_mod.with_new_uuids(src)
    src_key = (src.assessment.referential_id, src.assessment.referential_version)
    ref = referential or ref_mod.registry().get(*src_key)
    if ref.key != src_key:
        from ptce_toolkit.services import carry

        # Another version: answers and criterion links go through the crosswalk
        # (split and merged criteria become proposals « à confirmer »).
        source_ref = ref_mod.registry().get(*src_key)
        if source_ref.id == ref.id and source_ref.major == ref.major and carry.cw_mod.find(source_ref, ref) is None:
            new.answers = {k: v for k, v in new.answers.items() if ref.has_criterion(k)}  # ids keep their meaning
        else:
            carry.carry_snapshot(new, ref, carry.crosswalk_for(source_ref, ref))
    new.participants, new.participant_answers = [], {}
    a = new.assessment
    a.title, a.started_on, a.completed_on, a.status = title, started, "", "draft"
    a.facilitator = facilitator or a.facilitator
    a.referential_id, a.referential_version = ref.id, ref.version
    a.copied_from, a.created_at = source_uuid, ""
    if uuid:
        a.uuid = uuid
    return snap_mod.write(db, new, session=s)


def _latest(s, pole_uuid: str) -> str | None:
    """The pole's latest assessment (start date, then creation), as ``list_assessments`` orders them."""
    return s.exec(select(m.Assessment.id).where(m.Assessment.pole_id == pole_uuid)
                  .order_by(m.Assessment.started_on.desc(), m.Assessment.created_at.desc())).first()


def list_assessments(db, pole_uuid: str | None = None) -> list[AssessmentSummary]:
    answered = (select(m.Answer.assessment_id, func.count().label("n"))
                .where(m.Answer.participant_id.is_(None), m.Answer.status != "unanswered")
                .group_by(m.Answer.assessment_id).subquery())
    q = (select(m.Assessment, m.Pole.name, answered.c.n)
         .join(m.Pole, m.Pole.id == m.Assessment.pole_id)
         .outerjoin(answered, answered.c.assessment_id == m.Assessment.id))
    if pole_uuid:
        q = q.where(m.Assessment.pole_id == pole_uuid)
    q = q.order_by(m.Pole.name, m.Assessment.started_on.desc(), m.Assessment.created_at.desc())
    with db.session() as s:
        return [AssessmentSummary(a.id, a.pole_id, name, a.title, a.started_on, a.status, a.referential_id,
                                  a.referential_version, n or 0, a.updated_at)
                for a, name, n in s.exec(q)]


def latest_assessment(db, pole_uuid: str) -> str | None:
    with db.session() as s:
        return _latest(s, pole_uuid)


def previous_assessment(db, assessment_uuid: str) -> str | None:
    """The pole's assessment just before this one (start date, then creation), for comparisons."""
    with db.session() as s:
        a = _get(s, assessment_uuid)
        ids = list(s.exec(select(m.Assessment.id).where(m.Assessment.pole_id == a.pole_id)
                          .order_by(m.Assessment.started_on, m.Assessment.created_at)))
    idx = ids.index(assessment_uuid)
    return ids[idx - 1] if idx > 0 else None


def update_assessment(db, assessment_uuid: str, **fields) -> Change:
    """Change title, dates, status or facilitator; the inverse puts the previous values back."""
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ServiceError(fmt.plural(len(unknown), "Champ d’évaluation inconnu", "Champs d’évaluation inconnus")
                           + f" : {', '.join(sorted(unknown))}.")
    if "status" in fields and fields["status"] not in m.ASSESSMENT_STATUSES:
        raise ServiceError(f"Statut d’évaluation inconnu : « {fields['status']} ».")
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise ServiceError("Le titre de l’évaluation ne peut pas être vide.")
    _refuse_unexportable(ref_mod.default(), fields)
    with db.session() as s:
        a = _get(s, assessment_uuid)
        old = {k: getattr(a, k) for k in fields}
        for k, v in fields.items():
            setattr(a, k, v)
        a.updated_at = utc_now()
        return Change(assessment_uuid, Operation.of("update_assessment", assessment_uuid, **old),
                      assessments=frozenset({assessment_uuid}))


def set_profile_value(db, assessment_uuid: str, field_id: str, value: dict | None) -> Change:
    """Set one profile field ({value, qualifier, year, perimeter, source}); None clears it."""
    with db.session() as s:
        a = _get(s, assessment_uuid)
        ref = ref_mod.registry().get(a.referential_id, a.referential_version)
        field = ref.profile_field(field_id)
        if field is None:
            raise ServiceError(f"Champ de profil inconnu : « {field_id} ».")
        if value is not None:
            _refuse_unexportable(ref, {"profile": {field_id: dict(value)}}, field)
        profile = json.loads(a.profile or "{}")
        old = profile.get(field_id)
        if value is None:
            profile.pop(field_id, None)
        else:
            profile[field_id] = dict(value)
        a.profile = json.dumps(profile, ensure_ascii=False, sort_keys=True)
        a.updated_at = utc_now()
        return Change(assessment_uuid, Operation.of("set_profile_value", assessment_uuid, field_id, old),
                      profile=frozenset({field_id}))


def delete_assessment(db, assessment_uuid: str) -> Change:
    """Delete (one transaction); the inverse restores everything it held: answers, ratings
    and participants, profile, SWOT, options, actions and their links."""
    with db.session() as s:
        snap = snap_mod.load(db, assessment_uuid, session=s)
        s.delete(_get(s, assessment_uuid))
    return Change(assessment_uuid, Operation.of("restore_assessment", snap), assessments=frozenset({assessment_uuid}),
                  poles=frozenset({snap.pole.uuid}))


def restore_assessment(db, snap: Snapshot) -> Change:
    """Put back a deleted assessment as ``delete_assessment`` saw it."""
    with db.session() as s:
        if s.get(m.Assessment, snap.assessment.uuid) is not None:
            raise ServiceError(f"L’évaluation « {snap.assessment.title} » existe déjà.")
        snap_mod.write(db, snap, session=s)
    uuid = snap.assessment.uuid
    return Change(uuid, Operation.of("delete_assessment", uuid), assessments=frozenset({uuid}),
                  poles=frozenset({snap.pole.uuid}))
