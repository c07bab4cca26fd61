"""Database tables (SQLModel). Every exported entity carries a UUID; times are UTC ISO 8601.

Changing anything here needs an Alembic revision in ``ptce_toolkit/migrations``;
``tests/test_migrations.py`` fails when the models and the migrations disagree.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, MetaData, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ptce_toolkit.records import new_uuid, utc_now  # noqa: F401 - the tables' defaults, and part of this module's API
from ptce_toolkit.vocabulary import ACTION_STATUS_ORDER, ANSWER_STATUSES, QUADRANT_ORDER

# Stable constraint names so batch migrations on SQLite can find them again.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

QUADRANTS = QUADRANT_ORDER
ASSESSMENT_STATUSES = ("draft", "completed")
ACTION_STATUSES = ACTION_STATUS_ORDER


def _fk(target: str, nullable: bool = False, ondelete: str = "CASCADE"):
    return Field(sa_column=Column(String(36), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True))


class Pole(SQLModel, table=True):
    __tablename__ = "pole"
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    name: str
    aliases: str = Field(default="[]", description="JSON list of other names")
    territory: str = ""
    department: str = ""
    region: str = ""
    creation_year: int | None = None
    legal_form: str = ""
    origin: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)


class Assessment(SQLModel, table=True):
    __tablename__ = "assessment"
    __table_args__ = (CheckConstraint("status IN ('draft','completed')", name="status"),)
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    pole_id: str = _fk("pole.id")
    title: str
    started_on: str = ""
    completed_on: str = ""
    status: str = "draft"
    referential_id: str
    referential_version: str
    facilitator: str = ""
    profile: str = Field(default="{}", description="JSON: field id -> {value, qualifier, year, perimeter, source}")
    copied_from: str | None = None
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)


class Participant(SQLModel, table=True):
    """A person rating in a workshop; the agreed answer has no participant."""

    __tablename__ = "participant"
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    assessment_id: str = _fk("assessment.id")
    name: str
    college: str = ""
    position: int = 0
    created_at: str = Field(default_factory=utc_now)


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint("status IN ('unanswered','answered','not_applicable','unknown')", name="status"),
        CheckConstraint(
            "(status = 'answered' AND level BETWEEN 0 AND 4) OR (status <> 'answered' AND level IS NULL)",
            name="level",
        ),
        # One agreed answer per criterion, one per participant per criterion.
        Index("uq_answer_agreed", "assessment_id", "criterion_id", unique=True,
              sqlite_where=text("participant_id IS NULL")),
        Index("uq_answer_participant", "assessment_id", "criterion_id", "participant_id", unique=True,
              sqlite_where=text("participant_id IS NOT NULL")),
    )
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    assessment_id: str = _fk("assessment.id")
    criterion_id: str = Field(max_length=16)
    participant_id: str | None = _fk("participant.id", nullable=True)
    status: str = "unanswered"
    level: int | None = None
    comment: str = ""
    evidence: str = ""
    priority: bool = False
    updated_at: str = Field(default_factory=utc_now)
    # carried over from an assessment on another referential version (services/carry.py):
    # a split or merged criterion's proposal stays « à confirmer » until the user confirms it
    to_confirm: bool = False
    carried_from: str = Field(default="", description="source criteria, comma separated, e.g. 1.0.0:GOV.4")


class SwotItem(SQLModel, table=True):
    __tablename__ = "swot_item"
    __table_args__ = (
        CheckConstraint("quadrant IN ('S','W','O','T')", name="quadrant"),
        CheckConstraint("importance BETWEEN 1 AND 3", name="importance"),
    )
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    assessment_id: str = _fk("assessment.id")
    quadrant: str = Field(max_length=1)
    text: str
    importance: int = 2
    position: int = 0
    updated_at: str = Field(default_factory=utc_now)


class SwotItemCriterion(SQLModel, table=True):
    __tablename__ = "swot_item_criterion"
    swot_item_id: str = Field(sa_column=Column(String(36), ForeignKey("swot_item.id", ondelete="CASCADE"),
                                               primary_key=True))
    criterion_id: str = Field(primary_key=True, max_length=16)


class StrategicOption(SQLModel, table=True):
    __tablename__ = "strategic_option"
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    assessment_id: str = _fk("assessment.id")
    text: str
    position: int = 0
    updated_at: str = Field(default_factory=utc_now)


class OptionSwotLink(SQLModel, table=True):
    __tablename__ = "option_swot_link"
    option_id: str = Field(sa_column=Column(String(36), ForeignKey("strategic_option.id", ondelete="CASCADE"),
                                            primary_key=True))
    swot_item_id: str = Field(sa_column=Column(String(36), ForeignKey("swot_item.id", ondelete="CASCADE"),
                                               primary_key=True))


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("status IN ('todo','doing','done','dropped')", name="status"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority"),
    )
    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    assessment_id: str = _fk("assessment.id")
    title: str
    owner: str = ""
    due_on: str = ""
    status: str = "todo"
    priority: int = 2
    position: int = 0
    updated_at: str = Field(default_factory=utc_now)


class ActionCriterion(SQLModel, table=True):
    __tablename__ = "action_criterion"
    action_id: str = Field(sa_column=Column(String(36), ForeignKey("action.id", ondelete="CASCADE"), primary_key=True))
    criterion_id: str = Field(primary_key=True, max_length=16)


class ActionOption(SQLModel, table=True):
    __tablename__ = "action_option"
    action_id: str = Field(sa_column=Column(String(36), ForeignKey("action.id", ondelete="CASCADE"), primary_key=True))
    option_id: str = Field(sa_column=Column(String(36), ForeignKey("strategic_option.id", ondelete="CASCADE"),
                                            primary_key=True))


__all__ = [
    "Pole", "Assessment", "Participant", "Answer", "SwotItem", "SwotItemCriterion", "StrategicOption",
    "OptionSwotLink", "Action", "ActionCriterion", "ActionOption", "metadata", "new_uuid", "utc_now",
    "UniqueConstraint",
]
