"""Building hostile or faulty exchange documents in tests."""

from __future__ import annotations


def set_at(path, value):
    """A change that puts ``value`` at ``path`` (keys and indexes) in a document, and returns it."""
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return doc
    return change
