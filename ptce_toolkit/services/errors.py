"""Errors raised by services; messages are French sentences meant for the user."""

from ptce_toolkit import text_limits


class ServiceError(ValueError):
    """A request the data cannot satisfy (unknown id, invalid value…)."""


class NotFound(ServiceError):
    """The pole, assessment or item asked for does not exist."""


def refuse_problems(problems, label_of) -> None:
    """ServiceError listing what the import would refuse (``exchange.fields_problems``), each
    problem named by ``label_of(its JSON path)`` rather than by the path."""
    if problems:
        raise ServiceError("\u00a0; ".join(f"{label_of(p.location)}\u00a0: {p.message}" for p in problems))


def refuse_too_long(text, label: str, *path: str) -> None:
    """ServiceError when ``text`` is longer than the exchange format or a workbook cell holds
    for the text at ``path`` of a document (see ptce_toolkit.text_limits): whatever is stored
    exports and imports again."""
    if isinstance(text, str) and (problem := text_limits.length_problem(text, label, *path)):
        raise ServiceError(problem)
