"""Change records: what one service edit changed, and the operation that undoes it.

Every edit service (``services.set_answer``, ``services.add_swot_item``…) returns a
``Change``. Its ``inverse`` is an ``Operation``: a service name and its arguments, replayed
with ``services.apply(db, op)``, which returns the next ``Change`` (whose inverse redoes
the edit). Front ends refresh exactly the ids a change names; they never re-implement
what the services did (renumbering a quadrant, unlinking options…).

No database, no Qt: plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    """One call of an edit service: ``services.<name>(db, *args, **kwargs)``."""

    name: str
    args: tuple = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, name: str, /, *args, **kwargs) -> Operation:
        return cls(name, tuple(args), tuple(sorted(kwargs.items())))

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.kwargs)


@dataclass(frozen=True)
class Change:
    """What one edit changed, by kind and id, and how to undo it.

    ``answers``: criterion ids of agreed answers; ``ratings``: (participant uuid, criterion id);
    ``profile``: profile field ids; ``swot``/``options``/``actions``: uuids of items that were
    added, changed, removed or renumbered; ``poles``/``assessments``/``participants``: uuids
    of those that were created, changed, deleted or restored (the navigator and the workshop
    session re-read them). ``created``: the uuid an add gave its item. ``assessment`` is ""
    for an edit of a pole alone. ``inverse`` is None only in a record a front end builds to
    re-read something.
    """

    assessment: str
    inverse: Operation | None
    answers: frozenset[str] = field(default_factory=frozenset)
    ratings: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    profile: frozenset[str] = field(default_factory=frozenset)
    swot: frozenset[str] = field(default_factory=frozenset)
    options: frozenset[str] = field(default_factory=frozenset)
    actions: frozenset[str] = field(default_factory=frozenset)
    poles: frozenset[str] = field(default_factory=frozenset)
    assessments: frozenset[str] = field(default_factory=frozenset)
    participants: frozenset[str] = field(default_factory=frozenset)
    created: str | None = None
