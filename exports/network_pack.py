"""The « repères du réseau » file written beside a consolidation (see ptce_toolkit/benchmark.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from ptce_toolkit import benchmark
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.records import AnswerData


def figures_of(entry) -> benchmark.PoleFigures:
    """A consolidation entry reduced to what the pack needs."""
    kind = (entry.profile.get("type_territoire") or {}).get("value", "")
    answers = {c: AnswerData(c, status, level) for c, (status, level) in entry.answers.items()}
    return benchmark.PoleFigures(entry.pole_uuid, answers, {"region": entry.region, "type_territoire": str(kind)})


def pack_from_entries(entries, *, name: str, made_on: date | None = None,
                      registry: ref_mod.Registry | None = None) -> dict | None:
    """One pack for the referential version most poles used (versions are never mixed); None without entries."""
    if not entries:
        return None
    key, _ = Counter(e.ref_key for e in entries).most_common(1)[0]
    ref = (registry or ref_mod.registry()).get(*key)
    poles = [figures_of(e) for e in entries if e.ref_key == key]
    return benchmark.build_pack(ref, poles, name=name, made_on=made_on)
