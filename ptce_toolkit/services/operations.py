"""Replaying an edit: ``apply(db, operation)`` calls the service the operation names.

This is how undo and redo work in every front end: a ``Change``'s inverse is applied,
and the change that returns carries the inverse of the inverse (redo).
"""

from __future__ import annotations

from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.services import answers, assessments, participant_import, plan, poles, swot, workshop

# every service an Operation may name: the edits that return a Change
EDITS = {f.__name__: f for f in (
    answers.set_answer, answers.delete_answer, assessments.set_profile_value,
    swot.add_swot_item, swot.update_swot_item, swot.move_swot_item, swot.delete_swot_item, swot.restore_swot_item,
    plan.add_option, plan.update_option, plan.delete_option, plan.restore_option,
    plan.add_action, plan.update_action, plan.delete_action, plan.restore_action,
    poles.create_pole, poles.update_pole, poles.delete_pole, poles.restore_pole,
    assessments.create_assessment, assessments.update_assessment, assessments.delete_assessment,
    assessments.restore_assessment,
    workshop.add_participant, workshop.rename_participant, workshop.set_participant_college,
    workshop.remove_participant, workshop.restore_participant, workshop.set_ratings, workshop.record_agreed,
    participant_import.apply_import,
)}


def apply(db, op: Operation) -> Change:
    """Run the operation through its service (one transaction); returns its change record
    (a service that returns more, an import's outcome, carries it as ``change``)."""
    result = EDITS[op.name](db, *op.args, **op.options)
    return result if isinstance(result, Change) else result.change
