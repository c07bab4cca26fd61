"""The « repères du réseau » file written beside a consolidation (see ptce_toolkit/benchmark.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from exports import xlsx_layout as L
from ptce_toolkit import benchmark
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.records import AnswerData


def figures_of(entry, identity: str | None = None) -> benchmark.PoleFigures:
    """A consolidation entry reduced to what the pack needs (``identity``: the pole's key in the
    pack, its uuid unless given)."""
    kind = (entry.profile.get("type_territoire") or {}).get("value", "")
    answers = {c: AnswerData(c, status, level) for c, (status, level) in entry.answers.items()}
    return benchmark.PoleFigures(identity or entry.pole_uuid, answers,
                                 {"region": entry.region, "type_territoire": str(kind)})


def one_per_pole(entries) -> list:
    """One entry per pole: the most recent assessment of each pole name.

    The consolidation keeps (and flags) what it cannot tell apart — two copies of a
    questionnaire filled for the same pole, one pole name under two identifiers — and keeps
    every year of a pole. Counted as they are, such a pole would weigh twice and make a
    group look larger than it is (the k ≥ 5 rule counts poles). Poles are told apart by
    name, not uuid: the copies of one blank campaign questionnaire share a pole uuid."""
    newest: dict[str, object] = {}
    for e in entries:
        key = L.norm(e.pole_name)
        if key not in newest or (e.started_on, e.saved_at, e.file) > (newest[key].started_on, newest[key].saved_at,
                                                                        newest[key].file):
            newest[key] = e
    return sorted(newest.values(), key=lambda e: L.norm(e.pole_name))


def pack_from_entries(entries, *, name: str, made_on: date | None = None,
                      registry: ref_mod.Registry | None = None) -> dict | None:
    """One pack for the referential version most poles used (versions are never mixed), each
    pole counted once (``one_per_pole``); None without entries."""
    if not entries:
        return None
    key, _ = Counter(e.ref_key for e in entries).most_common(1)[0]
    ref = (registry or ref_mod.registry()).get(*key)
    poles = [figures_of(e, L.norm(e.pole_name)) for e in one_per_pole(e for e in entries if e.ref_key == key)]
    return benchmark.build_pack(ref, poles, name=name, made_on=made_on)
