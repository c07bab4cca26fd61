"""SWOT grid (grille AFOM) items: add, edit, move between quadrants, delete, restore.

Each edit is one transaction and returns a ``Change``: the items whose content or
position changed (a quadrant is renumbered on every add, move and delete) and the
options whose links changed or are listed in another order.
"""

from __future__ import annotations

from sqlmodel import delete, select

from ptce_toolkit import models as m
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.services import sql
from ptce_toolkit.services.errors import ServiceError, refuse_too_long
from ptce_toolkit.snapshot import SwotData



def _check(quadrant: str, text: str | None, importance: int | None) -> None:
    if quadrant is not None and quadrant not in m.QUADRANTS:
        raise ServiceError(f"Quadrant inconnu : « {quadrant} » (attendu : S, W, O ou T).")
    if text is not None and not text.strip():
        raise ServiceError("Le texte d’un élément AFOM ne peut pas être vide.")
    refuse_too_long(text, "Élément AFOM", "swot", "[]", "text")
    if importance is not None and importance not in (1, 2, 3):
        raise ServiceError(f"L’importance doit valoir 1, 2 ou 3 (reçu : « {importance} »).")


def _item(s, uuid: str) -> m.SwotItem:
    return sql.need(s, m.SwotItem, uuid, "Aucun élément AFOM")


def _ordered(s, assessment_uuid: str, quadrant: str, exclude: str | None = None) -> list[m.SwotItem]:
    q = select(m.SwotItem).where(m.SwotItem.assessment_id == assessment_uuid, m.SwotItem.quadrant == quadrant)
    return [it for it in s.exec(q.order_by(m.SwotItem.position)) if it.id != exclude]


def _renumber(items) -> None:
    for i, it in enumerate(items):
        it.position = i


def _data(s, it: m.SwotItem) -> SwotData:
    crit = sorted(s.exec(select(m.SwotItemCriterion.criterion_id).where(m.SwotItemCriterion.swot_item_id == it.id)))
    return SwotData(it.id, it.quadrant, it.text, it.importance, it.position, crit)


def _linked_options(s, swot_uuids) -> list[str]:
    return list(dict.fromkeys(s.exec(select(m.OptionSwotLink.option_id)
                                     .where(m.OptionSwotLink.swot_item_id.in_(list(swot_uuids))))))


def _quadrants_change(s, assessment_uuid: str, quadrants, inverse: Operation, *, also=(), unlinked=(),
                      created: str | None = None) -> Change:
    """Every item of the quadrants (renumbered) and the options linked to them (their links
    are listed by quadrant then position)."""
    s.flush()
    items = [it.id for q in dict.fromkeys(quadrants) for it in _ordered(s, assessment_uuid, q)]
    swot = frozenset(items) | frozenset(also)
    options = frozenset(_linked_options(s, swot)) | frozenset(unlinked)
    return Change(assessment_uuid, inverse, swot=swot, options=options, created=created)


def get_swot_item(db, uuid: str) -> SwotData:
    with db.session() as s:
        return _data(s, _item(s, uuid))


def _insert(s, assessment_uuid: str, quadrant: str, text: str, importance: int, position, criteria,
            uuid: str | None) -> m.SwotItem:
    _check(quadrant, text, importance)
    sql.need_assessment(s, assessment_uuid)
    criteria = sql.check_criteria(s.connection(), assessment_uuid, criteria)
    items = _ordered(s, assessment_uuid, quadrant)
    it = m.SwotItem(id=uuid or new_uuid(), assessment_id=assessment_uuid, quadrant=quadrant,
                    text=text.strip(), importance=importance)
    items.insert(len(items) if position is None else max(0, min(position, len(items))), it)
    _renumber(items)
    s.add(it)
    s.flush()
    s.add_all([m.SwotItemCriterion(swot_item_id=it.id, criterion_id=c) for c in criteria])
    return it


