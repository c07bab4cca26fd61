"""Positioning of a pole on the learning × interaction frame (DOMAIN.md §7, docs/METHODE.md).

Each axis is the mean of the criteria the referential declares for it (criterion groups
of kind ``axis``); the previous assessment, scored with its own referential, gives the
origin of the arrow. The chart is split at the middle of the 0–4 scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ptce_toolkit.referential import Referential
from ptce_toolkit.scoring import learning_interaction

MIDPOINT = 2.0  # middle of the 0–4 scale: at or above it, the axis counts as high


def quadrant_of(interaction: float, learning: float) -> str:
    """Code of ``vocabulary.POSITION_QUADRANT_LABELS`` for a point."""
    high_i, high_l = interaction >= MIDPOINT, learning >= MIDPOINT
    if high_l:
        return "milieu" if high_i else "technopole"
    return "ecosystem" if high_i else "district"


@dataclass(frozen=True)
class Positioning:
    current: tuple[float, float] | None   # (interaction, learning); None: an axis lacks answers
    previous: tuple[float, float] | None  # the previous assessment, origin of the arrow

    @property
    def quadrant(self) -> str | None:
        return None if self.current is None else quadrant_of(*self.current)


def _point(ref: Referential, answers: Mapping[str, object]) -> tuple[float, float] | None:
    learning, interaction = learning_interaction(ref, answers)
    return None if learning is None or interaction is None else (interaction, learning)


def position(ref: Referential, answers: Mapping[str, object], previous_ref: Referential | None = None,
             previous_answers: Mapping[str, object] | None = None) -> Positioning:
    before = None
    if previous_ref is not None and previous_answers is not None:
        before = _point(previous_ref, previous_answers)
    return Positioning(_point(ref, answers), before)


def has_axes(ref: Referential) -> bool:
    return ref.axis_group("learning") is not None and ref.axis_group("interaction") is not None
