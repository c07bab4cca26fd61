"""Errors raised by services; messages are French sentences meant for the user."""

from ptce_toolkit import text_limits


class ServiceError(ValueError):
    """A request the data cannot satisfy (unknown id, invalid value…)."""


class NotFound(ServiceError):
    """The pole, assessment or item asked for does not exist."""


def refuse_too_long(text, label: str, *path: str) -> None:
    """ServiceError when ``text`` is longer than the exchange format or a workbook cell holds
    for the text at ``path`` of a document (see ptce_toolkit.text_limits): whatever is stored
    exports and imports again."""
    if isinstance(text, str) and (problem := text_limits.length_problem(text, label, *path)):
        raise ServiceError(problem)
