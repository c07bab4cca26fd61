"""Workshop mode: several participants rate the same criteria, the group agrees on one answer.

Individual ratings are answers with a participant; the agreed answer is the one without
(it alone is scored, see docs/METHODE.md « Mode atelier »). Divergence measures use only
the participants' numeric answers: range, population standard deviation, mean, median.
A session with one participant, or none, is a plain solo diagnostic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import select

from ptce_toolkit import fmt, quickread, text_limits
from ptce_toolkit import models as m
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.models import new_uuid
from ptce_toolkit.records import AnswerData, ParticipantData
from ptce_toolkit.scoring import level_stats
from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.services import answers as answers_mod
from ptce_toolkit.services import sql
from ptce_toolkit.services.errors import NotFound, ServiceError, refuse_too_long

# The colleges a participant may speak for (id stored in participant.college -> label).
COLLEGES: dict[str, str] = {
    "ess": "Structure de l’ESS",
    "entreprise": "Entreprise",
    "collectivite": "Collectivité",
    "recherche": "Recherche, formation",
    "societe_civile": "Société civile",
    "salaries": "Salariés",
}
NO_COLLEGE = "Collège non précisé"
SPREAD_THRESHOLD = 2  # a range of 2 levels or more deserves the group's discussion


def college_label(college: str) -> str:
    """French label of a college id; text that is not an id is shown as it is."""
    return COLLEGES.get(college, college) or NO_COLLEGE


def fold(text: str) -> str:
    """Text folded for comparing names: no accents, no case, one space between words."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).replace("’", "'")
    return re.sub(r"[\s/,]+", " ", s).strip().casefold()


def college_id(text: str) -> str:
    """The college id for an id or a label as a person writes it (accents and case ignored);
    text that names no college is kept as it is."""
    text = (text or "").strip()
    wanted = fold(text)
    for cid, label in COLLEGES.items():
        if wanted in (fold(cid), fold(label)):
            return cid
    return text


# --------------------------------------------------------------------------- participants


@dataclass(frozen=True)
class RemovedParticipant:
    """What ``restore_participant`` needs to undo a removal."""

    assessment_uuid: str
    participant: ParticipantData
    answers: dict[str, AnswerData]


def _data(row: m.Participant) -> ParticipantData:
    return ParticipantData(row.id, row.name, row.college, row.position)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("Le nom d’un participant ne peut pas être vide.")
    refuse_too_long(name, "Nom du participant", "participants", "[]", "name")
    return name


def _check_college(college: str) -> str:
    college = (college or "").strip()
    if college and college not in COLLEGES:
        raise ServiceError(f"Collège inconnu : « {college} » (attendu : {', '.join(COLLEGES)}).")
    return college


def _need(s, participant_uuid: str) -> m.Participant:
    row = s.get(m.Participant, participant_uuid)
    if row is None:
        raise NotFound(f"Aucun participant ne porte l’identifiant « {participant_uuid} ».")
    return row


def _check_unique(s, assessment_uuid: str, name: str, exclude: str | None = None) -> None:
    for other in s.exec(select(m.Participant).where(m.Participant.assessment_id == assessment_uuid)):
        if other.id != exclude and other.name.casefold() == name.casefold():
            raise ServiceError(f"Un participant s’appelle déjà « {other.name} » dans cette séance.")


def _read(db, conn, read):
    """``read(conn)`` in the caller's transaction (``conn``) or in a short one of its own."""
    if conn is not None:
        return read(conn)
    with db.connection() as own:
        return read(own)


_PARTICIPANT = m.Participant.__table__


def list_participants(db, assessment_uuid: str, *, conn=None) -> list[ParticipantData]:
    q = (sa_select(_PARTICIPANT).where(_PARTICIPANT.c.assessment_id == assessment_uuid)
         .order_by(_PARTICIPANT.c.position, _PARTICIPANT.c.name))
    return _read(db, conn, lambda c: [_data(r) for r in c.execute(q)])


