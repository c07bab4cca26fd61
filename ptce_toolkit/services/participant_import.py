"""Bring individual questionnaires (one per participant) into one workshop session.

Format-free: a reader (e.g. ``exports.xlsx_participants``) turns each file into an
``Incoming``; ``plan_import`` matches it to a participant and lists, without writing
anything, what would be new and where the participant already has a different answer
(a conflict); ``apply_import`` writes everything in one transaction, and replaces a
conflicting answer only when asked (``overwrite=True``); its outcome carries the change
record whose inverse (``workshop.set_ratings``) undoes the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.records import AnswerData, ParticipantData
from ptce_toolkit.services import sql
from ptce_toolkit.services import workshop as ws
from ptce_toolkit.services.errors import ServiceError


@dataclass
class Incoming:
    """What one participant's file says."""

    source: str  # file name, for messages
    answers: dict[str, AnswerData] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # fields that may hold exactly the person's name
    mentions: list[str] = field(default_factory=list)  # free text that may contain it (title, file name)
    participant_uuid: str | None = None  # identifier carried by a questionnaire the app produced
    referential: tuple[str, str] | None = None  # (id, version)
    problems: list[str] = field(default_factory=list)  # the file could not be read


@dataclass(frozen=True)
class Conflict:
    criterion: str
    current: AnswerData
    incoming: AnswerData


@dataclass
class FilePlan:
    source: str
    participant: ParticipantData | None = None
    matched_by: str = ""  # "choix", "identifiant", "nom"
    new: dict[str, AnswerData] = field(default_factory=dict)  # answers written whatever happens
    conflicts: list[Conflict] = field(default_factory=list)  # written only with overwrite=True
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    assessment_uuid: str
    files: list[FilePlan]
    incoming: list[Incoming]
    match: dict[str, str]

    @property
    def problems(self) -> list[str]:
        return [f"{f.source}\u00a0: {p}" for f in self.files for p in f.problems]

    @property
    def conflicts(self) -> list[tuple[FilePlan, Conflict]]:
        return [(f, c) for f in self.files for c in f.conflicts]


@dataclass
class ImportOutcome:
    written: dict[str, int]  # participant uuid -> answers written
    kept: list[tuple[FilePlan, Conflict]]  # conflicts left as they were (overwrite=False)
    previous: dict[str, dict[str, AnswerData]]  # participant uuid -> criterion -> answer before
    change: Change | None = None  # the ratings written; its inverse puts ``previous`` back


def _norm(text: str) -> str:
    return ws.fold(text).replace("'", " ")


def _match(participants: list[ParticipantData], inc: Incoming,
           chosen: str | None) -> tuple[ParticipantData | None, str, str]:
    """(participant, how, problem)."""
    by_uuid = {p.uuid: p for p in participants}
    if chosen:
        if chosen not in by_uuid:
            return None, "", "le participant choisi ne fait pas partie de cette séance."
        return by_uuid[chosen], "choix", ""
    if inc.participant_uuid and inc.participant_uuid.lower() in by_uuid:
        return by_uuid[inc.participant_uuid.lower()], "identifiant", ""
    names = {_norm(n) for n in inc.names if n and n.strip()}
    found = [p for p in participants if _norm(p.name) in names]
    if not found:
        texts = [_norm(t) for t in inc.mentions if t]
        found = [p for p in participants
                 if any(re.search(rf"(?<!\w){re.escape(_norm(p.name))}(?!\w)", t) for t in texts)]
    if len(found) == 1:
        return found[0], "nom", ""
    if found:
        listed = ", ".join(f"« {p.name} »" for p in found)
        return None, "", f"plusieurs participants possibles ({listed}) : choisissez celui à qui ce fichier appartient."
    return None, "", "aucun participant de la séance n’est nommé dans ce fichier : choisissez à qui il appartient."


def _merge(current: AnswerData, incoming: AnswerData) -> tuple[AnswerData, bool]:
    """(answer with the incoming values, conflicting?). Empty incoming fields never erase anything."""
    result, conflict = current, False
    if incoming.status != "unanswered":
        if current.status != "unanswered" and (current.status, current.level) != (incoming.status, incoming.level):
            conflict = True
        result = replace(result, status=incoming.status, level=incoming.level)
    for name in ("comment", "evidence"):
        new, old = getattr(incoming, name).strip(), getattr(current, name).strip()
        if new:
            conflict |= bool(old) and old != new
            result = replace(result, **{name: new})
    return replace(result, priority=current.priority or incoming.priority), conflict


