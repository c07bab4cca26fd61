"""Load and validate referential files (YAML described by a JSON Schema).

A bad file is refused with an error naming the file, the line and the field, so a
network that writes its own referential can fix it without reading code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ptce_toolkit import fmt, paths
from ptce_toolkit.vocabulary import QUADRANT_ORDER

SCHEMA_PATH = paths.SHIPPED_REFERENTIAL_DIR / "referential.schema.json"
QUADRANTS = QUADRANT_ORDER
LEVELS = (0, 1, 2, 3, 4)


class ReferentialError(ValueError):
    """A referential file cannot be used; the message is for the user (French).

    ``file``, ``line`` and ``field`` locate the problem when it is known."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.file, self.line, self.field = file, line, field


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
class OptionExample:
    """A strategic option the sources pair with one example item of the SWOT library."""
    quadrant: str
    item: str
    option: str


@dataclass(frozen=True)
class Benchmark:
    """A figure from the sources, named and dated, shown beside the pole's own; never a threshold."""
    field: str
    label: str
    value: float
    perimeter: str
    source: str


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
    axis: str = ""  # for kind axis: "learning" or "interaction" (positioning chart)


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
    examples_source: str = ""  # where the SWOT examples library comes from
    option_examples: tuple[OptionExample, ...] = ()
    option_examples_source: str = ""
    benchmarks: tuple[Benchmark, ...] = ()
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

    def benchmarks_for(self, field_id: str) -> list[Benchmark]:
        return [b for b in self.benchmarks if b.field == field_id]

    def axis_group(self, axis: str) -> CriterionGroup | None:
        """The group feeding an axis of the positioning chart (« learning », « interaction »)."""
        return next((g for g in self.groups if g.kind == "axis" and g.axis == axis), None)

    def profile_field(self, field_id: str) -> ProfileField | None:
        return self._profile_fields_by_id.get(field_id)

    def criterion_id_any_case(self, text: str) -> str | None:
        """The id of the criterion written ``text`` in any case (« fin.1 » → « FIN.1 »), or None."""
        return self._criteria_by_folded_id.get(text.casefold())

    # looked up for every row of an imported workbook: built once per referential (the first of a
    # repeated id wins, as a search in order would find it)
    @cached_property
    def _profile_fields_by_id(self) -> dict[str, ProfileField]:
        out: dict[str, ProfileField] = {}
        for f in self.profile_fields:
            out.setdefault(f.id, f)
        return out

    @cached_property
    def _criteria_by_folded_id(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.criteria():
            out.setdefault(c.id.casefold(), c.id)
        return out


# --------------------------------------------------------------------------- loading


def _yaml_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Limits for YAML from outside the app (a network's folder). The shipped referential is
# 85 KB, 6 levels deep, about 2,600 parse events: the bounds leave ample room.
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 100_000  # nodes once every alias is expanded
MAX_YAML_CHARS = 10_000_000  # characters of scalars once every alias is expanded
MAX_YAML_SECONDS = 5.0


class YamlRefused(ReferentialError):
    """A YAML file broke one of the limits (size, depth, alias expansion, time)."""


def _num(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _refuse(name: str, line: int | None, message: str) -> YamlRefused:
    where = f", ligne {line}" if line else ""
    return YamlRefused(f"{name}{where}\u00a0: {message}", name, line)


def check_yaml_limits(text: str, name: str, *, max_depth: int = MAX_YAML_DEPTH,
                      max_nodes: int = MAX_YAML_NODES, max_chars: int = MAX_YAML_CHARS,
                      max_seconds: float = MAX_YAML_SECONDS) -> None:
    """Stream the parse events once (no tree is built) and refuse the text as soon as its
    nesting, or its size with every alias expanded, passes a bound.

    Each collection keeps a running count of the nodes and characters it stands for
    once expanded; an alias adds the counts recorded for its anchor, so a « billion
    laughs » is refused after a few hundred events instead of being built.
    """
    import time

    import yaml

    deadline = time.monotonic() + max_seconds
    anchors: dict[str, tuple[int, int, int]] = {}  # anchor -> (nodes, chars, height)
    stack: list[list] = []  # open collections: [nodes, chars, height of children, anchor]
    root = [0, 0, 0, None]
    open_anchors: set[str] = set()
    seen = 0

    def add(nodes: int, chars: int, height: int, line: int) -> None:
        top = stack[-1] if stack else root
        top[0] += nodes
        top[1] += chars
        top[2] = max(top[2], height)
        if top[0] > max_nodes:
            raise _refuse(name, line, f"le fichier contient plus de {_num(max_nodes)} éléments une fois ses alias "
                          "YAML développés («\u00a0bombe\u00a0» d’alias)\u00a0; il est refusé.")
        if top[1] > max_chars:
            raise _refuse(name, line, f"le fichier contient plus de {_num(max_chars)} caractères une fois ses alias "
                          "YAML développés\u00a0; il est refusé.")
        if len(stack) + height > max_depth:
            raise _refuse(name, line, f"imbrication trop profonde (plus de {max_depth} niveaux)\u00a0; "
                          "le fichier est refusé.")

    loader = _yaml_loader()(text)
    try:
        while loader.check_event():
            ev = loader.get_event()
            seen += 1
            if seen % 1000 == 0 and time.monotonic() > deadline:
                raise _refuse(name, None, f"analyse trop longue (plus de {max_seconds:g}\u00a0s)\u00a0; "
                              "le fichier est refusé.")
            line = ev.start_mark.line + 1 if ev.start_mark else None
            if isinstance(ev, yaml.CollectionStartEvent):
                if len(stack) + 1 > max_depth:
                    raise _refuse(name, line, f"imbrication trop profonde (plus de {max_depth} niveaux)\u00a0; "
                                  "le fichier est refusé.")
                stack.append([0, 0, 0, ev.anchor])
                if ev.anchor:
                    open_anchors.add(ev.anchor)
            elif isinstance(ev, yaml.CollectionEndEvent):
                nodes, chars, height, anchor = stack.pop()
                if anchor:
                    open_anchors.discard(anchor)
                    anchors[anchor] = (nodes + 1, chars, height + 1)
                add(nodes + 1, chars, height + 1, line)
            elif isinstance(ev, yaml.ScalarEvent):
                size = len(ev.value)
                if ev.anchor:
                    anchors[ev.anchor] = (1, size, 0)
                add(1, size, 0, line)
            elif isinstance(ev, yaml.AliasEvent):
                if ev.anchor in open_anchors:
                    raise _refuse(name, line, f"l’alias YAML «\u00a0*{ev.anchor}\u00a0» se contient lui-même\u00a0; "
                                  "le fichier est refusé.")
                if ev.anchor not in anchors:
                    raise _refuse(name, line, f"l’alias YAML «\u00a0*{ev.anchor}\u00a0» ne renvoie à aucune "
                                  "ancre définie avant lui\u00a0; le fichier est refusé.")
                add(*anchors[ev.anchor], line)
    finally:
        loader.dispose()


def _yaml_syntax_error(name: str, exc) -> ReferentialError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    where = f", ligne {line}" if line else ""
    return ReferentialError(f"{name}{where}\u00a0: YAML illisible, {_yaml_problem_fr(exc)}.", name, line)


# PyYAML explains in English; the most frequent problems in French, the rest kept as detail.
_YAML_PROBLEMS = (
    ("did not find expected ',' or ']'", "virgule ou «\u00a0]\u00a0» attendue"),
    ("did not find expected ',' or '}'", "virgule ou «\u00a0}\u00a0» attendue"),
    ("expected a single document", "un seul document YAML est attendu"),
    ("mapping values are not allowed", "deux-points inattendu (valeur mal placée ou guillemets manquants)"),
    ("could not find expected ':'", "deux-points attendu"),
    ("cannot start any token", "caractère interdit à cet endroit (une tabulation au lieu d’espaces\u00a0?)"),
    ("did not find expected key", "clé attendue (indentation\u00a0?)"),
    ("did not find expected '-' indicator", "élément de liste «\u00a0-\u00a0» attendu (indentation\u00a0?)"),
    ("found unhashable key", "une liste ou un objet ne peut pas servir de clé"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet non fermé\u00a0?)"),
    ("found duplicate anchor", "ancre définie deux fois"),
    ("could not determine a constructor", "étiquette YAML non permise"),
)


def _yaml_problem_fr(exc) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    for english, french in _YAML_PROBLEMS:
        if english in problem:
            return french
    return f"détail\u00a0: {problem[:120]}"


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused before reading when it is larger than ``max_bytes``."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _refuse(name, None, f"fichier trop volumineux ({_num(size)} octets, au plus {_num(max_bytes)})\u00a0; "
                          "il est refusé.")
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ReferentialError(f"{name}\u00a0: lecture impossible ({exc.strerror}).", name) from exc
    if len(raw) > max_bytes:  # grew while being read
        raise _refuse(name, None, f"fichier trop volumineux (plus de {_num(max_bytes)} octets)\u00a0; "
                      "il est refusé.")
    return raw


def load_untrusted_yaml(path: str | Path, *, max_bytes: int = MAX_YAML_BYTES, **limits):
    """The one way to read YAML that comes from outside the app (a network's referential
    or crosswalk file): size checked before reading, then nesting, alias expansion and
    parse time bounded (``check_yaml_limits``) before any Python object is built.

    Returns the data (plain dicts, lists, scalars). Raises ``ReferentialError`` (a
    ``YamlRefused`` for a broken limit) with one French sentence naming the file.
    """
    path = Path(path)
    raw = read_limited(path, max_bytes)
    return parse_untrusted_yaml(raw, path.name, **limits)


def parse_untrusted_yaml(raw: bytes, name: str, **limits):
    """``load_untrusted_yaml`` for bytes already read (``name`` is used in messages)."""
    import yaml

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReferentialError(f"{name}\u00a0: le fichier n’est pas en UTF-8 (octet {exc.start}).", name) from exc
    try:
        check_yaml_limits(text, name, **limits)
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise _yaml_syntax_error(name, exc) from exc
    except RecursionError as exc:  # should not happen under the depth bound; never a traceback
        raise _refuse(name, None, "imbrication trop profonde\u00a0; le fichier est refusé.") from exc


def _line_index(text: str) -> dict[tuple, int]:
    """Map each JSON path (tuple of keys/indexes) to its 1-based line in the YAML."""
    import yaml

    index: dict[tuple, int] = {}
    root = yaml.compose(text, Loader=_yaml_loader())

    def walk(node, path):
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else repr(k.value)
                index[path + (key,)] = k.start_mark.line + 1
                walk(v, path + (key,))
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

    The YAML is read with ``load_untrusted_yaml`` (size, depth, alias expansion and time
    bounded). A file that passed validation once is kept as JSON in the cache folder,
    keyed by the hash of its text and of the schema: later starts skip YAML parsing and
    schema validation (≈150 ms), which keeps command-line start-up fast.
    """
    path = Path(path)
    raw = read_limited(path, MAX_YAML_BYTES)
    digest = _digest(raw)
    built = _BUILT.get((str(path), digest)) if digest else None
    if built is not None:
        return built
    cache = _cache_file(digest)
    ref = None
    if cache is not None and cache.exists():
        try:
            ref = _from_dict(json.loads(cache.read_text(encoding="utf-8")), path, raw.decode("utf-8"))
        except (ValueError, KeyError, TypeError, RecursionError, ReferentialError):
            pass  # stale or damaged cache entry: validate again below
    if ref is None:
        data = parse_untrusted_yaml(raw, path.name)
        ref = build(data, path, raw.decode("utf-8"))
        if cache is not None:
            _write_cache(cache, data)
    if digest:
        if len(_BUILT) >= BUILT_LIMIT:
            del _BUILT[next(iter(_BUILT))]  # the oldest: a process rarely knows more than a few files
        _BUILT[(str(path), digest)] = ref
    return ref


# Referentials built in this process, by file and content (hash of the text and the schema):
# reading the folder again (after an import; tests do it for each test) does not rebuild an
# unchanged file. Referentials are frozen, so sharing one object is safe.
_BUILT: dict[tuple[str, str], Referential] = {}
BUILT_LIMIT = 16


def _digest(raw: bytes) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(raw + SCHEMA_PATH.read_bytes()).hexdigest()[:32]
    except OSError:
        return None


def _cache_file(digest: str | None) -> Path | None:
    if digest is None:
        return None
    try:
        return paths.cache_dir() / f"referentiel-{digest}.json"
    except OSError:
        return None


def _write_cache(cache: Path, data: dict) -> None:
    from ptce_toolkit import atomic

    try:
        atomic.write_bytes(cache, json.dumps(data, ensure_ascii=False, default=str).encode("utf-8"))
    except (OSError, ValueError):
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
            + (" (et " + fmt.plural(len(errors) - 1, "%n autre erreur", "%n autres erreurs") + ")" if len(errors) > 1 else ""),
            path.name, line, _fmt_path(err_path),
        )


def _semantic_error(path: Path, text: str | None, json_path: tuple, message: str) -> ReferentialError:
    line = (_line_index(text) if text else {}).get(json_path)
    where = f", ligne {line}" if line else ""
    return ReferentialError(f"{path.name}{where}, champ « {_fmt_path(json_path)} » : {message}",
                            path.name, line, _fmt_path(json_path))


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
    for oi, od in enumerate(sw.get("option_examples", [])):
        if od["item"] not in quadrants[od["quadrant"]].examples:
            raise _semantic_error(path, text, ("swot", "option_examples", oi, "item"),
                                  "l’option d’exemple répond à un élément absent des exemples de son quadrant.")
    option_examples = tuple(OptionExample(o["quadrant"], o["item"], o["option"])
                            for o in sw.get("option_examples", []))
    groups = []
    for gi, gd in enumerate(d.get("criterion_groups", [])):
        for ci, cid in enumerate(gd["criteria"]):
            if cid not in criteria:
                raise _semantic_error(path, text, ("criterion_groups", gi, "criteria", ci),
                                      f"le groupe « {gd['id']} » cite un critère inconnu : « {cid} ».")
        if (gd["kind"] == "axis") != ("axis" in gd):
            raise _semantic_error(path, text, ("criterion_groups", gi),
                                  f"le groupe « {gd['id']} » : un axe (kind axis) et lui seul dit quel axe il "
                                  "alimente (axis: learning ou interaction).")
        groups.append(CriterionGroup(gd["id"], gd["kind"], gd["title"], gd.get("description", ""),
                                     tuple(gd["criteria"]), gd.get("axis", "")))
    if len({g.id for g in groups}) != len(groups):
        raise _semantic_error(path, text, ("criterion_groups",), "deux groupes portent le même identifiant.")
    axes = [g for g in groups if g.kind == "axis"]
    if len({g.axis for g in axes}) != len(axes):
        raise _semantic_error(path, text, ("criterion_groups",), "deux groupes alimentent le même axe.")
    on_axes = [c for g in axes for c in g.criteria]
    if len(set(on_axes)) != len(on_axes):
        raise _semantic_error(path, text, ("criterion_groups",),
                              "un critère alimente les deux axes de positionnement : chacun ne compte qu’une fois.")
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
        examples_source=sw.get("examples_source", ""), option_examples=option_examples,
        option_examples_source=sw.get("option_examples_source", ""),
        benchmarks=tuple(Benchmark(b["field"], b["label"], float(b["value"]), b.get("perimeter", ""), b["source"])
                         for b in prof.get("benchmarks", [])),
    )


# --------------------------------------------------------------------------- registry

DEFAULT_ID = "ptce-referentiel-action"
# Version used when nothing else is asked (demo, blank template, ``ptce`` commands without
# an option). 2.0.0 is offered explicitly (« Nouvelle évaluation », crosswalk carry-over)
# until the demo and the tests that name 1.0.0 criteria are ported; then this becomes "2.0.0".
DEFAULT_VERSION = "1.0.0"


INVALID, SHADOWED = "invalide", "masqué"


@dataclass(frozen=True)
class FileProblem:
    """A referential file that was set aside: ``kind`` is INVALID or SHADOWED; ``message``
    is the French sentence (it names the file, and the line and field when known)."""

    path: Path
    kind: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.message


def _shipped_files() -> list[Path]:
    return sorted(paths.SHIPPED_REFERENTIAL_DIR.glob("*.yaml"))


def _user_files() -> list[Path]:
    if not _user_dir_enabled():
        return []
    try:
        user_dir = paths.user_referential_dir()
        return sorted(user_dir.glob("*.yaml")) if user_dir.is_dir() else []
    except OSError:
        return []  # an unreadable data folder never stops the app: the shipped files suffice


def _candidate_files() -> list[Path]:
    return _shipped_files() + _user_files()


def _user_dir_enabled() -> bool:
    import os

    return bool(os.environ.get(paths.DATA_ENV)) or not os.environ.get("PTCE_TOOLKIT_NO_USER_REFERENTIALS")


def _version_line(path: Path) -> int | None:
    try:
        return _line_index(path.read_text(encoding="utf-8")).get(("version",))
    except Exception:  # noqa: BLE001 - a line number is a courtesy
        return None


def _same_content(a: Referential, b: Referential) -> bool:
    from dataclasses import replace

    return replace(a, source_path=None) == replace(b, source_path=None)


class Registry:
    """All referentials the app knows: shipped ones plus the user's folder.

    The shipped files come first and always win: a file of the user's folder with the
    same id and version but another content is set aside as SHADOWED. Files that fail
    validation (or break the YAML limits) are set aside as INVALID. Both are listed in
    ``problems`` (see ``ptce referentiels`` and the notice of the main window); one bad
    network file never stops the app, and asking for it explicitly raises its error.
    """

    def __init__(self, files: list[Path] | None = None):
        self._by_key: dict[tuple[str, str], Referential] = {}
        self.problems: list[FileProblem] = []
        for f in files if files is not None else _candidate_files():
            try:
                ref = load_file(f)
            except ReferentialError as exc:
                self.problems.append(FileProblem(f, INVALID, str(exc), exc.line, exc.field))
                continue
            except Exception as exc:  # noqa: BLE001 - whatever a file holds, the app starts
                self.problems.append(FileProblem(
                    f, INVALID, f"{f.name}\u00a0: fichier illisible ({type(exc).__name__})\u00a0; il est ignoré."))
                continue
            known = self._by_key.get(ref.key)
            if known is None:
                self._by_key[ref.key] = ref
            elif not _same_content(known, ref):
                origin = known.source_path.name if known.source_path else "?"
                self.problems.append(FileProblem(
                    f, SHADOWED,
                    f"{f.name}\u00a0: même identifiant et même version ({ref.id} {ref.version}) que "
                    f"«\u00a0{origin}\u00a0», mais un contenu différent\u00a0; il est ignoré et "
                    f"«\u00a0{origin}\u00a0» est utilisé. Changez sa version pour l’utiliser.", _version_line(f), "version"))

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
