"""What the network synthesis report says, computed from the consolidation's entries (no layout here).

Only the poles of the referential version most poles used are compared (versions are
never mixed); the others are counted and named as left out.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from ptce_toolkit import benchmark, scoring
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.records import AnswerData

NOT_GIVEN = "non renseigné"


@dataclass
class PoleRow:
    label: str            # the pole's name, or « Pôle 7 » in the anonymised report
    region: str
    kind: str
    completion: float     # 0..1
    domains: dict[str, float | None]
    overall: float | None


@dataclass
class NetworkSummary:
    ref: ref_mod.Referential
    poles: list[PoleRow]
    other_versions: list[str]                  # « Pôle X (référentiel 2.0.0) » left out of comparisons
    by_region: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    distributions: dict[str, benchmark.Stat | None]   # domain id or OVERALL -> stat (None: fewer than 2 poles)
    domain_values: dict[str, list[float]]
    priority_criteria: list[tuple[str, int]]   # criteria most linked to high-priority actions
    swot_themes: dict[str, list[tuple[str, int]]]  # quadrant -> (domain id, items linked to it)
    rejected: list[tuple[str, str]]            # (file, reason), real refusals only
    information: int = 0
    anonymous: bool = False
    levels: Counter = field(default_factory=Counter)  # level -> how many answers across poles


def _kind_label(ref: ref_mod.Referential, value) -> str:
    field_ = next((f for f in ref.profile_fields if f.id == "type_territoire"), None)
    if field_ is None or value in (None, ""):
        return NOT_GIVEN
    return next((c.label for c in getattr(field_, "choices", ()) if c.id == value), str(value))


def summarise(entries, rejections=(), *, anonymous: bool = False,
              registry: ref_mod.Registry | None = None) -> NetworkSummary | None:
    if not entries:
        return None
    key, _ = Counter(e.ref_key for e in entries).most_common(1)[0]
    ref = (registry or ref_mod.registry()).get(*key)
    kept = [e for e in entries if e.ref_key == key]
    scores = {id(e): scoring.score(ref, {c: AnswerData(c, status, level) for c, (status, level) in e.answers.items()})
              for e in kept}
    if anonymous:
        # « Pôle 1 » is the highest overall index, never the first name in alphabetical order: the
        # numbering must not let a reader who knows the network's poles guess who is who.
        kept.sort(key=lambda e: (-(scores[id(e)].overall if scores[id(e)].overall is not None else -1),
                                 hashlib.sha256(e.pole_uuid.encode()).hexdigest()))
    else:
        kept.sort(key=lambda e: (e.pole_name.lower(), e.started_on))
    others = [f"{e.pole_name} (référentiel {e.ref_key[1]})" for e in entries if e.ref_key != key]
    rows, values, levels = [], {d.id: [] for d in ref.domains} | {benchmark.OVERALL: []}, Counter()
    domain_of = {c.id: d.id for d in ref.domains for c in d.criteria}
    priorities, themes = Counter(), {q: Counter() for q in "SWOT"}
    for n, e in enumerate(kept, start=1):
        s = scores[id(e)]
        levels.update(level for status, level in e.answers.values() if status == "answered")
        kind = (e.profile.get("type_territoire") or {}).get("value", "")
        rows.append(PoleRow(f"Pôle {n}" if anonymous else e.pole_name, e.region.strip() or NOT_GIVEN,
                            _kind_label(ref, kind), s.completion, {d: ds.score for d, ds in s.domains.items()},
                            s.overall))
        for d, ds in s.domains.items():
            if ds.score is not None:
                values[d].append(ds.score)
        if s.overall is not None:
            values[benchmark.OVERALL].append(s.overall)
        for action in getattr(e, "actions", ()):
            if action[5] == 1:
                priorities.update(c for c in action[6] if c in domain_of)
        for quadrant, _i, _text, _importance, criteria in e.swot:
            themes[quadrant].update({domain_of[c] for c in criteria if c in domain_of})
    return NetworkSummary(
        ref, rows, others,
        sorted(Counter(r.region for r in rows).items(), key=lambda kv: (-kv[1], kv[0])),
        sorted(Counter(r.kind for r in rows).items(), key=lambda kv: (-kv[1], kv[0])),
        {k: benchmark.stat_of(v) if len(v) >= 2 else None for k, v in values.items()}, values,
        priorities.most_common(10), {q: c.most_common(5) for q, c in themes.items()},
        [(r.file, r.reason) for r in rejections if not getattr(r, "info", False)],
        sum(1 for r in rejections if getattr(r, "info", False)), anonymous, levels)
