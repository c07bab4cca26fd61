"""Strategic options (tied to SWOT items) and the action plan.

Each edit is one transaction and returns a ``Change``; add and update check their
values with the same functions.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import delete, func, select

from ptce_toolkit import models as m
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.services import sql
from ptce_toolkit.services.errors import ServiceError, refuse_too_long
from ptce_toolkit.snapshot import ActionData, OptionData


_NO_OPTION, _NO_ACTION = "Aucune option stratégique", "Aucune action"


def _next_position(s, model, assessment_uuid: str) -> int:
    n = s.exec(select(func.max(model.position)).where(model.assessment_id == assessment_uuid)).first()
    return 0 if n is None else n + 1


def _owned(s, model, assessment_uuid: str, uuids, unknown: str) -> list[str]:
    """The uuids without duplicates, each a row of ``model`` in this assessment; else « {unknown}… »."""
    uuids = list(dict.fromkeys(uuids or ()))
    for u in uuids:
        row = s.get(model, u)
        if row is None or row.assessment_id != assessment_uuid:
            raise ServiceError(f"{unknown} pour cette évaluation : « {u} ».")
    return uuids


def _check_swot_links(s, assessment_uuid: str, swot) -> list[str]:
    return _owned(s, m.SwotItem, assessment_uuid, swot, "Élément AFOM inconnu")


def _check_option_text(text) -> None:
    if text is not None and not text.strip():
        raise ServiceError("Le texte d’une option stratégique ne peut pas être vide.")
    refuse_too_long(text, "Option stratégique", "options", "[]", "text")


# --------------------------------------------------------------------------- options


def get_option(db, uuid: str) -> OptionData:
    with db.session() as s:
        sql.need(s, m.StrategicOption, uuid, _NO_OPTION)
        return snap_mod.read_options(s, [uuid])[uuid]


def _insert_option(s, assessment_uuid: str, text: str, swot, uuid: str | None, position: int | None):
    _check_option_text(text or "")
    sql.need_assessment(s, assessment_uuid)
    swot = _check_swot_links(s, assessment_uuid, swot)
    o = m.StrategicOption(id=uuid or new_uuid(), assessment_id=assessment_uuid, text=text.strip(),
                          position=_next_position(s, m.StrategicOption, assessment_uuid)
                          if position is None else position)
    s.add(o)
    s.flush()
    s.add_all([m.OptionSwotLink(option_id=o.id, swot_item_id=u) for u in swot])
    return o


def add_option(db, assessment_uuid: str, text: str, *, swot=(), uuid: str | None = None,
               position: int | None = None) -> Change:
    with db.session() as s:
        o = _insert_option(s, assessment_uuid, text, swot, uuid, position)
        return Change(assessment_uuid, Operation.of("delete_option", o.id), options=frozenset({o.id}), created=o.id)


def update_option(db, uuid: str, *, text: str | None = None, swot=None) -> Change:
    _check_option_text(text)
    with db.session() as s:
        o = sql.need(s, m.StrategicOption, uuid, _NO_OPTION)
        old = snap_mod.read_options(s, [uuid])[uuid]
        undo: dict = {}
        if text is not None:
            undo["text"], o.text = old.text, text.strip()
        if swot is not None:
            swot = _check_swot_links(s, o.assessment_id, swot)
            undo["swot"] = tuple(old.swot)
            s.exec(delete(m.OptionSwotLink).where(m.OptionSwotLink.option_id == uuid))
            s.add_all([m.OptionSwotLink(option_id=uuid, swot_item_id=u) for u in swot])
        o.updated_at = utc_now()
        return Change(o.assessment_id, Operation.of("update_option", uuid, **undo), options=frozenset({uuid}))


def delete_option(db, uuid: str) -> Change:
    """Delete an option (actions lose their link to it); the inverse restores both."""
    with db.session() as s:
        o = sql.need(s, m.StrategicOption, uuid, _NO_OPTION)
        data, aid = snap_mod.read_options(s, [uuid])[uuid], o.assessment_id
        actions = tuple(s.exec(select(m.ActionOption.action_id).where(m.ActionOption.option_id == uuid)))
        s.delete(o)
        return Change(aid, Operation.of("restore_option", aid, data, actions=actions),
                      options=frozenset({uuid}), actions=frozenset(actions))


def restore_option(db, assessment_uuid: str, option: OptionData, *, actions=()) -> Change:
    """Put a deleted option back with its links (to the items and actions that still exist)."""
    with db.session() as s:
        swot = [u for u in option.swot if s.get(m.SwotItem, u) is not None]
        o = _insert_option(s, assessment_uuid, option.text, swot, option.uuid, option.position)
        actions = [a for a in actions if s.get(m.Action, a) is not None]
        s.add_all([m.ActionOption(action_id=a, option_id=o.id) for a in actions])
        return Change(assessment_uuid, Operation.of("delete_option", o.id), options=frozenset({o.id}),
                      actions=frozenset(actions), created=o.id)


# --------------------------------------------------------------------------- actions


def _check_action(title, owner, status, priority, due_on) -> None:
    if title is not None and not title.strip():
        raise ServiceError("L’intitulé d’une action ne peut pas être vide.")
    refuse_too_long(title, "Intitulé de l’action", "actions", "[]", "title")
    refuse_too_long(owner, "Responsable de l’action", "actions", "[]", "owner")
    if status is not None and status not in m.ACTION_STATUSES:
        raise ServiceError(f"Statut d’action inconnu : « {status} ».")
    if priority is not None and priority not in (1, 2, 3):
        raise ServiceError(f"La priorité doit valoir 1, 2 ou 3 (reçu : « {priority} »).")
    if due_on:
        try:
            date.fromisoformat(due_on)
        except ValueError:
            raise ServiceError(f"Échéance invalide : « {due_on} » (attendu : AAAA-MM-JJ).") from None


def _check_options(s, assessment_uuid: str, options) -> list[str]:
    return _owned(s, m.StrategicOption, assessment_uuid, options, "Option stratégique inconnue")


def get_action(db, uuid: str) -> ActionData:
    with db.session() as s:
        sql.need(s, m.Action, uuid, _NO_ACTION)
        return snap_mod.read_actions(s, [uuid])[uuid]


def _insert_action(s, assessment_uuid: str, title: str, owner, due_on, status, priority, criteria, options,
                   uuid: str | None, position: int | None) -> m.Action:
    _check_action(title, owner, status, priority, due_on)
    sql.need_assessment(s, assessment_uuid)
    criteria = sql.check_criteria(s.connection(), assessment_uuid, criteria)
    options = _check_options(s, assessment_uuid, options)
    a = m.Action(id=uuid or new_uuid(), assessment_id=assessment_uuid, title=title.strip(), owner=owner,
                 due_on=due_on, status=status, priority=priority,
                 position=_next_position(s, m.Action, assessment_uuid) if position is None else position)
    s.add(a)
    s.flush()
    s.add_all([m.ActionCriterion(action_id=a.id, criterion_id=c) for c in criteria])
    s.add_all([m.ActionOption(action_id=a.id, option_id=o) for o in options])
    return a


def add_action(db, assessment_uuid: str, title: str, *, owner: str = "", due_on: str = "", status: str = "todo",
               priority: int = 2, criteria=(), options=(), uuid: str | None = None,
               position: int | None = None) -> Change:
    with db.session() as s:
        a = _insert_action(s, assessment_uuid, title, owner, due_on, status, priority, criteria, options, uuid,
                           position)
        return Change(assessment_uuid, Operation.of("delete_action", a.id), actions=frozenset({a.id}), created=a.id)


def update_action(db, uuid: str, *, title=None, owner=None, due_on=None, status=None, priority=None,
                  criteria=None, options=None) -> Change:
    _check_action(title, owner, status, priority, due_on)
    with db.session() as s:
        a = sql.need(s, m.Action, uuid, _NO_ACTION)
        old = snap_mod.read_actions(s, [uuid])[uuid]
        undo: dict = {}
        for name, value in (("title", title), ("owner", owner), ("due_on", due_on), ("status", status),
                            ("priority", priority)):
            if value is not None:
                undo[name] = getattr(old, name)
                setattr(a, name, value.strip() if name == "title" else value)
        if criteria is not None:
            criteria = sql.check_criteria(s.connection(), a.assessment_id, criteria)
            undo["criteria"] = tuple(old.criteria)
            s.exec(delete(m.ActionCriterion).where(m.ActionCriterion.action_id == uuid))
            s.add_all([m.ActionCriterion(action_id=uuid, criterion_id=c) for c in criteria])
        if options is not None:
            options = _check_options(s, a.assessment_id, options)
            undo["options"] = tuple(old.options)
            s.exec(delete(m.ActionOption).where(m.ActionOption.action_id == uuid))
            s.add_all([m.ActionOption(action_id=uuid, option_id=o) for o in options])
        a.updated_at = utc_now()
        return Change(a.assessment_id, Operation.of("update_action", uuid, **undo), actions=frozenset({uuid}))


def delete_action(db, uuid: str) -> Change:
    with db.session() as s:
        a = sql.need(s, m.Action, uuid, _NO_ACTION)
        data, aid = snap_mod.read_actions(s, [uuid])[uuid], a.assessment_id
        s.delete(a)
        return Change(aid, Operation.of("restore_action", aid, data), actions=frozenset({uuid}))


def restore_action(db, assessment_uuid: str, action: ActionData) -> Change:
    """Put a deleted action back (its links to options that still exist)."""
    d = action
    with db.session() as s:
        options = [o for o in d.options if s.get(m.StrategicOption, o) is not None]
        a = _insert_action(s, assessment_uuid, d.title, d.owner, d.due_on, d.status, d.priority, d.criteria,
                           options, d.uuid, d.position)
        return Change(assessment_uuid, Operation.of("delete_action", a.id), actions=frozenset({a.id}), created=a.id)