def add_participant(db, assessment_uuid: str, name: str, college: str = "", *, uuid: str | None = None,
                    position: int | None = None) -> Change:
    """A new participant (at the end unless ``position`` is given); ``created`` is their uuid."""
    name, college = _clean_name(name), _check_college(college)
    with db.session() as s:
        row = _add(s, assessment_uuid, name, college, uuid, position)
    return Change(assessment_uuid, Operation.of("remove_participant", row.id), participants=frozenset({row.id}),
                  created=row.id)


def _add(s, assessment_uuid: str, name: str, college: str, uuid: str | None, position: int | None) -> m.Participant:
    if s.get(m.Assessment, assessment_uuid) is None:
        raise NotFound(f"Aucune évaluation ne porte l’identifiant « {assessment_uuid} ».")
    _check_unique(s, assessment_uuid, name)
    count = s.exec(select(func.count()).select_from(m.Participant)
                   .where(m.Participant.assessment_id == assessment_uuid)).one()
    if count >= (most := text_limits.max_items("participants")):  # what an export can carry back
        raise ServiceError(f"Une séance compte au plus {most} participants («\u00a0{name}\u00a0» n’a pas été "
                           "ajouté).")
    if position is None:
        last = s.exec(select(func.max(m.Participant.position))
                      .where(m.Participant.assessment_id == assessment_uuid)).first()
        position = 0 if last is None else last + 1
    row = m.Participant(id=uuid or new_uuid(), assessment_id=assessment_uuid, name=name, college=college,
                        position=position)
    s.add(row)
    s.flush()
    return row


def rename_participant(db, participant_uuid: str, name: str) -> Change:
    """The inverse renames back."""
    name = _clean_name(name)
    with db.session() as s:
        row = _need(s, participant_uuid)
        _check_unique(s, row.assessment_id, name, exclude=row.id)
        previous, row.name = row.name, name
        return Change(row.assessment_id, Operation.of("rename_participant", participant_uuid, previous),
                      participants=frozenset({participant_uuid}))


def set_participant_college(db, participant_uuid: str, college: str) -> Change:
    """The inverse puts the previous college back."""
    college = _check_college(college)
    with db.session() as s:
        row = _need(s, participant_uuid)
        previous, row.college = row.college, college
        return Change(row.assessment_id, Operation.of("set_participant_college", participant_uuid, previous),
                      participants=frozenset({participant_uuid}))


def remove_participant(db, participant_uuid: str) -> Change:
    """Remove a participant and their ratings; the inverse restores both."""
    with db.session() as s:
        row = _need(s, participant_uuid)
        data, aid = _data(row), row.assessment_id
        rows = list(s.exec(select(m.Answer).where(m.Answer.participant_id == participant_uuid)))
        saved = {a.criterion_id: sql.answer_data(a) for a in rows}
        for a in rows:
            s.delete(a)
        s.delete(row)
    return Change(aid, Operation.of("restore_participant", RemovedParticipant(aid, data, saved)),
                  participants=frozenset({participant_uuid}),
                  ratings=frozenset((participant_uuid, c) for c in saved))


def restore_participant(db, removed: RemovedParticipant) -> Change:
    """Put back a removed participant with their ratings (one transaction)."""
    p = removed.participant
    with db.session() as s:
        _add(s, removed.assessment_uuid, _clean_name(p.name), p.college, p.uuid, p.position)
        conn = s.connection()
        write_participant_answers(conn, removed.assessment_uuid, p.uuid, removed.answers, exact=True)
    return Change(removed.assessment_uuid, Operation.of("remove_participant", p.uuid),
                  participants=frozenset({p.uuid}), ratings=frozenset((p.uuid, c) for c in removed.answers))


# --------------------------------------------------------------------------- ratings


def set_rating(db, assessment_uuid: str, participant_uuid: str, criterion_id: str, **fields) -> Change:
    """One participant's answer (fields as ``services.set_answer``, which checks the participant)."""
    return answers_mod.set_answer(db, assessment_uuid, criterion_id, participant_uuid=participant_uuid, **fields)


