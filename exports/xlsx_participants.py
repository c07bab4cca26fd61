"""One questionnaire workbook per workshop participant: written for them, read back into the session.

A personal questionnaire is the ordinary ``ptce-classeur`` template with the session's
pole, a title naming the person, and the person (name, college, identifier) on the
« Participants » sheet, so that its answers find their owner on import. Its assessment
uuid is derived from the session and the person: imported by mistake with
``ptce import`` it never overwrites the session's agreed answers.

Reading goes through ``exports.xlsx_import.read_workbook`` (same checks as any workbook);
matching, conflicts and writing are ``ptce_toolkit.services.participant_import``.
"""

from __future__ import annotations

import uuid as uuid_mod
from pathlib import Path

from exports.xlsx_export import build_workbook, save_workbook
from exports.xlsx_guard import WorkbookRefused
from exports.xlsx_import import read_workbook
from ptce_toolkit import snapshot as snap_mod
from ptce_toolkit.records import AssessmentData, ParticipantData, Snapshot
from ptce_toolkit.services import participant_import as pim
from ptce_toolkit.services.assessments import referential_of
from ptce_toolkit.services.errors import NotFound


def questionnaire_snapshot(session: Snapshot, participant: ParticipantData) -> Snapshot:
    a = session.assessment
    personal = uuid_mod.uuid5(uuid_mod.UUID(a.uuid), f"participant/{participant.uuid}")
    return Snapshot(
        pole=session.pole,
        assessment=AssessmentData(str(personal), f"Questionnaire individuel — {participant.name}",
                                  a.referential_id, a.referential_version, started_on=a.started_on,
                                  facilitator=a.facilitator),
        participants=[ParticipantData(participant.uuid, participant.name, participant.college, 0)],
    )


def write_participant_questionnaire(db, assessment_uuid: str, participant_uuid: str, path: str | Path) -> Path:
    """A blank questionnaire for one participant of the session."""
    session = snap_mod.load(db, assessment_uuid)
    person = next((p for p in session.participants if p.uuid == participant_uuid), None)
    if person is None:
        raise NotFound(f"Aucun participant de cette séance ne porte l’identifiant « {participant_uuid} ».")
    wb = build_workbook(questionnaire_snapshot(session, person), referential_of(db, assessment_uuid),
                        kind="template")
    return save_workbook(wb, path)


def read_participant_workbook(path: str | Path) -> pim.Incoming:
    """A filled questionnaire as an ``Incoming``; a refused file carries its problems."""
    path = Path(path)
    try:
        parsed = read_workbook(path)
    except WorkbookRefused as exc:
        details = [f"{p.location}\u00a0: {p.message}" if p.location else p.message for p in exc.problems]
        return pim.Incoming(path.name, problems=details or [str(exc)])
    snap = parsed.snapshot
    a = snap.assessment
    return pim.Incoming(
        source=path.name,
        answers=dict(snap.answers),
        names=[p.name for p in snap.participants] + [snap.pole.name, a.facilitator],
        mentions=[a.title, path.stem],
        participant_uuid=snap.participants[0].uuid if len(snap.participants) == 1 else None,
        referential=(a.referential_id, a.referential_version),
    )


def plan_workbooks(db, assessment_uuid: str, paths, *, match: dict[str, str] | None = None) -> pim.ImportPlan:
    """Dry run over several files: who each belongs to, what is new, what conflicts.

    ``match`` maps a file name (or path) to a participant uuid, for files that name nobody."""
    paths = [Path(p) for p in paths]
    by_name = {Path(k).name: v for k, v in (match or {}).items()}
    return pim.plan_import(db, assessment_uuid, [read_participant_workbook(p) for p in paths], match=by_name)


def import_participant_workbooks(db, assessment_uuid: str, paths, *, match: dict[str, str] | None = None,
                                 overwrite: bool = False) -> pim.ImportOutcome:
    """Read, match and write in one go (one transaction); see ``plan_workbooks`` for the dry run."""
    return pim.apply_import(db, plan_workbooks(db, assessment_uuid, paths, match=match), overwrite=overwrite)


__all__ = ["write_participant_questionnaire", "read_participant_workbook", "plan_workbooks",
           "import_participant_workbooks", "questionnaire_snapshot"]
