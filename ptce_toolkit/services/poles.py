"""Poles: identity that does not change from one year to the next."""

from __future__ import annotations

import json

from sqlmodel import select

from ptce_toolkit import exchange, fmt
from ptce_toolkit import models as m
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.models import utc_now
from ptce_toolkit.services.errors import NotFound, ServiceError, refuse_problems, refuse_too_long
from ptce_toolkit.snapshot import PoleData, Snapshot

POLE_FIELDS = ("name", "aliases", "territory", "department", "region", "creation_year", "legal_form", "origin")
_TEXT_LABELS = {"territory": "Territoire", "department": "Département", "region": "Région",
                "legal_form": "Forme juridique", "origin": "Origine"}
_LABELS = {"name": "Nom du pôle", "aliases": "Autres noms", "creation_year": "Année de création", **_TEXT_LABELS}


def _label(location: str) -> str:
    """« $.pole.aliases[3] » → « Autres noms »."""
    key = location.removeprefix("$.pole.").split("[")[0].split(".")[0]
    return _LABELS.get(key, location)


def _to_data(p: m.Pole) -> PoleData:
    return PoleData(p.id, p.name, json.loads(p.aliases or "[]"), p.territory, p.department, p.region,
                    p.creation_year, p.legal_form, p.origin)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("Le nom du pôle ne peut pas être vide.")
    refuse_too_long(name, "Nom du pôle", "pole", "name")
    return name


def create_pole(db, name: str, *, uuid: str | None = None, **fields) -> Change:
    """A new pole; the change's ``created`` is its uuid, its inverse deletes it."""
    fields = _check_fields(fields)
    with db.session() as s:
        pole = m.Pole(id=uuid or m.new_uuid(), name=_clean_name(name), **fields)
        s.add(pole)
        return Change("", Operation.of("delete_pole", pole.id), poles=frozenset({pole.id}), created=pole.id)


def _check_fields(fields: dict) -> dict:
    unknown = set(fields) - set(POLE_FIELDS)
    if unknown:
        raise ServiceError(fmt.plural(len(unknown), "Champ de pôle inconnu", "Champs de pôle inconnus")
                           + f"\u00a0: {', '.join(sorted(unknown))}.")
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"])
    # what an export could not carry back (a territory of 2 000 characters, a creation year of 1700,
    # 150 other names…): the import's own rules, asked on a small document
    given = {k: list(v) if k == "aliases" else v for k, v in fields.items() if v is not None}
    refuse_problems(exchange.fields_problems(ref_mod.default(), pole=given), _label)
    if "aliases" in fields:
        fields["aliases"] = json.dumps(list(fields["aliases"]), ensure_ascii=False)
    return fields


def get_pole(db, pole_uuid: str) -> PoleData:
    with db.session() as s:
        p = s.get(m.Pole, pole_uuid)
        if p is None:
            raise NotFound(f"Aucun pôle ne porte l’identifiant « {pole_uuid} ».")
        return _to_data(p)


def list_poles(db) -> list[PoleData]:
    with db.session() as s:
        return [_to_data(p) for p in s.exec(select(m.Pole).order_by(m.Pole.name))]


def update_pole(db, pole_uuid: str, **fields) -> Change:
    """Change identity fields (``name`` renames); the inverse puts the previous values back."""
    fields = _check_fields(fields)
    with db.session() as s:
        p = s.get(m.Pole, pole_uuid)
        if p is None:
            raise NotFound(f"Aucun pôle ne porte l’identifiant « {pole_uuid} ».")
        old = {k: getattr(p, k) for k in fields}
        if "aliases" in old:
            old["aliases"] = json.loads(old["aliases"])
        for k, v in fields.items():
            setattr(p, k, v)
        p.updated_at = utc_now()
        return Change("", Operation.of("update_pole", pole_uuid, **old), poles=frozenset({pole_uuid}))


def delete_pole(db, pole_uuid: str) -> Change:
    """Delete a pole and its assessments (one transaction); the inverse restores them all."""
    with db.session() as s:
        p = s.get(m.Pole, pole_uuid)
        if p is None:
            raise NotFound(f"Aucun pôle ne porte l’identifiant « {pole_uuid} ».")
        pole = _to_data(p)
        ids = list(s.exec(select(m.Assessment.id).where(m.Assessment.pole_id == pole_uuid)
                          .order_by(m.Assessment.created_at, m.Assessment.id)))
        snaps = tuple(snap_mod.load(db, a, session=s) for a in ids)
        s.delete(p)
    return Change("", Operation.of("restore_pole", pole, snaps), poles=frozenset({pole_uuid}),
                  assessments=frozenset(ids))


def restore_pole(db, pole: PoleData, snaps: tuple[Snapshot, ...] = ()) -> Change:
    """Put back a deleted pole with its assessments, as ``delete_pole`` saw them."""
    with db.session() as s:
        if s.get(m.Pole, pole.uuid) is not None:
            raise ServiceError(f"Le pôle « {pole.name} » existe déjà.")
        s.add(m.Pole(id=pole.uuid, name=pole.name, aliases=json.dumps(pole.aliases, ensure_ascii=False),
                     territory=pole.territory, department=pole.department, region=pole.region,
                     creation_year=pole.creation_year, legal_form=pole.legal_form, origin=pole.origin))
        s.flush()
        for snap in snaps:
            snap_mod.write(db, snap, session=s)
    return Change("", Operation.of("delete_pole", pole.uuid), poles=frozenset({pole.uuid}),
                  assessments=frozenset(snap.assessment.uuid for snap in snaps))