def answer_problem(criterion: str, ans: AnswerData) -> str | None:
    """Why a participant's answer read from a file cannot be written (French), or None."""
    try:
        answers_mod.normalise(ans.status, ans.level)
    except ServiceError as exc:
        return f"critère {criterion}\u00a0: {str(exc)[0].lower()}{str(exc)[1:]}"
    if not isinstance(ans.priority, bool):
        return f"critère {criterion}\u00a0: la priorité doit être vrai ou faux (reçu «\u00a0{str(ans.priority)[:40]}\u00a0»)."
    for name, label in (("comment", "commentaire"), ("evidence", "preuves")):
        value = getattr(ans, name)
        if not isinstance(value, str):
            return f"critère {criterion}\u00a0: le {label} doit être un texte."
        if problem := text_limits.length_problem(value, label.capitalize(), "answers", "[]", name):
            return f"critère {criterion}\u00a0: {problem}"
    return None


def write_participant_answers(conn, assessment_uuid: str, participant_uuid: str,
                              answers: dict[str, AnswerData], *, exact: bool = False) -> dict[str, AnswerData]:
    """Write many answers of one participant inside the caller's transaction (an import of
    several files commits once); returns the previous answer of every criterion written.

    ``exact`` (an undo putting answers back): an empty answer removes the row and a stored
    answer keeps its own time."""
    ref = sql.referential(conn, assessment_uuid)
    bad = [c for c in answers if not ref.has_criterion(c)]
    if bad:
        raise ServiceError(fmt.plural(len(bad), "Critère inconnu", "Critères inconnus") + f" : {', '.join(bad)}.")
    fields = tuple(sorted(sql.ANSWER_FIELDS))
    previous: dict[str, AnswerData] = {}
    raw = sql.dbapi(conn)
    for crit, new in answers.items():
        status, level = answers_mod.normalise(new.status, new.level)
        found = quickread.answer_row(raw, assessment_uuid, crit, participant_uuid)
        previous[crit] = found[1] if found else AnswerData(crit)
        if exact and new.is_empty:
            raw.execute(_DELETE_RATING, {"a": assessment_uuid, "p": participant_uuid, "c": crit})
            continue
        raw.execute(sql.answer_upsert(fields, True), {
            "id": new_uuid(), "assessment_id": assessment_uuid, "criterion_id": crit,
            "participant_id": participant_uuid, "status": status, "level": level, "comment": new.comment,
            "evidence": new.evidence, "priority": bool(new.priority),
            "updated_at": new.updated_at if exact and new.updated_at else m.utc_now()})
    return previous


_DELETE_RATING = "DELETE FROM answer WHERE assessment_id = :a AND criterion_id = :c AND participant_id = :p"
_ANSWER = m.Answer.__table__


def set_ratings(db, assessment_uuid: str, ratings: dict[str, dict[str, AnswerData]]) -> Change:
    """Put these participants' answers (participant uuid -> criterion -> answer) as they are
    given, in one transaction (an empty answer: none; a given time is kept); the inverse puts
    back what was there (the undo and redo of a questionnaire import)."""
    previous: dict[str, dict[str, AnswerData]] = {}
    with db.connection() as conn:
        for participant_uuid, answers in ratings.items():
            sql.check_participant(conn, assessment_uuid, participant_uuid)
            previous[participant_uuid] = write_participant_answers(conn, assessment_uuid, participant_uuid, answers,
                                                                   exact=True)
    return Change(assessment_uuid, Operation.of("set_ratings", assessment_uuid, previous),
                  ratings=frozenset((p, c) for p, answers in ratings.items() for c in answers))


def participant_answers(db, assessment_uuid: str, *, conn=None) -> dict[str, dict[str, AnswerData]]:
    """participant uuid -> criterion -> answer."""
    q = sa_select(_ANSWER).where(_ANSWER.c.assessment_id == assessment_uuid, _ANSWER.c.participant_id.is_not(None))

    def read(c) -> dict[str, dict[str, AnswerData]]:
        out: dict[str, dict[str, AnswerData]] = {}
        for row in c.execute(q):
            out.setdefault(row.participant_id, {})[row.criterion_id] = sql.answer_data(row)
        return out

    return _read(db, conn, read)