def plan_import(db, assessment_uuid: str, incoming: list[Incoming], *,
                match: dict[str, str] | None = None, conn=None) -> ImportPlan:
    """Dry run: nothing is written. ``match`` maps a file's ``source`` to a participant uuid.
    ``conn``: read inside the caller's transaction."""
    if conn is None:
        with db.connection() as own:
            return plan_import(db, assessment_uuid, incoming, match=match, conn=own)
    match = dict(match or {})
    participants = ws.list_participants(db, assessment_uuid, conn=conn)
    existing = ws.participant_answers(db, assessment_uuid, conn=conn)
    ref = sql.referential(conn, assessment_uuid)
    plan = ImportPlan(assessment_uuid, [], list(incoming), match)
    owners: dict[str, str] = {}
    for inc in incoming:
        fp = FilePlan(inc.source, problems=list(inc.problems))
        plan.files.append(fp)
        if fp.problems:
            continue
        if inc.referential and (inc.referential[0] != ref.id
                                or inc.referential[1].split(".")[0] != ref.version.split(".")[0]):
            fp.problems.append(f"questionnaire du référentiel {inc.referential[0]} {inc.referential[1]}, "
                               f"la séance suit {ref.id} {ref.version}.")
            continue
        fp.participant, fp.matched_by, problem = _match(participants, inc, match.get(inc.source))
        if problem:
            fp.problems.append(problem)
            continue
        if fp.participant.uuid in owners:
            fp.problems.append(f"« {fp.participant.name} » a déjà un fichier dans cet import "
                               f"({owners[fp.participant.uuid]}).")
            continue
        owners[fp.participant.uuid] = inc.source
        mine = existing.get(fp.participant.uuid, {})
        bad = [x for x in (ws.answer_problem(c, a) for c, a in inc.answers.items()) if x]
        if bad:
            fp.problems.extend(bad)
            continue
        for crit, ans in inc.answers.items():
            if not ref.has_criterion(crit) or ans.is_empty:
                continue
            current = mine.get(crit) or AnswerData(crit)
            merged, conflict = _merge(current, ans)
            if conflict:
                fp.conflicts.append(Conflict(crit, current, ans))
            elif (merged.status, merged.level, merged.comment, merged.evidence, merged.priority) == \
                    (current.status, current.level, current.comment, current.evidence, current.priority):
                fp.unchanged += 1
            else:
                fp.new[crit] = merged
    return plan


def apply_import(db, plan: ImportPlan, *, overwrite: bool = False) -> ImportOutcome:
    """Write the plan (checked again against the database first) in one transaction.

    Refused as a whole while any file has a problem. Conflicting answers are replaced only
    with ``overwrite=True``; otherwise they are kept and listed in ``kept``."""
    outcome = ImportOutcome({}, [], {})
    with db.connection() as conn:
        fresh = plan_import(db, plan.assessment_uuid, plan.incoming, match=plan.match, conn=conn)
        if fresh.problems:
            raise ServiceError("Import refusé, rien n’a été enregistré :\n" + "\n".join(fresh.problems))
        incoming = {inc.source: inc for inc in fresh.incoming}
        for fp in fresh.files:
            todo = dict(fp.new)
            for c in fp.conflicts:
                if overwrite:
                    todo[c.criterion] = _merge(c.current, incoming[fp.source].answers[c.criterion])[0]
                else:
                    outcome.kept.append((fp, c))
            if todo:
                outcome.previous[fp.participant.uuid] = ws.write_participant_answers(
                    conn, plan.assessment_uuid, fp.participant.uuid, todo)
            outcome.written[fp.participant.uuid] = len(todo)
    outcome.change = Change(plan.assessment_uuid, Operation.of("set_ratings", plan.assessment_uuid, outcome.previous),
                            ratings=frozenset((p, c) for p, answers in outcome.previous.items() for c in answers))
    return outcome
