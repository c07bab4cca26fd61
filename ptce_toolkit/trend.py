"""A pole's domain scores over its assessments (« évolution sur plusieurs années »), each
earlier assessment read in the terms of the current referential: through the installed
crosswalk when versions differ (ptce_toolkit.crosswalk.correspondence), so that only
comparable criteria count; a criterion with no counterpart is left out of that year."""

from __future__ import annotations

from dataclasses import dataclass, field

from ptce_toolkit import crosswalk
from ptce_toolkit.scoring import score

MIN_POINTS = 3  # below this, the comparison with the previous assessment says it all


@dataclass
class Point:
    title: str
    started_on: str
    domains: dict[str, float | None]
    overall: float | None
    left_out: list[str] = field(default_factory=list)  # current criteria not comparable for this one


def trend(ref, history) -> list[Point]:
    """``history``: (title, started_on, referential, answers) of the pole's assessments, oldest
    first, the current one last (on ``ref``)."""
    points = []
    for title, started_on, ref_i, answers in history:
        left_out: list[str] = []
        if ref_i is None:
            continue  # its referential is not installed here: no figure rather than a wrong one
        if ref_i.key != ref.key:
            corr = crosswalk.correspondence(ref_i, ref)
            answers = {cid: answers[src] for cid, src in (corr.mapping or {}).items() if src in answers}
            left_out = corr.left_out
        s = score(ref, answers)
        points.append(Point(title, started_on or "", {d: ds.score for d, ds in s.domains.items()}, s.overall,
                            left_out))
    return points


def history_of(con, assessment_uuid: str, registry=None) -> list[tuple]:
    """The pole's assessments up to this one (start date, then creation), for ``trend``."""
    from ptce_toolkit import quickread
    from ptce_toolkit import referential as ref_mod

    reg = registry or ref_mod.registry()
    rows = list(con.execute(
        "SELECT b.id, b.title, b.started_on, b.referential_id, b.referential_version FROM assessment a "
        "JOIN assessment b ON b.pole_id = a.pole_id WHERE a.id = ? ORDER BY b.started_on, b.created_at",
        (assessment_uuid,)))
    ids = [r[0] for r in rows]
    out = []
    for uuid, title, started_on, rid, version in rows[: ids.index(assessment_uuid) + 1]:
        try:
            ref_i = reg.get(rid, version)
        except ref_mod.ReferentialError:
            ref_i = None
        out.append((title, started_on, ref_i, quickread.agreed_answers(con, uuid)))
    return out
