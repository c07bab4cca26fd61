"""Service functions: the one way in for the GUI and the CLI (no SQL in widgets).

Every function takes a ``Database`` first, runs one short transaction and raises
``ServiceError`` with a French message on bad input. Every edit (poles, assessments,
their content, workshop participants) returns a ``changes.Change`` (what changed, and
the operation that undoes it, replayed with ``apply``).
"""

from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.services.answers import (
    answer_fields, delete_answer, get_answer, get_answers, set_answer,
)
from ptce_toolkit.services.assessments import (
    AssessmentSummary, create_assessment, delete_assessment, latest_assessment, list_assessments,
    previous_assessment, referential_of, restore_assessment, set_profile_value, update_assessment,
)
from ptce_toolkit.services.errors import NotFound, ServiceError
from ptce_toolkit.services.operations import apply
from ptce_toolkit.services.plan import (
    add_action, add_option, delete_action, delete_option, get_action,
    get_option, restore_action, restore_option, update_action, update_option,
)
from ptce_toolkit.services.poles import create_pole, delete_pole, get_pole, list_poles, restore_pole, update_pole
from ptce_toolkit.services.swot import (
    add_swot_item, delete_swot_item, get_swot_item, list_swot, move_swot_item, restore_swot_item,
    update_swot_item,
)

__all__ = [name for name in dir() if not name.startswith("_")]
