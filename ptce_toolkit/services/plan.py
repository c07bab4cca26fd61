"""Strategic options (tied to SWOT items) and the action plan."""

from __future__ import annotations

from datetime import date

from sqlmodel import delete, func, select

from ptce_toolkit import models as m
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.services.errors import NotFound, ServiceError
from ptce_toolkit.services.swot import _check_criteria
from ptce_toolkit.snapshot import ActionData, OptionData

from ptce_toolkit.vocabulary import ACTION_STATUS_LABELS, PRIORITY_LABELS  # noqa: F401 - re-exported


def _need(s, model, uuid: str, what: str):
    row = s.get(model, uuid)
    if row is None:
        raise NotFound(f"Aucun(e) {what} ne porte l’identifiant « {uuid} ».")
    return row


def _next_position(s, model, assessment_uuid: str) -> int:
    n = s.exec(select(func.max(model.position)).where(model.assessment_id == assessment_uuid)).first()
    return 0 if n is None else n + 1


def _check_swot_links(s, assessment_uuid: str, swot) -> list[str]:
    swot = list(dict.fromkeys(swot or ()))
    for u in swot:
        it = s.get(m.SwotItem, u)
        if it is None or it.assessment_id != assessment_uuid:
            raise ServiceError(f"Élément AFOM inconnu pour cette évaluation : « {u} ».")
    return swot


# --------------------------------------------------------------------------- options


def get_option(db, uuid: str) -> OptionData:
    with db.session() as s:
        o = _need(s, m.StrategicOption, uuid, "option stratégique")
        # same order as snapshot.load: quadrant, then position in the quadrant
        links = list(s.exec(select(m.OptionSwotLink.swot_item_id)
                            .join(m.SwotItem, m.SwotItem.id == m.OptionSwotLink.swot_item_id)
                            .where(m.OptionSwotLink.option_id == uuid)
                            .order_by(m.SwotItem.quadrant, m.SwotItem.position)))
        return OptionData(o.id, o.text, o.position, links)


def add_option(db, assessment_uuid: str, text: str, *, swot=(), uuid: str | None = None,
               position: int | None = None) -> str:
    if not (text or "").strip():
        raise ServiceError("Le texte d’une option stratégique ne peut pas être vide.")
    with db.session() as s:
        _need(s, m.Assessment, assessment_uuid, "évaluation")
        swot = _check_swot_links(s, assessment_uuid, swot)
        o = m.StrategicOption(id=uuid or new_uuid(), assessment_id=assessment_uuid, text=text.strip(),
                              position=_next_position(s, m.StrategicOption, assessment_uuid)
                              if position is None else position)
        s.add(o)
        s.flush()
        s.add_all([m.OptionSwotLink(option_id=o.id, swot_item_id=u) for u in swot])
        return o.id


def update_option(db, uuid: str, *, text: str | None = None, swot=None) -> OptionData:
    """Returns the option as it was (for undo)."""
    old = get_option(db, uuid)
    if text is not None and not text.strip():
        raise ServiceError("Le texte d’une option stratégique ne peut pas être vide.")
    with db.session() as s:
        o = _need(s, m.StrategicOption, uuid, "option stratégique")
        if text is not None:
            o.text = text.strip()
        if swot is not None:
            swot = _check_swot_links(s, o.assessment_id, swot)
            s.exec(delete(m.OptionSwotLink).where(m.OptionSwotLink.option_id == uuid))
            s.add_all([m.OptionSwotLink(option_id=uuid, swot_item_id=u) for u in swot])
        o.updated_at = utc_now()
    return old


def delete_option(db, uuid: str) -> tuple[str, OptionData, list[str]]:
    """Returns (assessment uuid, option, linked action uuids) for ``restore_option``."""
    data = get_option(db, uuid)
    with db.session() as s:
        o = _need(s, m.StrategicOption, uuid, "option stratégique")
        aid = o.assessment_id
        actions = list(s.exec(select(m.ActionOption.action_id).where(m.ActionOption.option_id == uuid)))
        s.delete(o)
    return aid, data, actions


def restore_option(db, removed: tuple[str, OptionData, list[str]]) -> None:
    aid, data, actions = removed
    with db.session() as s:
        swot = [u for u in data.swot if s.get(m.SwotItem, u) is not None]
    add_option(db, aid, data.text, swot=swot, uuid=data.uuid, position=data.position)
    with db.session() as s:
        s.add_all([m.ActionOption(action_id=a, option_id=data.uuid) for a in actions
                   if s.get(m.Action, a) is not None])