def record_agreed(db, assessment_uuid: str, criterion_id: str, *, level: int | None = None,
                  status: str | None = None, reason: str | None = None) -> Change:
    """Write the group's agreed answer (the one that scores); the reason becomes its comment
    (left unchanged when no reason is given)."""
    fields: dict = {"level": level} if level is not None else {"status": status or "unanswered"}
    if reason is not None and reason.strip():
        fields["comment"] = reason.strip()
    return answers_mod.set_answer(db, assessment_uuid, criterion_id, **fields)


# --------------------------------------------------------------------------- divergence


@dataclass
class CriterionDivergence:
    criterion_id: str
    domain_id: str
    answers: dict[str, AnswerData]  # participant uuid -> answer (any status)
    levels: dict[str, int]  # participant uuid -> numeric level
    n: int
    mean: float | None
    median: float | None
    range: int | None
    stdev: float | None
    by_college: dict[str, list[int]]  # college id -> levels, in participant order
    agreed: AnswerData

    @property
    def spread(self) -> bool:
        return self.range is not None and self.range >= SPREAD_THRESHOLD

    def count(self, status: str) -> int:
        return sum(1 for a in self.answers.values() if a.status == status)


@dataclass
class DomainDivergence:
    domain_id: str
    title: str
    compared: int  # criteria rated numerically by at least two participants
    mean_range: float | None
    spread_count: int  # criteria whose range is >= 2 levels


@dataclass
class Divergence:
    participants: list[ParticipantData]
    criteria: dict[str, CriterionDivergence] = field(default_factory=dict)  # referential order
    domains: dict[str, DomainDivergence] = field(default_factory=dict)

    def ordered(self) -> list[CriterionDivergence]:
        return session_order(self)

    def most_divergent(self, n: int = 10) -> list[CriterionDivergence]:
        return [c for c in self.ordered() if c.spread][:n]


def compute_divergence(ref: ref_mod.Referential, participants: list[ParticipantData],
                       answers: dict[str, dict[str, AnswerData]],
                       agreed: dict[str, AnswerData] | None = None) -> Divergence:
    """Pure computation (no database): what the session view, the PDF and the workbook show."""
    agreed = agreed or {}
    div = Divergence(list(participants))
    for d in ref.domains:
        ranges, spread = [], 0
        for c in d.criteria:
            per = {p.uuid: answers[p.uuid][c.id] for p in participants if c.id in answers.get(p.uuid, {})}
            levels = {u: a.level for u, a in per.items() if a.status == "answered"}
            by_college: dict[str, list[int]] = {}
            for p in participants:
                if p.uuid in levels:
                    by_college.setdefault(p.college, []).append(levels[p.uuid])
            st = level_stats(list(levels.values()))
            cd = CriterionDivergence(c.id, d.id, per, levels, st["n"], st["mean"], st["median"], st["range"],
                                     st["stdev"], by_college, agreed.get(c.id) or AnswerData(c.id))
            div.criteria[c.id] = cd
            if cd.n >= 2:  # one rating alone says nothing about divergence
                ranges.append(cd.range)
                spread += cd.spread
        div.domains[d.id] = DomainDivergence(d.id, d.title, len(ranges),
                                             sum(ranges) / len(ranges) if ranges else None, spread)
    return div


def session_order(div: Divergence) -> list[CriterionDivergence]:
    """Criteria for the discussion: range, then standard deviation, highest first; ties and
    criteria with fewer than two numeric ratings keep the referential's order."""
    position = {cid: i for i, cid in enumerate(div.criteria)}

    def key(c: CriterionDivergence):
        compared = c.n >= 2
        return (not compared, -(c.range or 0) if compared else 0, -(c.stdev or 0.0) if compared else 0.0,
                position[c.criterion_id])

    return sorted(div.criteria.values(), key=key)


def divergence(db, assessment_uuid: str) -> Divergence:
    with db.connection() as conn:
        ref = sql.referential(conn, assessment_uuid)
    return compute_divergence(ref, list_participants(db, assessment_uuid), participant_answers(db, assessment_uuid),
                              answers_mod.get_answers(db, assessment_uuid))