def add_swot_item(db, assessment_uuid: str, quadrant: str, text: str, *, importance: int = 2,
                  position: int | None = None, criteria=(), uuid: str | None = None) -> Change:
    """Add an item (at the end of its quadrant unless a position is given); ``created`` is its uuid."""
    with db.session() as s:
        it = _insert(s, assessment_uuid, quadrant, text, importance, position, criteria, uuid)
        return _quadrants_change(s, assessment_uuid, [quadrant], Operation.of("delete_swot_item", it.id),
                                 created=it.id)


def update_swot_item(db, uuid: str, *, text: str | None = None, importance: int | None = None,
                     criteria=None) -> Change:
    _check(None, text, importance)
    with db.session() as s:
        it = _item(s, uuid)
        old = _data(s, it)
        undo: dict = {}
        if text is not None:
            undo["text"], it.text = old.text, text.strip()
        if importance is not None:
            undo["importance"], it.importance = old.importance, importance
        if criteria is not None:
            criteria = sql.check_criteria(s.connection(), it.assessment_id, criteria)
            undo["criteria"] = tuple(old.criteria)
            s.exec(delete(m.SwotItemCriterion).where(m.SwotItemCriterion.swot_item_id == uuid))
            s.add_all([m.SwotItemCriterion(swot_item_id=uuid, criterion_id=c) for c in criteria])
        it.updated_at = utc_now()
        return Change(it.assessment_id, Operation.of("update_swot_item", uuid, **undo), swot=frozenset({uuid}))


def move_swot_item(db, uuid: str, quadrant: str, position: int) -> Change:
    """Move to another quadrant and/or position; both quadrants are renumbered."""
    _check(quadrant, None, None)
    with db.session() as s:
        it = _item(s, uuid)
        old = (it.quadrant, it.position)
        source = _ordered(s, it.assessment_id, it.quadrant, exclude=uuid)
        _renumber(source)
        target = source if quadrant == it.quadrant else _ordered(s, it.assessment_id, quadrant)
        target.insert(max(0, min(position, len(target))), it)
        it.quadrant = quadrant
        _renumber(target)
        it.updated_at = utc_now()
        return _quadrants_change(s, it.assessment_id, [old[0], quadrant],
                                 Operation.of("move_swot_item", uuid, *old))


def delete_swot_item(db, uuid: str) -> Change:
    """Delete an item (its option links go with it); the inverse restores both."""
    with db.session() as s:
        it = _item(s, uuid)
        data, aid = _data(s, it), it.assessment_id
        options = tuple(_linked_options(s, [uuid]))
        s.delete(it)
        s.flush()
        _renumber(_ordered(s, aid, data.quadrant))
        return _quadrants_change(s, aid, [data.quadrant],
                                 Operation.of("restore_swot_item", aid, data, options=options), also=[uuid],
                                 unlinked=options)


def restore_swot_item(db, assessment_uuid: str, item: SwotData, *, options=()) -> Change:
    """Put a deleted item back at its place, with its criteria and the links of the options
    that still exist."""
    with db.session() as s:
        it = _insert(s, assessment_uuid, item.quadrant, item.text, item.importance, item.position, item.criteria,
                     item.uuid)
        s.add_all([m.OptionSwotLink(option_id=o, swot_item_id=it.id) for o in options
                   if s.get(m.StrategicOption, o) is not None])
        return _quadrants_change(s, assessment_uuid, [item.quadrant], Operation.of("delete_swot_item", it.id),
                                 created=it.id)


def list_swot(db, assessment_uuid: str) -> list[SwotData]:
    with db.session() as s:
        items = s.exec(select(m.SwotItem).where(m.SwotItem.assessment_id == assessment_uuid)
                       .order_by(m.SwotItem.quadrant, m.SwotItem.position)).all()
        links: dict[str, list[str]] = {}
        if items:
            for link in s.exec(select(m.SwotItemCriterion)
                               .where(m.SwotItemCriterion.swot_item_id.in_([i.id for i in items]))
                               .order_by(m.SwotItemCriterion.criterion_id)):
                links.setdefault(link.swot_item_id, []).append(link.criterion_id)
        return [SwotData(i.id, i.quadrant, i.text, i.importance, i.position, links.get(i.id, [])) for i in items]
