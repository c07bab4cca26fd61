"""SWOT grid (grille AFOM) items: add, edit, move between quadrants, delete, restore."""

from __future__ import annotations

from sqlmodel import delete, select

from ptce_toolkit import models as m
from ptce_toolkit.models import new_uuid, utc_now
from ptce_toolkit.services.answers import _referential
from ptce_toolkit.services.errors import NotFound, ServiceError
from ptce_toolkit.snapshot import SwotData



def _check(quadrant: str, text: str | None, importance: int | None) -> None:
    if quadrant is not None and quadrant not in m.QUADRANTS:
        raise ServiceError(f"Quadrant inconnu : « {quadrant} » (attendu : S, W, O ou T).")
    if text is not None and not text.strip():
        raise ServiceError("Le texte d’un élément AFOM ne peut pas être vide.")
    if importance is not None and importance not in (1, 2, 3):
        raise ServiceError(f"L’importance doit valoir 1, 2 ou 3 (reçu : « {importance} »).")


def _check_criteria(db, assessment_uuid: str, criteria) -> list[str]:
    criteria = list(dict.fromkeys(criteria or ()))
    if criteria:
        with db.connection() as conn:
            ref = _referential(conn, assessment_uuid)
        bad = [c for c in criteria if not ref.has_criterion(c)]
        if bad:
            raise ServiceError(f"Critère(s) inconnu(s) : {', '.join(bad)}.")
    return criteria


def _item(s, uuid: str) -> m.SwotItem:
    it = s.get(m.SwotItem, uuid)
    if it is None:
        raise NotFound(f"Aucun élément AFOM ne porte l’identifiant « {uuid} ».")
    return it


def _ordered(s, assessment_uuid: str, quadrant: str, exclude: str | None = None) -> list[m.SwotItem]:
    q = select(m.SwotItem).where(m.SwotItem.assessment_id == assessment_uuid, m.SwotItem.quadrant == quadrant)
    return [it for it in s.exec(q.order_by(m.SwotItem.position)) if it.id != exclude]


def _renumber(items) -> None:
    for i, it in enumerate(items):
        it.position = i


def get_swot_item(db, uuid: str) -> SwotData:
    with db.session() as s:
        it = _item(s, uuid)
        crit = sorted(s.exec(select(m.SwotItemCriterion.criterion_id).where(m.SwotItemCriterion.swot_item_id == uuid)))
        return SwotData(it.id, it.quadrant, it.text, it.importance, it.position, crit)


def add_swot_item(db, assessment_uuid: str, quadrant: str, text: str, *, importance: int = 2,
                  position: int | None = None, criteria=(), uuid: str | None = None) -> str:
    _check(quadrant, text, importance)
    criteria = _check_criteria(db, assessment_uuid, criteria)
    with db.session() as s:
        if s.get(m.Assessment, assessment_uuid) is None:
            raise NotFound(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
        items = _ordered(s, assessment_uuid, quadrant)
        it = m.SwotItem(id=uuid or new_uuid(), assessment_id=assessment_uuid, quadrant=quadrant,
                        text=text.strip(), importance=importance)
        items.insert(len(items) if position is None else max(0, min(position, len(items))), it)
        _renumber(items)
        s.add(it)
        s.flush()
        s.add_all([m.SwotItemCriterion(swot_item_id=it.id, criterion_id=c) for c in criteria])
        return it.id


def update_swot_item(db, uuid: str, *, text: str | None = None, importance: int | None = None,
                     criteria=None) -> SwotData:
    """Returns the item as it was (for undo with ``update_swot_item`` again)."""
    _check(None, text, importance)
    old = get_swot_item(db, uuid)
    if criteria is not None:
        with db.session() as s:
            aid = _item(s, uuid).assessment_id
        criteria = _check_criteria(db, aid, criteria)
    with db.session() as s:
        it = _item(s, uuid)
        if text is not None:
            it.text = text.strip()
        if importance is not None:
            it.importance = importance
        if criteria is not None:
            s.exec(delete(m.SwotItemCriterion).where(m.SwotItemCriterion.swot_item_id == uuid))
            s.add_all([m.SwotItemCriterion(swot_item_id=uuid, criterion_id=c) for c in criteria])
        it.updated_at = utc_now()
    return old


def move_swot_item(db, uuid: str, quadrant: str, position: int) -> tuple[str, int]:
    """Move to another quadrant and/or position; returns (old quadrant, old position)."""
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
        return old


def delete_swot_item(db, uuid: str) -> tuple[str, SwotData, list[str]]:
    """Returns (assessment uuid, item, option uuids it was linked to) for ``restore_swot_item``."""
    data = get_swot_item(db, uuid)
    with db.session() as s:
        it = _item(s, uuid)
        aid = it.assessment_id
        options = list(s.exec(select(m.OptionSwotLink.option_id).where(m.OptionSwotLink.swot_item_id == uuid)))
        s.delete(it)
        s.flush()
        _renumber(_ordered(s, aid, data.quadrant))
    return aid, data, options


def restore_swot_item(db, removed: tuple[str, SwotData, list[str]]) -> None:
    aid, data, options = removed
    add_swot_item(db, aid, data.quadrant, data.text, importance=data.importance, position=data.position,
                  criteria=data.criteria, uuid=data.uuid)
    with db.session() as s:
        s.add_all([m.OptionSwotLink(option_id=o, swot_item_id=data.uuid) for o in options
                   if s.get(m.StrategicOption, o) is not None])


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