# --------------------------------------------------------------------------- actions


def _check_action(title, status, priority, due_on) -> None:
    if title is not None and not title.strip():
        raise ServiceError("L’intitulé d’une action ne peut pas être vide.")
    if status is not None and status not in m.ACTION_STATUSES:
        raise ServiceError(f"Statut d’action inconnu : « {status} ».")
    if priority is not None and priority not in (1, 2, 3):
        raise ServiceError(f"La priorité doit valoir 1, 2 ou 3 (reçu : « {priority} »).")
    if due_on:
        try:
            date.fromisoformat(due_on)
        except ValueError:
            raise ServiceError(f"Échéance invalide : « {due_on} » (attendu : AAAA-MM-JJ).") from None


def get_action(db, uuid: str) -> ActionData:
    with db.session() as s:
        a = _need(s, m.Action, uuid, "action")
        crit = sorted(s.exec(select(m.ActionCriterion.criterion_id).where(m.ActionCriterion.action_id == uuid)))
        opts = list(s.exec(select(m.ActionOption.option_id).where(m.ActionOption.action_id == uuid)))
        return ActionData(a.id, a.title, a.owner, a.due_on, a.status, a.priority, a.position, crit, opts)


def add_action(db, assessment_uuid: str, title: str, *, owner: str = "", due_on: str = "", status: str = "todo",
               priority: int = 2, criteria=(), options=(), uuid: str | None = None,
               position: int | None = None) -> str:
    _check_action(title, status, priority, due_on)
    criteria = _check_criteria(db, assessment_uuid, criteria)
    with db.session() as s:
        _need(s, m.Assessment, assessment_uuid, "évaluation")
        options = list(dict.fromkeys(options or ()))
        for o in options:
            row = s.get(m.StrategicOption, o)
            if row is None or row.assessment_id != assessment_uuid:
                raise ServiceError(f"Option stratégique inconnue pour cette évaluation : « {o} ».")
        a = m.Action(id=uuid or new_uuid(), assessment_id=assessment_uuid, title=title.strip(), owner=owner,
                     due_on=due_on, status=status, priority=priority,
                     position=_next_position(s, m.Action, assessment_uuid) if position is None else position)
        s.add(a)
        s.flush()
        s.add_all([m.ActionCriterion(action_id=a.id, criterion_id=c) for c in criteria])
        s.add_all([m.ActionOption(action_id=a.id, option_id=o) for o in options])
        return a.id


def update_action(db, uuid: str, *, title=None, owner=None, due_on=None, status=None, priority=None,
                  criteria=None, options=None) -> ActionData:
    """Returns the action as it was (for undo)."""
    _check_action(title, status, priority, due_on)
    old = get_action(db, uuid)
    with db.session() as s:
        aid = _need(s, m.Action, uuid, "action").assessment_id
    if criteria is not None:
        criteria = _check_criteria(db, aid, criteria)
    with db.session() as s:
        a = _need(s, m.Action, uuid, "action")
        for name, value in (("title", title), ("owner", owner), ("due_on", due_on), ("status", status),
                            ("priority", priority)):
            if value is not None:
                setattr(a, name, value.strip() if name == "title" else value)
        if criteria is not None:
            s.exec(delete(m.ActionCriterion).where(m.ActionCriterion.action_id == uuid))
            s.add_all([m.ActionCriterion(action_id=uuid, criterion_id=c) for c in criteria])
        if options is not None:
            s.exec(delete(m.ActionOption).where(m.ActionOption.action_id == uuid))
            s.add_all([m.ActionOption(action_id=uuid, option_id=o) for o in dict.fromkeys(options)])
        a.updated_at = utc_now()
    return old


def delete_action(db, uuid: str) -> tuple[str, ActionData]:
    data = get_action(db, uuid)
    with db.session() as s:
        a = _need(s, m.Action, uuid, "action")
        aid = a.assessment_id
        s.delete(a)
    return aid, data


def restore_action(db, removed: tuple[str, ActionData]) -> None:
    aid, d = removed
    with db.session() as s:
        options = [o for o in d.options if s.get(m.StrategicOption, o) is not None]
    add_action(db, aid, d.title, owner=d.owner, due_on=d.due_on, status=d.status, priority=d.priority,
               criteria=d.criteria, options=options, uuid=d.uuid, position=d.position)
