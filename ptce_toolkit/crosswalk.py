"""Crosswalks: how the criteria of one referential version map onto another's.

A crosswalk file (YAML, ``referential/crosswalks/`` or the user's referential folder,
format in docs/FORMAT-CORRESPONDANCE.md) lists, for each criterion of the target
version, the source criteria it comes from and the relation:

- ``same`` / ``reworded``: one source, same idea; answers are carried over as they are
  and the two are comparable from one year to the next;
- ``split``: one source divided among several targets; ``merged``: several sources in
  one target. Answers are carried as proposals the user confirms; not comparable;
- ``new``: no source; ``removed``: a source with no target (no ``target`` key).

Files are read through referential.py (same size and YAML limits), validated by a JSON
Schema, then checked against both referentials: every target criterion exactly once,
every source criterion accounted for. Errors name the file, the line and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ptce_toolkit import fmt, paths
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.referential import Referential, ReferentialError

SCHEMA_PATH = paths.SHIPPED_REFERENTIAL_DIR / "crosswalk.schema.json"
SHIPPED_DIR = paths.SHIPPED_REFERENTIAL_DIR / "crosswalks"
RELATIONS = ("same", "reworded", "split", "merged", "new", "removed")
CARRIED = ("same", "reworded")  # carried as they are, and comparable across versions
PROPOSED = ("split", "merged")  # carried as proposals « à confirmer »
RELATION_LABELS = {"same": "identique", "reworded": "reformulé", "split": "découpé", "merged": "fusionné",
                   "new": "nouveau", "removed": "supprimé"}


class CrosswalkError(ReferentialError):
    """A crosswalk file cannot be used; the message is for the user (French)."""


@dataclass(frozen=True)
class Link:
    target: str | None
    relation: str
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Crosswalk:
    referential_id: str
    to_referential_id: str
    from_version: str
    to_version: str
    title: str
    links: tuple[Link, ...]
    source_path: Path | None = None

    @property
    def from_key(self) -> tuple[str, str]:
        return (self.referential_id, self.from_version)

    @property
    def to_key(self) -> tuple[str, str]:
        return (self.to_referential_id, self.to_version)

    def link(self, target: str) -> Link:
        for k in self.links:
            if k.target == target:
                return k
        raise KeyError(target)

    def comparable(self) -> dict[str, str]:
        """target -> source for the criteria comparable across the two versions."""
        return {k.target: k.sources[0] for k in self.links if k.relation in CARRIED}

    def not_comparable(self) -> list[str]:
        return [k.target for k in self.links if k.target and k.relation not in CARRIED]

    def removed(self) -> list[str]:
        return [s for k in self.links if k.relation == "removed" for s in k.sources]


# --------------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_file(path: str | Path, registry: ref_mod.Registry | None = None) -> Crosswalk:
    """Parse and validate a crosswalk against the two referentials it names."""
    path = Path(path)
    try:
        raw = ref_mod.read_limited(path, ref_mod.MAX_YAML_BYTES)
        data = ref_mod.parse_untrusted_yaml(raw, path.name)
    except ReferentialError as exc:
        raise CrosswalkError(str(exc)) from exc
    text = raw.decode("utf-8")
    ref_mod.check_schema(data, _schema(), path, text, error=CrosswalkError)
    reg = registry or ref_mod.registry()
    to_id = data.get("to_referential", data["referential"])
    try:
        source, target = reg.get(data["referential"], data["from"]), reg.get(to_id, data["to"])
    except ReferentialError as exc:
        raise CrosswalkError(f"{path.name}\u00a0: {exc}") from exc
    links = tuple(Link(e.get("target"), e["relation"], tuple(e["sources"]), e.get("note", ""))
                  for e in data["criteria"])
    _check(links, source, target, path, text)
    return Crosswalk(data["referential"], to_id, data["from"], data["to"], data.get("title", ""), links, path)


def _error(path: Path, text: str, json_path: tuple, message: str) -> CrosswalkError:
    return CrosswalkError(str(ref_mod._semantic_error(path, text, json_path, message)))


def _check(links: tuple[Link, ...], source: Referential, target: Referential, path: Path, text: str) -> None:
    seen_targets: dict[str, int] = {}
    split_sources: dict[str, int] = {}
    merged_sources: set[str] = set()
    used_sources: dict[str, str] = {}
    for i, k in enumerate(links):
        where = ("criteria", i)
        n = len(k.sources)
        if k.relation == "removed":
            if k.target is not None:
                raise _error(path, text, where + ("target",), "un critère « removed » n’a pas de cible.")
            if n == 0:
                raise _error(path, text, where + ("sources",), "indiquez le ou les critères supprimés.")
        else:
            if k.target is None:
                raise _error(path, text, where, f"la relation « {k.relation} » demande une cible (target).")
            if not target.has_criterion(k.target):
                raise _error(path, text, where + ("target",),
                             f"« {k.target} » n’existe pas dans la version {target.version}.")
            if k.target in seen_targets:
                raise _error(path, text, where + ("target",), f"« {k.target} » apparaît deux fois.")
            seen_targets[k.target] = i
            expected = {"same": n == 1, "reworded": n == 1, "split": n == 1, "merged": n >= 2, "new": n == 0}
            if not expected[k.relation]:
                rule = {"same": "une source", "reworded": "une source", "split": "une source",
                        "merged": "au moins deux sources", "new": "aucune source"}[k.relation]
                raise _error(path, text, where + ("sources",), f"la relation « {k.relation} » demande {rule}.")
        for j, s in enumerate(k.sources):
            if not source.has_criterion(s):
                raise _error(path, text, where + ("sources", j),
                             f"« {s} » n’existe pas dans la version {source.version}.")
            if k.relation == "split":
                split_sources[s] = split_sources.get(s, 0) + 1
            elif k.relation == "merged":
                merged_sources.add(s)
            elif k.relation in ("same", "reworded", "removed") and s in used_sources:
                raise _error(path, text, where + ("sources", j),
                             f"« {s} » est déjà « {used_sources[s]} » ailleurs dans le fichier.")
            used_sources.setdefault(s, k.relation)
    for s, count in split_sources.items():
        if count == 1 and s not in merged_sources:  # a part may go into a merged criterion
            i = next(i for i, k in enumerate(links) if s in k.sources and k.relation == "split")
            raise _error(path, text, ("criteria", i, "sources"),
                         f"« {s} » est découpé (split) en une seule cible : utilisez « reworded ».")
    missing = [c.id for c in target.criteria() if c.id not in seen_targets]
    if missing:
        raise _error(path, text, ("criteria",),
                     fmt.plural(len(missing), "critère", "critères")
                     + f" de la version {target.version} sans ligne : {', '.join(missing)}.")
    unaccounted = [c.id for c in source.criteria() if c.id not in used_sources]
    if unaccounted:
        raise _error(path, text, ("criteria",),
                     fmt.plural(len(unaccounted), "critère", "critères")
                     + f" de la version {source.version} dont le devenir n’est pas dit : "
                     f"{', '.join(unaccounted)}.")


# --------------------------------------------------------------------------- lookup


def _candidate_files() -> list[Path]:
    files = sorted(SHIPPED_DIR.glob("*.yaml"))
    user = paths.user_referential_dir() / "crosswalks"
    if ref_mod._user_dir_enabled() and user.is_dir():
        files += sorted(user.glob("*.yaml"))
    return files


# path -> ((size, mtime), Crosswalk or None): the dashboard asks on every refresh (≈18 ms a file)
# (a new registry, e.g. after a referential was added, means a new check)
_loaded: dict[Path, tuple[tuple[int, int, int], Crosswalk | None]] = {}


def _load_cached(f: Path) -> Crosswalk | None:
    try:
        st = f.stat()
    except OSError:
        return None
    sig = (st.st_size, st.st_mtime_ns, id(ref_mod.registry()))
    hit = _loaded.get(f)
    if hit is not None and hit[0] == sig:
        return hit[1]
    try:
        cw = load_file(f)
    except ReferentialError:
        cw = None
    _loaded[f] = (sig, cw)
    return cw


def find(from_ref: Referential, to_ref: Referential) -> Crosswalk | None:
    """The crosswalk from one referential version to another, if one is installed.
    Files that do not load are skipped here (``load_file`` says why)."""
    for f in _candidate_files():
        cw = _load_cached(f)
        if cw is not None and cw.from_key == from_ref.key and cw.to_key == to_ref.key:
            return cw
    return None


@dataclass
class Correspondence:
    """How an assessment on ``ref`` compares with one on ``previous``: the mapping to pass
    to scoring.compare (None = same referential), and the criteria left out, named."""

    mapping: dict[str, str] | None
    left_out: list[str]  # criteria of ``ref`` with no comparable counterpart
    crosswalk: Crosswalk | None = None


def correspondence(previous: Referential, ref: Referential) -> Correspondence:
    if previous.key == ref.key:
        return Correspondence(None, [])
    cw = find(previous, ref)
    if cw is not None:
        mapping = cw.comparable()
        return Correspondence(mapping, [c.id for c in ref.criteria() if c.id not in mapping], cw)
    if previous.id == ref.id and previous.major == ref.major:
        # within a major version an id keeps its meaning
        mapping = {c.id: c.id for c in ref.criteria() if previous.has_criterion(c.id)}
        return Correspondence(mapping, [c.id for c in ref.criteria() if c.id not in mapping])
    return Correspondence({}, [c.id for c in ref.criteria()])


def compare_assessments(ref: Referential, answers, previous_ref: Referential, previous_answers):
    """Like-for-like change since the previous assessment, through the crosswalk when the
    two referentials differ (scoring.Comparison; ``left_out`` names what is not compared)."""
    from ptce_toolkit import scoring

    return scoring.compare(ref, answers, previous_answers, correspondence(previous_ref, ref).mapping)
