"""Load and validate referential files (YAML described by a JSON Schema).

A bad file is refused with an error naming the file, the line and the field, so a
network that writes its own referential can fix it without reading code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ptce_toolkit import paths
from ptce_toolkit.vocabulary import QUADRANT_ORDER

SCHEMA_PATH = paths.SHIPPED_REFERENTIAL_DIR / "referential.schema.json"
QUADRANTS = QUADRANT_ORDER
LEVELS = (0, 1, 2, 3, 4)


class ReferentialError(ValueError):
    """A referential file cannot be used; the message is for the user (French)."""


@dataclass(frozen=True)
class Level:
    value: int
    label: str
    description: str


@dataclass(frozen=True)
class Special:
    label: str
    description: str
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    domain_id: str
    statement: str
    guidance: str
    evidence: tuple[str, ...]
    level_hints: dict[int, str]
    weight: float = 1.0
    not_applicable_hint: str | None = None


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    short_title: str
    purpose: str
    key_question: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Quadrant:
    code: str
    title: str
    question: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class ProfileField:
    id: str
    label: str
    type: str
    section: str = ""
    unit: str = ""
    help: str = ""
    choices: tuple[Choice, ...] = ()
    figure: bool = False
    default_perimeter: str = ""
    definition: str = ""
    key: bool = False


@dataclass(frozen=True)
class CriterionGroup:
    """A declared group of criteria: ``objective`` (the unifying objectives, summarised on
    the dashboard and in the report) or ``axis`` (reserved for positioning charts)."""

    id: str
    kind: str
    title: str
    description: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class Referential:
    id: str
    version: str
    language: str
    title: str
    description: str
    levels: tuple[Level, ...]
    not_applicable: Special
    unknown: Special
    domains: tuple[Domain, ...]
    quadrants: dict[str, Quadrant]
    options_prompt: str
    perimeters: tuple[Choice, ...]
    qualifiers: tuple[Choice, ...]
    profile_fields: tuple[ProfileField, ...]
    source_path: Path | None = None
    groups: tuple[CriterionGroup, ...] = ()
    na_reason_required: bool = False  # « Sans objet » must be explained in the comment
    _criteria: dict[str, Criterion] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def criteria(self) -> list[Criterion]:
        return [c for d in self.domains for c in d.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria[criterion_id]

    def has_criterion(self, criterion_id: str) -> bool:
        return criterion_id in self._criteria

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(domain_id)

    def level_label(self, value: int) -> str:
        return self.levels[value].label

    def objectives(self) -> list[CriterionGroup]:
        return [g for g in self.groups if g.kind == "objective"]

    def profile_field(self, field_id: str) -> ProfileField | None:
        for f in self.profile_fields:
            if f.id == field_id:
                return f
        return None


# --------------------------------------------------------------------------- loading


def _yaml_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line_index(text: str) -> dict[tuple, int]:
    """Map each JSON path (tuple of keys/indexes) to its 1-based line in the YAML."""
    import yaml

    index: dict[tuple, int] = {}
    root = yaml.compose(text, Loader=_yaml_loader())

    def walk(node, path):
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                index[path + (k.value,)] = k.start_mark.line + 1
                walk(v, path + (k.value,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    if root is not None:
        walk(root, ())
    return index


def _fmt_path(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(racine)"


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_file(path: str | Path) -> Referential:
    """Parse, validate and build a referential; raise ReferentialError on any problem.

    A file that passed validation once is kept as JSON in the cache folder, keyed by
    the hash of its text and of the schema: later starts skip YAML parsing and schema
    validation (≈150 ms), which keeps command-line start-up fast.
    """
    path = Path(path)
    raw, text = read_data_file(path)
    cache = _cache_file(raw)
    if cache is not None and cache.exists():
        try:
            return _from_dict(json.loads(cache.read_text(encoding="utf-8")), path, text)
        except (ValueError, KeyError, TypeError, ReferentialError):
            pass  # stale or damaged cache entry: validate again below
    data = parse_yaml(text, path)
    ref = build(data, path, text)
    if cache is not None:
        _write_cache(cache, data)
    return ref


def read_data_file(path: Path) -> tuple[bytes, str]:
    """Bytes and UTF-8 text of a data file from outside (referential or crosswalk)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReferentialError(f"{path.name} : le fichier n’est pas en UTF-8 (octet {exc.start}).") from exc
    except OSError as exc:
        raise ReferentialError(f"{path.name} : lecture impossible ({exc.strerror}).") from exc
    return raw, text


