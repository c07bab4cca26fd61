"""« Repères du réseau »: what a network sends back to its poles after a consolidation.

Per criterion, per domain and for the overall index: the number of poles ``n``, the
median and the quartiles, for the whole network and by region and by type of territory.
A group is published only when at least ``MIN_GROUP`` poles stand behind the figure, and
the groups of one breakdown are suppressed together when the poles left out could
otherwise be worked out by subtracting published groups from the whole network (the
suppressed part of a breakdown is always empty or at least ``MIN_GROUP`` poles).

A pole imports the file; its position (« votre pôle / médiane du réseau / quartiles »)
is computed here, for the dashboard and the report alike. Format: docs/FORMAT-REPERES.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import median, quantiles
from typing import Mapping

from ptce_toolkit.referential import Referential
from ptce_toolkit.scoring import score

FORMAT_NAME = "ptce-reperes"
FORMAT_VERSION = 1
MIN_GROUP = 5
WHOLE_NETWORK = "ensemble"
BREAKDOWNS = {"region": "Région", "type_territoire": "Type de territoire"}
OVERALL = "indice"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "reperes.schema.json"


class PackRefused(ValueError):
    """The file is not a usable « repères du réseau » file; the message is French."""


@dataclass
class PoleFigures:
    """One pole of the consolidation, reduced to what the pack needs."""

    pole_uuid: str
    answers: Mapping[str, object]  # criterion id -> AnswerData-like (status, level)
    groups: dict[str, str] = field(default_factory=dict)  # breakdown -> value (region, type_territoire)


@dataclass(frozen=True)
class Stat:
    n: int
    median: float
    q1: float
    q3: float

    def as_dict(self) -> dict:
        return {"n": self.n, "mediane": self.median, "q1": self.q1, "q3": self.q3}


def stat_of(values: list[float]) -> Stat:
    """Median and quartiles (inclusive method: the quartiles stay within the values)."""
    q1, q2, q3 = quantiles(values, n=4, method="inclusive")
    return Stat(len(values), round(q2, 4), round(q1, 4), round(q3, 4))


def _values_by_key(ref: Referential, poles: list[PoleFigures]) -> dict[str, dict[str, float]]:
    """key (criterion, domain or OVERALL) -> pole uuid -> value, only where the pole has one."""
    out: dict[str, dict[str, float]] = {}
    for p in poles:
        scores = score(ref, p.answers)
        for c in ref.criteria():
            a = p.answers.get(c.id)
            if a is not None and getattr(a, "status", "") == "answered":
                out.setdefault(c.id, {})[p.pole_uuid] = float(a.level)
        for d_id, d in scores.domains.items():
            if d.score is not None:
                out.setdefault(d_id, {})[p.pole_uuid] = d.score
        if scores.overall is not None:
            out.setdefault(OVERALL, {})[p.pole_uuid] = scores.overall
    return out


def publishable(sizes: dict[str, int], total: int) -> set[str]:
    """The groups of one breakdown that may be published for one figure.

    A group needs MIN_GROUP poles; then, while the poles held back number from 1 to
    MIN_GROUP - 1 (so that « whole network minus the published groups » would show
    them), the smallest published group is held back too.
    """
    if total < MIN_GROUP:
        return set()
    shown = {g for g, n in sizes.items() if n >= MIN_GROUP}
    while shown and 0 < total - sum(sizes[g] for g in shown) < MIN_GROUP:
        shown.remove(min(shown, key=lambda g: (sizes[g], g)))
    return shown


def build_pack(ref: Referential, poles: list[PoleFigures], *, name: str, made_on: date | None = None) -> dict:
    """The pack as a JSON-ready dict; no group of fewer than MIN_GROUP poles appears in it."""
    values = _values_by_key(ref, poles)
    keys = [c.id for c in ref.criteria()] + [d.id for d in ref.domains] + [OVERALL]
    groups: list[dict] = []
    whole = {"decoupage": WHOLE_NETWORK, "valeur": "", "poles": len(poles), "chiffres": {}}
    for key in keys:
        by_pole = values.get(key, {})
        if len(by_pole) >= MIN_GROUP:
            whole["chiffres"][key] = stat_of(list(by_pole.values())).as_dict()
    groups.append(whole)
    for breakdown in BREAKDOWNS:
        members: dict[str, list[str]] = {}
        for p in poles:
            value = p.groups.get(breakdown, "").strip()
            members.setdefault(value, []).append(p.pole_uuid)
        tables = {g: {"decoupage": breakdown, "valeur": g, "poles": len(uuids), "chiffres": {}}
                  for g, uuids in sorted(members.items()) if g}
        for key in keys:
            by_pole = values.get(key, {})
            sizes = {g: sum(1 for u in uuids if u in by_pole) for g, uuids in members.items()}
            # an unnamed group (region not given) is never published but counts as held back
            shown = publishable({g: n for g, n in sizes.items() if g}, len(by_pole))
            for g in shown:
                tables[g]["chiffres"][key] = stat_of([by_pole[u] for u in members[g] if u in by_pole]).as_dict()
        groups += [t for t in tables.values() if t["chiffres"]]
    for g in groups:
        if g["decoupage"] != WHOLE_NETWORK:
            # the number of poles of a group is published only as the n of its figures
            g["poles"] = max(s["n"] for s in g["chiffres"].values())
    return {
        "format": FORMAT_NAME, "version": FORMAT_VERSION, "nom": name,
        "date": (made_on or date.today()).isoformat(),
        "referentiel": {"id": ref.id, "version": ref.version}, "effectif_minimal": MIN_GROUP,
        "groupes": groups,
    }


def write_pack(pack: dict, path: str | Path) -> Path:
    from ptce_toolkit import atomic

    text = json.dumps(pack, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    atomic.write_bytes(path, text.encode("utf-8"))
    return Path(path)


# --------------------------------------------------------------------------- reading


def _refuse_constant(name: str):
    raise PackRefused(f"valeur non numérique « {name} » refusée")


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise PackRefused(f"la clé « {k} » apparaît deux fois")
        seen[k] = v
    return seen


def read_pack(path: str | Path) -> dict:
    """A validated pack; PackRefused (French, naming the file) otherwise. Never half-read."""
    path = Path(path)
    where = f"« {path.name} »"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackRefused(f"{where}\u00a0: lecture impossible ({exc.strerror or exc}).") from None
    if len(raw) > 20_000_000:
        raise PackRefused(f"{where} : fichier trop volumineux pour un fichier de repères.")
    try:
        pack = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except PackRefused as exc:
        raise PackRefused(f"{where}\u00a0: {exc}.") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackRefused(f"{where} n’est pas un fichier de repères du réseau (JSON illisible).") from None
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(pack), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        at = "/".join(str(p) for p in e.absolute_path) or "racine"
        raise PackRefused(f"{where} : contenu non conforme au format des repères (à « {at} »).")
    for g in pack["groupes"]:
        for key, s in g["chiffres"].items():
            if s["n"] < MIN_GROUP:
                raise PackRefused(f"{where} : le groupe « {g['valeur'] or g['decoupage']} » publie « {key} » "
                                  f"pour {s['n']} pôles, moins que les {MIN_GROUP} requis.")
            if not (s["q1"] <= s["mediane"] <= s["q3"]) or not all(math.isfinite(s[k]) for k in ("q1", "mediane", "q3")):
                raise PackRefused(f"{where} : quartiles incohérents pour « {key} ».")
    return pack


# --------------------------------------------------------------------------- a pole's position


@dataclass(frozen=True)
class Position:
    key: str          # criterion id, domain id or OVERALL
    own: float | None
    network: Stat

    @property
    def verdict(self) -> str:
        """« sous le 1er quartile », « dans la moitié centrale », « au-dessus du 3e quartile », or ''."""
        if self.own is None:
            return ""
        if self.own < self.network.q1:
            return "sous le 1er quartile"
        if self.own > self.network.q3:
            return "au-dessus du 3e quartile"
        return "dans la moitié centrale"


def group_of(pack: dict, breakdown: str = WHOLE_NETWORK, value: str = "") -> dict | None:
    return next((g for g in pack["groupes"] if g["decoupage"] == breakdown and g["valeur"] == value), None)


def positions(ref: Referential, pack: dict, answers: Mapping[str, object], *,
              breakdown: str = WHOLE_NETWORK, value: str = "") -> list[Position]:
    """The pole's domain scores and overall index beside the network's figures (same referential only)."""
    if (pack["referentiel"]["id"], pack["referentiel"]["version"]) != (ref.id, ref.version):
        return []
    group = group_of(pack, breakdown, value)
    if group is None:
        return []
    scores = score(ref, answers)
    out = []
    for key in [d.id for d in ref.domains] + [OVERALL]:
        s = group["chiffres"].get(key)
        if s is None:
            continue
        own = scores.overall if key == OVERALL else scores.domains[key].score
        out.append(Position(key, own, Stat(s["n"], s["mediane"], s["q1"], s["q3"])))
    return out


# --------------------------------------------------------------------------- packs kept by a pole


def packs_dir() -> Path:
    from ptce_toolkit import paths

    folder = paths.data_dir() / "reperes"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def install_pack(path: str | Path) -> tuple[Path, dict]:
    """Validate a pack received from the network and keep a copy; importing it again replaces the copy."""
    import hashlib
    import re

    pack = read_pack(path)
    slug = re.sub(r"[^a-z0-9]+", "-", pack["nom"].lower()).strip("-")[:60] or "reperes"
    digest = hashlib.sha256(f"{pack['nom']}|{pack['date']}".encode()).hexdigest()[:8]
    target = packs_dir() / f"{pack['date']}-{slug}-{digest}.json"
    return write_pack(pack, target), pack


def installed_packs() -> list[dict]:
    """Every kept pack that still reads correctly, newest first (a damaged copy is skipped, never half-used)."""
    packs = []
    for p in sorted(packs_dir().glob("*.json")):
        try:
            packs.append(read_pack(p))
        except PackRefused:
            continue
    return sorted(packs, key=lambda pk: (pk["date"], pk["nom"]), reverse=True)


def latest_pack_for(ref: Referential) -> dict | None:
    return next((pk for pk in installed_packs()
                 if (pk["referentiel"]["id"], pk["referentiel"]["version"]) == (ref.id, ref.version)), None)
