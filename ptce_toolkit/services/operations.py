"""Replaying an edit: ``apply(db, operation)`` calls the service the operation names.

This is how undo and redo work in every front end: a ``Change``'s inverse is applied,
and the change that returns carries the inverse of the inverse (redo).

The service module is imported when an operation first names it: the answers' services
run on plain sqlite3 (``WITHOUT_ORM``), so the GUI can write a rating at start-up while
SQLAlchemy is still being imported for the others.
"""

from __future__ import annotations

import importlib

from ptce_toolkit.changes import Change, Operation

# every service an Operation may name (the edits that return a Change), by module
_MODULES = {
    "answers": ("set_answer", "delete_answer"),
    "assessments": ("set_profile_value", "create_assessment", "update_assessment", "delete_assessment",
                    "restore_assessment"),
    "swot": ("add_swot_item", "update_swot_item", "move_swot_item", "delete_swot_item", "restore_swot_item"),
    "plan": ("add_option", "update_option", "delete_option", "restore_option",
             "add_action", "update_action", "delete_action", "restore_action"),
    "poles": ("create_pole", "update_pole", "delete_pole", "restore_pole"),
    "workshop": ("add_participant", "rename_participant", "set_participant_college", "remove_participant",
                 "restore_participant", "set_ratings", "record_agreed"),
    "participant_import": ("apply_import",),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}
WITHOUT_ORM = frozenset(_MODULES["answers"])  # services.answers imports no SQLAlchemy


def edit(name: str):
    """The edit service ``name`` (KeyError for a name no Operation may carry)."""
    return getattr(importlib.import_module(f"ptce_toolkit.services.{_MODULE_OF[name]}"), name)


def apply(db, op: Operation) -> Change:
    """Run the operation through its service (one transaction); returns its change record
    (a service that returns more, an import's outcome, carries it as ``change``)."""
    result = edit(op.name)(db, *op.args, **op.options)
    return result if isinstance(result, Change) else result.change
