"""Service functions: the one way in for the GUI and the CLI (no SQL in widgets).

Every function takes a ``Database`` first, runs one short transaction and raises
``ServiceError`` with a French message on bad input. Every edit (poles, assessments,
their content, workshop participants) returns a ``changes.Change`` (what changed, and
the operation that undoes it, replayed with ``apply``).

The service modules (and SQLAlchemy with them) are imported on first use of one of
their names (``services.set_answer``…): the GUI imports this package while it shows the
assessment, and the ORM arrives in the background (``ui.main_window``).
"""

from __future__ import annotations

import importlib

from ptce_toolkit.changes import Change, Operation
from ptce_toolkit.services.errors import NotFound, ServiceError

# public name -> the module of ptce_toolkit.services that defines it
_WHERE = {
    "answer_rules": ("answer_fields",),
    "answers": ("delete_answer", "get_answer", "get_answers", "set_answer"),
    "assessments": ("AssessmentSummary", "create_assessment", "delete_assessment", "latest_assessment",
                    "list_assessments", "previous_assessment", "referential_of", "restore_assessment",
                    "set_profile_value", "update_assessment"),
    "operations": ("apply",),
    "plan": ("add_action", "add_option", "delete_action", "delete_option", "get_action", "get_option",
             "restore_action", "restore_option", "update_action", "update_option"),
    "poles": ("create_pole", "delete_pole", "get_pole", "list_poles", "restore_pole", "update_pole"),
    "swot": ("add_swot_item", "delete_swot_item", "get_swot_item", "list_swot", "move_swot_item",
             "restore_swot_item", "update_swot_item"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(["Change", "NotFound", "Operation", "ServiceError", *_MODULE_OF])


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load_all() -> None:
    """Import every service module now (the GUI does it in a worker thread at start-up)."""
    for module in _WHERE:
        importlib.import_module(f"{__name__}.{module}")