def parse_yaml(text: str, path: Path):
    """YAML text -> Python data, errors in French with file and line. The one YAML entry
    point for data files from outside (referentials and crosswalks share its limits)."""
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark else ""
        raise ReferentialError(f"{path.name}{where} : YAML illisible ({getattr(exc, 'problem', exc)}).") from exc


def _cache_file(raw: bytes) -> Path | None:
    import hashlib

    try:
        digest = hashlib.sha256(raw + SCHEMA_PATH.read_bytes()).hexdigest()[:32]
        return paths.data_dir() / "cache" / f"referentiel-{digest}.json"
    except OSError:
        return None


def _write_cache(cache: Path, data: dict) -> None:
    from ptce_toolkit import atomic

    try:
        atomic.write_bytes(cache, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a cache is an optimisation; a read-only data folder must not stop the app


def build(data, path: Path, text: str | None = None) -> Referential:
    check_schema(data, _schema(), path, text)
    return _from_dict(data, path, text)


def check_schema(data, schema: dict, path: Path, text: str | None, error: type = ReferentialError) -> None:
    """Validate ``data`` against a JSON Schema; the first error names file, line and field."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        lines = _line_index(text) if text else {}
        err_path = tuple(err.absolute_path)
        line = None
        probe = err_path
        while line is None and probe is not None:
            line = lines.get(probe)
            probe = probe[:-1] if probe else None
        where = f", ligne {line}" if line else ""
        raise error(
            f"{path.name}{where}, champ « {_fmt_path(err_path)} » : {err.message}"
            + (f" (et {len(errors) - 1} autre(s) erreur(s))" if len(errors) > 1 else "")
        )


def _semantic_error(path: Path, text: str | None, json_path: tuple, message: str) -> ReferentialError:
    line = (_line_index(text) if text else {}).get(json_path)
    where = f", ligne {line}" if line else ""
    return ReferentialError(f"{path.name}{where}, champ « {_fmt_path(json_path)} » : {message}")


def _from_dict(d: dict, path: Path, text: str | None) -> Referential:
    levels = tuple(Level(lv["value"], lv["label"], lv["description"]) for lv in d["scale"]["levels"])
    if [lv.value for lv in levels] != list(LEVELS):
        raise _semantic_error(path, text, ("scale", "levels"), "les niveaux doivent être 0, 1, 2, 3, 4 dans l’ordre.")
    na = d["scale"]["not_applicable"]
    dk = d["scale"]["unknown"]
    na_sp = tuple(s.strip().lower() for s in na["spellings"])
    dk_sp = tuple(s.strip().lower() for s in dk["spellings"])
    if set(na_sp) & set(dk_sp):
        raise _semantic_error(path, text, ("scale", "unknown", "spellings"),
                              "une graphie ne peut pas valoir à la fois « sans objet » et « ne sait pas ».")
    domains = []
    seen_domains: set[str] = set()
    criteria: dict[str, Criterion] = {}
    for di, dd in enumerate(d["domains"]):
        if dd["id"] in seen_domains:
            raise _semantic_error(path, text, ("domains", di, "id"), f"domaine « {dd['id']} » en double.")
        seen_domains.add(dd["id"])
        crits = []
        for ci, cd in enumerate(dd["criteria"]):
            cid = cd["id"]
            if cid in criteria:
                raise _semantic_error(path, text, ("domains", di, "criteria", ci, "id"), f"critère « {cid} » en double.")
            if not cid.startswith(dd["id"] + "."):
                raise _semantic_error(path, text, ("domains", di, "criteria", ci, "id"),
                                      f"le critère « {cid} » doit commencer par « {dd['id']}. ».")
            c = Criterion(
                id=cid, domain_id=dd["id"], statement=cd["statement"], guidance=cd["guidance"],
                evidence=tuple(cd["evidence"]), level_hints={int(k): v for k, v in cd["levels"].items()},
                weight=float(cd.get("weight", 1.0)), not_applicable_hint=cd.get("not_applicable_hint"),
            )
            criteria[cid] = c
            crits.append(c)
        domains.append(Domain(dd["id"], dd["title"], dd.get("short_title", dd["id"]), dd["purpose"],
                              dd.get("key_question", ""), tuple(crits)))
    sw = d["swot"]
    quadrants = {q: Quadrant(q, sw[q]["title"], sw[q]["question"], tuple(sw[q]["examples"])) for q in QUADRANTS}
    groups = []
    for gi, gd in enumerate(d.get("criterion_groups", [])):
        for ci, cid in enumerate(gd["criteria"]):
            if cid not in criteria:
                raise _semantic_error(path, text, ("criterion_groups", gi, "criteria", ci),
                                      f"le groupe « {gd['id']} » cite un critère inconnu : « {cid} ».")
        groups.append(CriterionGroup(gd["id"], gd["kind"], gd["title"], gd.get("description", ""),
                                     tuple(gd["criteria"])))
    if len({g.id for g in groups}) != len(groups):
        raise _semantic_error(path, text, ("criterion_groups",), "deux groupes portent le même identifiant.")
    prof = d["profile"]
    fields = tuple(
        ProfileField(
            id=f["id"], label=f["label"], type=f["type"], section=f.get("section", ""), unit=f.get("unit", ""),
            help=f.get("help", ""), choices=tuple(Choice(c["id"], c["label"]) for c in f.get("choices", [])),
            figure=bool(f.get("figure", False)), default_perimeter=f.get("default_perimeter", ""),
            definition=f.get("definition", ""), key=bool(f.get("key", False)),
        )
        for f in prof["fields"]
    )
    return Referential(
        id=d["id"], version=d["version"], language=d["language"], title=d["title"],
        description=d.get("description", ""), levels=levels,
        not_applicable=Special(na["label"], na["description"], na_sp),
        unknown=Special(dk["label"], dk["description"], dk_sp),
        domains=tuple(domains), quadrants=quadrants, options_prompt=sw.get("options_prompt", ""),
        perimeters=tuple(Choice(c["id"], c["label"]) for c in prof["perimeters"]),
        qualifiers=tuple(Choice(c["id"], c["label"]) for c in prof["qualifiers"]),
        profile_fields=fields, source_path=path, groups=tuple(groups),
        na_reason_required=bool(na.get("reason_required", False)), _criteria=criteria,
    )


# --------------------------------------------------------------------------- registry

DEFAULT_ID = "ptce-referentiel-action"
# Version used when nothing else is asked (demo, blank template, ``ptce`` commands without
# an option). 2.0.0 is offered explicitly (« Nouvelle évaluation », crosswalk carry-over)
# until the demo and the tests that name 1.0.0 criteria are ported; then this becomes "2.0.0".
DEFAULT_VERSION = "1.0.0"


def _candidate_files() -> list[Path]:
    files = sorted(paths.SHIPPED_REFERENTIAL_DIR.glob("*.yaml"))
    user_dir = paths.user_referential_dir() if _user_dir_enabled() else None
    if user_dir and user_dir.is_dir():
        files += sorted(user_dir.glob("*.yaml"))
    return files


def _user_dir_enabled() -> bool:
    import os

    return bool(os.environ.get(paths.DATA_ENV)) or not os.environ.get("PTCE_TOOLKIT_NO_USER_REFERENTIALS")


class Registry:
    """All referentials the app knows: shipped ones plus the user's folder.

    Files that fail validation are kept aside in ``problems`` so one bad network file
    does not stop the app; asking for it explicitly raises its error.
    """

    def __init__(self, files: list[Path] | None = None):
        self._by_key: dict[tuple[str, str], Referential] = {}
        self.problems: list[str] = []
        for f in files if files is not None else _candidate_files():
            try:
                ref = load_file(f)
            except ReferentialError as exc:
                self.problems.append(str(exc))
                continue
            self._by_key.setdefault(ref.key, ref)

    def get(self, ref_id: str, version: str) -> Referential:
        try:
            return self._by_key[(ref_id, version)]
        except KeyError:
            known = ", ".join(f"{i} {v}" for i, v in sorted(self._by_key)) or "aucun"
            raise ReferentialError(
                f"Le référentiel « {ref_id} » version {version} n’est pas installé sur ce poste "
                f"(référentiels disponibles : {known})."
            ) from None

    def latest(self, ref_id: str = DEFAULT_ID) -> Referential:
        versions = [r for (i, _), r in self._by_key.items() if i == ref_id]
        if not versions:
            raise ReferentialError(f"Aucun référentiel « {ref_id} » n’est installé.")
        return max(versions, key=lambda r: tuple(int(x) for x in r.version.split(".")))

    def all(self) -> list[Referential]:
        return [self._by_key[k] for k in sorted(self._by_key)]


_registry: Registry | None = None


def registry() -> Registry:
    """Process-wide registry, built on first use (no side effect at import)."""
    global _registry
    if _registry is None:
        _registry = Registry()
    return _registry


def reset_registry() -> None:
    global _registry
    _registry = None


def default() -> Referential:
    try:
        return registry().get(DEFAULT_ID, DEFAULT_VERSION)
    except ReferentialError:
        return registry().latest(DEFAULT_ID)
