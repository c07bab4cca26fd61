"""Carry an assessment over to another referential version, through a crosswalk.

« Nouvelle évaluation » from an assessment on 1.0.0 onto 2.0.0:

- ``same`` / ``reworded`` criteria: the answer is carried as it is;
- ``split`` criteria: each part receives the source's answer as a proposal;
- ``merged`` criteria: a proposal built from the sources — the LOWEST level among those
  rated (a merge must not flatter the pole), their comments and evidence joined (cut, saying
  so, where they would no longer fit in a workbook cell); *sans
  objet* / *ne sait pas* only when every source says so;
- proposals are stored with ``to_confirm`` and shown « à confirmer » in the walkthrough
  until the user confirms them (``confirm``, or by rating the criterion again);
- ``new`` criteria stay empty; SWOT items and actions keep their links through the
  crosswalk; the source assessment is not touched (it stays on its own version).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import text

from ptce_toolkit import crosswalk as cw_mod
from ptce_toolkit import referential as ref_mod
from ptce_toolkit import text_limits
from ptce_toolkit.records import AnswerData, Snapshot
from ptce_toolkit.services.errors import ServiceError


@dataclass
class CarryReport:
    carried: list[str] = field(default_factory=list)  # same / reworded, answer carried
    to_confirm: list[str] = field(default_factory=list)  # split / merged, proposal « à confirmer »
    empty: list[str] = field(default_factory=list)  # new criteria, or sources never answered
    removed: list[str] = field(default_factory=list)  # source criteria with no place in the target


# Joined notes longer than an export carries are cut there, and say so: the whole texts stay
# in the assessment they come from (a carry never touches it).
CUT_MARK = ("\n[…] Texte coupé ici pour tenir dans une cellule de classeur\u00a0: le texte entier est dans "
            "l’évaluation d’origine.")


def _fit(text: str, name: str) -> str:
    if text_limits.length_problem(text, "", "answers", "[]", name) is None:
        return text
    # the longest start that fits with the mark (escapes and emoji take more room in a cell)
    low, high = 0, min(len(text), text_limits.max_length("answers", "[]", name) - len(CUT_MARK))
    while low < high:
        middle = (low + high + 1) // 2
        if text_limits.cell_length(text[:middle] + CUT_MARK) <= text_limits.MAX_CELL_CHARS:
            low = middle
        else:
            high = middle - 1
    return text[:low] + CUT_MARK


def _merge(sources: list[AnswerData]) -> AnswerData | None:
    rated = [a for a in sources if a.status == "answered"]
    notes = [f"{a.criterion}\u00a0: {a.comment}" for a in sources if a.comment.strip()]
    evidence = [a.evidence for a in sources if a.evidence.strip()]
    priority = any(a.priority for a in sources)
    if rated:
        status, level = "answered", min(a.level for a in rated)
    elif sources and len({a.status for a in sources}) == 1 and sources[0].status in ("not_applicable", "unknown"):
        status, level = sources[0].status, None
    else:
        status, level = "unanswered", None
    if status == "unanswered" and not (notes or evidence or priority):
        return None
    return AnswerData("", status, level, _fit("\n".join(notes), "comment"), _fit("\n".join(evidence), "evidence"),
                      priority)


def plan(answers: dict[str, AnswerData], cw: cw_mod.Crosswalk) -> tuple[dict[str, AnswerData], CarryReport]:
    """Answers for the target version (pure: no database), and what happened to each."""
    out: dict[str, AnswerData] = {}
    report = CarryReport()
    version = cw.from_version
    for link in cw.links:
        if link.relation == "removed":
            report.removed += [s for s in link.sources if s in answers and not answers[s].is_empty]
            continue
        present = [answers[s] for s in link.sources if s in answers and not answers[s].is_empty]
        if link.relation == "new" or not present:
            report.empty.append(link.target)
            continue
        origin = ", ".join(f"{version}:{s}" for s in link.sources)
        if link.relation in cw_mod.CARRIED:
            out[link.target] = replace(present[0], criterion=link.target, to_confirm=False, carried_from=origin,
                                       updated_at="")
            report.carried.append(link.target)
            continue
        proposal = replace(present[0]) if link.relation == "split" else _merge(present)
        if proposal is None:
            report.empty.append(link.target)
            continue
        out[link.target] = replace(proposal, criterion=link.target, to_confirm=True, carried_from=origin, updated_at="")
        report.to_confirm.append(link.target)
    return out, report


def map_criteria(ids: list[str], cw: cw_mod.Crosswalk) -> list[str]:
    """Criterion links (SWOT items, actions) through the crosswalk: a split source points
    at every part, a removed one is dropped."""
    out: list[str] = []
    for cid in ids:
        for link in cw.links:
            if link.target and cid in link.sources and link.target not in out:
                out.append(link.target)
    return out


def carry_snapshot(snap: Snapshot, target: ref_mod.Referential, cw: cw_mod.Crosswalk) -> CarryReport:
    """Rewrite a (copied) snapshot for ``target`` in place; returns the report."""
    snap.answers, report = plan(snap.answers, cw)
    for item in snap.swot:
        item.criteria = map_criteria(item.criteria, cw)
    for action in snap.actions:
        action.criteria = map_criteria(action.criteria, cw)
    snap.assessment.profile = {k: v for k, v in snap.assessment.profile.items() if target.profile_field(k)}
    return report


def can_carry(source: ref_mod.Referential, target: ref_mod.Referential) -> bool:
    """Whether answers on ``source`` can start an assessment on ``target``."""
    return (source.key == target.key or (source.id == target.id and source.major == target.major)
            or cw_mod.find(source, target) is not None)


def crosswalk_for(source: ref_mod.Referential, target: ref_mod.Referential) -> cw_mod.Crosswalk:
    cw = cw_mod.find(source, target)
    if cw is None:
        raise ServiceError(
            f"Aucune correspondance n’est installée du référentiel {source.id} {source.version} vers "
            f"{target.id} {target.version} : les réponses ne peuvent pas être reprises.")
    return cw


def carry_over(db, source_uuid: str, target: ref_mod.Referential, **kwargs) -> tuple[str, CarryReport]:
    """« Nouvelle évaluation » on ``target`` from ``source_uuid``; returns (uuid, report)."""
    from ptce_toolkit.services.assessments import create_assessment, referential_of
    from ptce_toolkit.snapshot import load

    source = referential_of(db, source_uuid)
    cw = crosswalk_for(source, target)
    pole = load(db, source_uuid).pole.uuid
    uuid = create_assessment(db, pole, referential=target, copy_from=source_uuid, **kwargs).created
    _, report = plan(load(db, source_uuid).answers, cw)
    return uuid, report


def pending(db, assessment_uuid: str) -> list[str]:
    """Criteria still « à confirmer », in no particular order."""
    with db.connection() as conn:
        rows = conn.execute(text("SELECT criterion_id FROM answer WHERE assessment_id = :a AND participant_id IS NULL "
                                 "AND to_confirm"), {"a": assessment_uuid})
        return [r[0] for r in rows]


def confirm(db, assessment_uuid: str, criterion_id: str, confirmed: bool = True) -> bool:
    """Mark a carried proposal as confirmed (or back to « à confirmer », for undo).
    Returns the previous state."""
    with db.connection() as conn:
        row = conn.execute(text("SELECT to_confirm FROM answer WHERE assessment_id = :a AND criterion_id = :c "
                                "AND participant_id IS NULL"), {"a": assessment_uuid, "c": criterion_id}).first()
        if row is None:
            return False
        conn.execute(text("UPDATE answer SET to_confirm = :v WHERE assessment_id = :a AND criterion_id = :c "
                          "AND participant_id IS NULL"), {"v": not confirmed, "a": assessment_uuid, "c": criterion_id})
        return bool(row[0])
