"""Scores of an assessment (method documented in French in docs/METHODE.md).

- domain score = weighted mean of the numeric levels (0–4) of its criteria; *sans objet*,
  *ne sait pas* and unanswered criteria are left out and counted;
- overall index = mean of the domain scores that have at least one numeric answer;
- completion = numeric answers / applicable criteria (all criteria minus *sans objet*).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Mapping

from ptce_toolkit.referential import Referential


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


@dataclass
class Scores:
    domains: dict[str, DomainScore]
    overall: float | None
    completion: float  # 0..1
    counts: dict[str, int]
    distribution: dict[int, int]
    priority_criteria: list[str] = field(default_factory=list)

    def strongest(self, n: int = 1) -> list[str]:
        scored = [d for d in self.domains.values() if d.score is not None]
        return [d.domain_id for d in sorted(scored, key=lambda d: (-d.score, d.domain_id))[:n]]

    def weakest(self, n: int = 1) -> list[str]:
        scored = [d for d in self.domains.values() if d.score is not None]
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
        }


def score(ref: Referential, answers: Mapping[str, object]) -> Scores:
    """``answers`` maps criterion id to anything with ``status``, ``level`` and
    ``priority`` attributes (AnswerData); missing criteria count as unanswered."""
    domains: dict[str, DomainScore] = {}
    totals = {"answered": 0, "not_applicable": 0, "unknown": 0, "unanswered": 0}
    distribution = {lv: 0 for lv in range(5)}
    priority: list[str] = []
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
            if a is not None and getattr(a, "priority", False):
                priority.append(c.id)
        for k, v in counts.items():
            totals[k] += v
        domains[d.id] = DomainScore(d.id, d.title, weighted / weights if weights else None, len(d.criteria),
                                    counts["answered"], counts["not_applicable"], counts["unknown"],
                                    counts["unanswered"])
    scored = [d.score for d in domains.values() if d.score is not None]
    overall = sum(scored) / len(scored) if scored else None
    applicable = sum(totals.values()) - totals["not_applicable"]
    completion = totals["answered"] / applicable if applicable else 0.0
    return Scores(domains, overall, completion, totals, distribution, priority)


def learning_interaction(ref: Referential, answers: Mapping[str, object]) -> tuple[float | None, float | None]:
    """Positioning on the two axes of DOMAIN.md §7 (learning, interaction), NA/DK excluded."""
    def mean(ids):
        levels = [answers[i].level for i in ids if i in answers and getattr(answers[i], "status", "") == "answered"]
        return sum(levels) / len(levels) if levels else None

    learning = [c for c in ("INN.3", "INN.5", "EVA.1", "EVA.3", "ACT.4") if ref.has_criterion(c)]
    interaction = [c for c in ("ACT.2", "ACT.3", "COO.2", "COO.5", "TER.4") if ref.has_criterion(c)]
    return mean(learning), mean(interaction)


def level_stats(levels: list[int]) -> dict:
    """Mean, median, range and population standard deviation of a list of levels."""
    if not levels:
        return {"n": 0, "mean": None, "median": None, "range": None, "stdev": None}
    mu = sum(levels) / len(levels)
    var = sum((x - mu) ** 2 for x in levels) / len(levels)
    return {"n": len(levels), "mean": mu, "median": median(levels), "range": max(levels) - min(levels),
            "stdev": var ** 0.5}
