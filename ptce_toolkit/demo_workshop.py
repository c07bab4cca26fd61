"""Five fictional participants for the demo pole: screenshots and manual trials of the workshop mode.

Their ratings scatter deterministically around the demo's agreed levels, so that some
criteria converge and a few diverge by two levels or more.
"""

from __future__ import annotations

from ptce_toolkit import demo
from ptce_toolkit.records import AnswerData
from ptce_toolkit.services import workshop as ws

PARTICIPANTS = (
    ("Nadia Benali", "ess"),
    ("Olivier Ferrand", "entreprise"),
    ("Sophie Garnier", "collectivite"),
    ("Karim Haddad", "recherche"),
    ("Lucie Moreau", "salaries"),
)
# offset from the agreed level, by (criterion index + 3 × participant index) modulo the length
_OFFSETS = (0, 0, 1, 0, -1, 0, 0, 0, 2, 0, 0, -1, 0, 0, 0, 1, -2, 0, 0)


def add_demo_participants(db, assessment_uuid: str) -> list[str]:
    """Add the five participants and their ratings; returns their uuids."""
    uuids = []
    for j, (name, college) in enumerate(PARTICIPANTS):
        p = ws.add_participant(db, assessment_uuid, name, college).created
        answers = {}
        for i, (crit, base) in enumerate(demo.LEVELS_NOW.items()):
            if (i + j) % 11 == 10:
                continue  # a few criteria left unrated
            if base == "NA":
                answers[crit] = AnswerData(crit, "not_applicable")
            elif base == "DK":
                answers[crit] = AnswerData(crit, "unknown" if j % 2 else "answered", None if j % 2 else 1)
            else:
                level = max(0, min(4, base + _OFFSETS[(i + 3 * j) % len(_OFFSETS)]))
                answers[crit] = AnswerData(crit, "answered", level)
        ws.set_ratings(db, assessment_uuid, {p: answers})
        uuids.append(p)
    return uuids
