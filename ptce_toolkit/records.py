"""Plain records of an assessment's content (no database, no Qt): what exports read.

Kept apart from ``snapshot`` (which talks to the database) so that fast read-only
commands can use them without importing SQLAlchemy.
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ptce_toolkit.vocabulary import option_kind


def new_uuid() -> str:
    return str(_uuid.uuid4())


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class PoleData:
    uuid: str
    name: str
    aliases: list[str] = field(default_factory=list)
    territory: str = ""
    department: str = ""
    region: str = ""
    creation_year: int | None = None
    legal_form: str = ""
    origin: str = ""


@dataclass
class AssessmentData:
    uuid: str
    title: str
    referential_id: str
    referential_version: str
    started_on: str = ""
    completed_on: str = ""
    status: str = "draft"
    facilitator: str = ""
    profile: dict[str, dict] = field(default_factory=dict)
    copied_from: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass
class AnswerData:
    criterion: str
    status: str = "unanswered"
    level: int | None = None
    comment: str = ""
    evidence: str = ""
    priority: bool = False
    updated_at: str = ""
    to_confirm: bool = False  # a carried-over proposal the user has not confirmed yet
    carried_from: str = ""  # where a carried answer came from (1.0.0:GOV.4)

    @property
    def is_empty(self) -> bool:
        return self.status == "unanswered" and not (self.comment or self.evidence or self.priority)


def answer_data(row) -> AnswerData:
    """An answer row (SQLAlchemy Core row or ORM object: same column names) as a record."""
    return AnswerData(row.criterion_id, row.status, row.level, row.comment, row.evidence, bool(row.priority),
                      row.updated_at, bool(row.to_confirm), row.carried_from or "")


@dataclass
class SwotData:
    uuid: str
    quadrant: str
    text: str
    importance: int = 2
    position: int = 0
    criteria: list[str] = field(default_factory=list)


@dataclass
class OptionData:
    uuid: str
    text: str
    position: int = 0
    swot: list[str] = field(default_factory=list)


@dataclass
class ActionData:
    uuid: str
    title: str
    owner: str = ""
    due_on: str = ""
    status: str = "todo"
    priority: int = 2
    position: int = 0
    criteria: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


@dataclass
class ParticipantData:
    uuid: str
    name: str
    college: str = ""
    position: int = 0


@dataclass
class Snapshot:
    pole: PoleData
    assessment: AssessmentData
    answers: dict[str, AnswerData] = field(default_factory=dict)  # agreed answers by criterion
    swot: list[SwotData] = field(default_factory=list)
    options: list[OptionData] = field(default_factory=list)
    actions: list[ActionData] = field(default_factory=list)
    participants: list[ParticipantData] = field(default_factory=list)
    # participant uuid -> criterion -> answer (workshop mode)
    participant_answers: dict[str, dict[str, AnswerData]] = field(default_factory=dict)

    def swot_by_uuid(self) -> dict[str, SwotData]:
        return {s.uuid: s for s in self.swot}

    def option_kind(self, option: OptionData) -> str:
        return option_kind(self.option_quadrants(option))

    def option_quadrants(self, option: OptionData) -> list[str]:
        by_uuid = self.swot_by_uuid()
        return [by_uuid[u].quadrant for u in option.swot if u in by_uuid]
