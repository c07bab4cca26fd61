"""Scores of an assessment (method documented in French in docs/METHODE.md).

- domain score = weighted mean of the numeric levels (0–4) of its criteria; *sans objet*,
  *ne sait pas* and unanswered criteria are left out and counted;
- a domain with fewer than half of its applicable criteria answered with a level is
  *insufficiently documented*: its score is still computed and shown as such, but it is
  kept out of the overall index;
- overall index = mean of the scores of the sufficiently documented domains;
- completion = numeric answers / applicable criteria (all criteria minus *sans objet*);
- ONE rounding rule (``rounded``: one decimal, half away from zero, as a spreadsheet
  shows it) for every score, and a difference is computed on unrounded scores and
  rounded once (``difference``); screen, PDF and workbook all go through these;
- year-on-year change (``compare``) is like for like: only criteria answered with a
  level in both assessments, and it says how many criteria it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from ptce_toolkit.referential import Referential


DIGITS = 1  # scores and differences are shown with one decimal


def _median(values):
    """statistics.median (Python 3.11's, to the letter), without importing statistics, fractions
    and random at each command start."""
    data = sorted(values)
    n = len(data)
    if n % 2 == 1:
        return data[n // 2]
    return (data[n // 2 - 1] + data[n // 2]) / 2


def rounded(value: float | None, digits: int = DIGITS) -> float | None:
    """The one rounding rule: ``digits`` decimals, half away from zero (2,25 -> 2,3),
    like a spreadsheet's number format. Decimal(repr) avoids binary artefacts (0,15)."""
    if value is None:
        return None
    q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(q) + 0.0  # -0.0 -> 0.0


def difference(now: float | None, before: float | None) -> float | None:
    """now − before on the UNROUNDED scores, rounded once (2,667 − 2,5 = 0,167 -> 0,2)."""
    if now is None or before is None:
        return None
    return rounded(now - before)


@dataclass
class DomainScore:
    domain_id: str
    title: str
    score: float | None
    criteria: int
    answered: int
    not_applicable: int
    unknown: int
    unanswered: int

    @property
    def applicable(self) -> int:
        return self.criteria - self.not_applicable

    @property
    def insufficient(self) -> bool:
        """Fewer than half of the applicable criteria answered with a level (« insuffisamment
        renseigné »). A domain where everything is *sans objet* is not insufficient: it has
        no score at all."""
        return self.applicable > 0 and 2 * self.answered < self.applicable

    @property
    def counted(self) -> bool:
        """Enters the overall index."""
        return self.score is not None and not self.insufficient


@dataclass
class Scores:
    domains: dict[str, DomainScore]
    overall: float | None
    completion: float  # 0..1
    counts: dict[str, int]
    distribution: dict[int, int]
    priority_criteria: list[str] = field(default_factory=list)
    median: float | None = None  # median of the numeric levels of all criteria
    mean_level: float | None = None  # plain mean of the numeric levels (beside the median)
    unexplained_na: list[str] = field(default_factory=list)  # *sans objet* without a comment

    @property
    def insufficient(self) -> list[str]:
        return [d.domain_id for d in self.domains.values() if d.score is not None and d.insufficient]

    def strongest(self, n: int = 1) -> list[str]:
        scored = [d for d in self.domains.values() if d.counted]
        return [d.domain_id for d in sorted(scored, key=lambda d: (-d.score, d.domain_id))[:n]]

    def weakest(self, n: int = 1) -> list[str]:
        scored = [d for d in self.domains.values() if d.counted]
        return [d.domain_id for d in sorted(scored, key=lambda d: (d.score, d.domain_id))[:n]]

    def as_dict(self, digits: int = 2) -> dict:
        def r(x):
            return None if x is None else round(x, digits)

        return {
            "domains": {k: r(v.score) for k, v in self.domains.items()},
            "overall": r(self.overall),
            "completion": r(self.completion),
            "counts": dict(self.counts),
            "distribution": {str(k): v for k, v in self.distribution.items()},
            "strongest": self.strongest(),
            "weakest": self.weakest(),
            "priority_criteria": list(self.priority_criteria),
            "median": self.median,
            "insufficient": self.insufficient,
            "unexplained_not_applicable": list(self.unexplained_na),
        }


def score(ref: Referential, answers: Mapping[str, object]) -> Scores:
    """``answers`` maps criterion id to anything with ``status``, ``level`` and
    ``priority`` attributes (AnswerData); missing criteria count as unanswered."""
    domains: dict[str, DomainScore] = {}
    totals = {"answered": 0, "not_applicable": 0, "unknown": 0, "unanswered": 0}
    distribution = {lv: 0 for lv in range(5)}
    priority: list[str] = []
    levels: list[int] = []
    unexplained: list[str] = []
    for d in ref.domains:
        weighted, weights = 0.0, 0.0
        counts = {"answered": 0, "not_applicable": 0, "unknown": 0, "unanswered": 0}
        for c in d.criteria:
            a = answers.get(c.id)
            status = getattr(a, "status", "unanswered") if a is not None else "unanswered"
            counts[status] += 1
            if status == "answered":
                weighted += a.level * c.weight
                weights += c.weight
                distribution[a.level] += 1
                levels.append(a.level)
            if status == "not_applicable" and not (getattr(a, "comment", "") or "").strip():
                unexplained.append(c.id)
            if a is not None and getattr(a, "priority", False):
                priority.append(c.id)
        for k, v in counts.items():
            totals[k] += v
        domains[d.id] = DomainScore(d.id, d.title, weighted / weights if weights else None, len(d.criteria),
                                    counts["answered"], counts["not_applicable"], counts["unknown"],
                                    counts["unanswered"])
    scored = [d.score for d in domains.values() if d.counted]
    overall = sum(scored) / len(scored) if scored else None
    applicable = sum(totals.values()) - totals["not_applicable"]
    completion = totals["answered"] / applicable if applicable else 0.0
    return Scores(domains, overall, completion, totals, distribution, priority,
                  median=float(_median(levels)) if levels else None,
                  mean_level=sum(levels) / len(levels) if levels else None, unexplained_na=unexplained)


# --------------------------------------------------------------------------- comparison


@dataclass
class DomainChange:
    domain_id: str
    before: float | None  # like for like: mean over the criteria answered in both assessments
    now: float | None
    criteria: list[str]  # the criteria (ids of the current referential) it rests on

    @property
    def difference(self) -> float | None:
        return difference(self.now, self.before)


@dataclass
class Comparison:
    """Like-for-like change between two assessments, possibly on two referential versions."""

    domains: dict[str, DomainChange]
    before: float | None  # overall, mean of the domains compared
    now: float | None
    left_out: list[str]  # current criteria with no comparable criterion in the previous version
    not_in_both: list[str]  # comparable criteria not answered with a level in both assessments

    @property
    def difference(self) -> float | None:
        return difference(self.now, self.before)

    @property
    def criteria(self) -> int:
        return sum(len(d.criteria) for d in self.domains.values())


def compare(ref: Referential, answers_now: Mapping[str, object], answers_before: Mapping[str, object],
            mapping: Mapping[str, str] | None = None) -> Comparison:
    """Change since ``answers_before``, on the criteria answered with a level in both.

    ``mapping`` gives, for each criterion of ``ref``, the comparable criterion of the
    previous assessment's referential (from a crosswalk: same or reworded only); None
    means the same referential (identity). Criteria without a counterpart are listed in
    ``left_out``. Domain values are plain means over the common criteria (weights
    applied), the overall values the mean of the domains that have common criteria."""
    def level(answers, cid):
        a = answers.get(cid)
        return a.level if a is not None and getattr(a, "status", "") == "answered" else None

    domains: dict[str, DomainChange] = {}
    left_out: list[str] = []
    not_both: list[str] = []
    for d in ref.domains:
        common: list[str] = []
        wb = wn = w = 0.0
        for c in d.criteria:
            source = c.id if mapping is None else mapping.get(c.id)
            if source is None:
                left_out.append(c.id)
                continue
            lb, ln = level(answers_before, source), level(answers_now, c.id)
            if lb is None or ln is None:
                not_both.append(c.id)
                continue
            common.append(c.id)
            wb += lb * c.weight
            wn += ln * c.weight
            w += c.weight
        domains[d.id] = DomainChange(d.id, wb / w if w else None, wn / w if w else None, common)
    compared = [dc for dc in domains.values() if dc.criteria]
    before = sum(dc.before for dc in compared) / len(compared) if compared else None
    now = sum(dc.now for dc in compared) / len(compared) if compared else None
    return Comparison(domains, before, now, left_out, not_both)


def learning_interaction(ref: Referential, answers: Mapping[str, object]) -> tuple[float | None, float | None]:
    """Positioning on the two axes of DOMAIN.md §7 (learning, interaction): the weighted
    mean of the criteria that the referential declares for each axis (criterion groups of
    kind ``axis``), NA/DK excluded; None for an axis without a declaration or an answer."""
    scores = {g.group_id: g.score for g in group_scores(ref, answers, kind="axis")}
    out = []
    for axis in ("learning", "interaction"):
        g = ref.axis_group(axis)
        out.append(scores.get(g.id) if g else None)
    return out[0], out[1]


def level_stats(levels: list[int]) -> dict:
    """Mean, median, range and population standard deviation of a list of levels."""
    if not levels:
        return {"n": 0, "mean": None, "median": None, "range": None, "stdev": None}
    mu = sum(levels) / len(levels)
    var = sum((x - mu) ** 2 for x in levels) / len(levels)
    return {"n": len(levels), "mean": mu, "median": _median(levels), "range": max(levels) - min(levels),
            "stdev": var ** 0.5}


# --------------------------------------------------------------------------- declared groups


@dataclass
class GroupScore:
    group_id: str
    title: str
    score: float | None  # mean of the numeric levels of its criteria (weights applied)
    answered: int
    criteria: int

    @property
    def insufficient(self) -> bool:
        return self.criteria > 0 and 2 * self.answered < self.criteria


def group_scores(ref: Referential, answers: Mapping[str, object], kind: str = "objective") -> list[GroupScore]:
    """Summary of each declared group of criteria (the unifying objectives of 2.0.0),
    with the same exclusions as the domain scores."""
    out = []
    for g in ref.groups:
        if g.kind != kind:
            continue
        weighted = weights = 0.0
        answered = 0
        for cid in g.criteria:
            a = answers.get(cid)
            if a is not None and getattr(a, "status", "") == "answered":
                w = ref.criterion(cid).weight
                weighted += a.level * w
                weights += w
                answered += 1
        out.append(GroupScore(g.id, g.title, weighted / weights if weights else None, answered, len(g.criteria)))
    return out
