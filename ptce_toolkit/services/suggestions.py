"""SWOT suggestions drawn from the answers (no Qt; the UI only shows and accepts them).

A criterion rated 3 or 4 is a candidate force, one rated 0 or 1 a candidate
faiblesse. A criterion's statement is written as what a mature pole can say of
itself, so it reads as a force as it is; for a faiblesse it is prefixed with « À
construire : ». The level description reached is kept in ``detail`` for the user, who
edits the text before or after accepting it. Criteria already linked to an item of
the same quadrant are not suggested again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

STRENGTH_LEVELS = (3, 4)
WEAKNESS_LEVELS = (0, 1)


@dataclass
class Suggestion:
    quadrant: str          # "S" or "W"
    text: str
    criteria: list[str] = field(default_factory=list)
    importance: int = 2    # 1..3, as SWOT items
    level: int = 0
    detail: str = ""       # the referential's description of the level reached


WEAKNESS_PREFIX = "À construire\u00a0: "


def suggested_text(statement: str, quadrant: str) -> str:
    statement = statement.strip()
    if quadrant == "S" or not statement:
        return statement
    return WEAKNESS_PREFIX + statement[0].lower() + statement[1:]


def swot_suggestions(ref, answers: Mapping[str, object], existing: Iterable[object] = ()) -> list[Suggestion]:
    """``answers``: criterion id -> AnswerData; ``existing``: SwotData already in the grid.

    Order: most important first, then the referential's order. Importance is high (3)
    for the extreme levels (4 for a force, 0 for a faiblesse) and for priority
    criteria, medium (2) otherwise.
    """
    already = {(item.quadrant, c) for item in existing for c in item.criteria}
    found: list[tuple[int, int, Suggestion]] = []
    for order, crit in enumerate(ref.criteria()):
        a = answers.get(crit.id)
        if a is None or a.status != "answered":
            continue
        if a.level in STRENGTH_LEVELS:
            quadrant, extreme = "S", a.level == 4
        elif a.level in WEAKNESS_LEVELS:
            quadrant, extreme = "W", a.level == 0
        else:
            continue
        if (quadrant, crit.id) in already:
            continue
        importance = 3 if extreme or a.priority else 2
        found.append((-importance, order, Suggestion(quadrant, suggested_text(crit.statement, quadrant), [crit.id],
                                                     importance, a.level, crit.level_hints.get(a.level, ""))))
    return [s for _, _, s in sorted(found, key=lambda t: (t[0], t[1]))]
