"""Building hostile or faulty exchange documents in tests."""

from __future__ import annotations

POLE, ASSESSMENT = "6b0c1f4e-3a53-4d8e-9d4c-0a1b2c3d4e5f", "0f1e2d3c-4b5a-4968-8776-655443322110"


def base_doc() -> dict:
    """A small valid exchange document with a bit of everything (a new dict each call)."""
    return {"format": "ptce-assessment", "format_version": 1,
            "referential": {"id": "ptce-referentiel-action", "version": "1.0.0"},
            "pole": {"uuid": POLE, "name": "Pôle des Deux Rives", "aliases": ["PDR"]},
            "assessment": {"uuid": ASSESSMENT, "title": "Diagnostic 2026", "started_on": "2026-01-15",
                           "profile": {"membres_structures": {"value": 42, "qualifier": "environ"}}},
            "answers": [{"criterion": "FIN.1", "status": "answered", "level": 2, "comment": "ok"}],
            "swot": [{"uuid": "11111111-2222-4333-8444-555555555555", "quadrant": "S", "text": "Ancrage"}],
            "actions": [{"uuid": "21111111-2222-4333-8444-555555555555", "title": "Plan", "due_on": "2026-06-30"}],
            "participants": [{"uuid": "31111111-2222-4333-8444-555555555555", "name": "Awa",
                              "answers": [{"criterion": "FIN.1", "status": "answered", "level": 3}]}]}


def set_at(path, value):
    """A change that puts ``value`` at ``path`` (keys and indexes) in a document, and returns it."""
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return doc
    return change
