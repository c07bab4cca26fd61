"""What an answer edit stores: the checks and normalisation of ``set_answer``'s fields.

Kept apart from ``services.answers`` (and free of SQLAlchemy) so that the GUI can show
at once what a queued rating will store, before the ORM is even imported at start-up.
"""

from __future__ import annotations

from ptce_toolkit.services.errors import ServiceError, refuse_too_long
from ptce_toolkit.vocabulary import ANSWER_STATUSES

_UNSET = object()


def normalise(status, level) -> tuple[str, int | None]:
    """Check a (status, level) pair; a level alone means "answered"."""
    if status is _UNSET or status is None:
        status = "answered" if level not in (_UNSET, None) else "unanswered"
    if status not in ANSWER_STATUSES:
        raise ServiceError(f"Statut de réponse inconnu : « {status} ».")
    if status == "answered":
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4:
            raise ServiceError(f"Le niveau doit être un entier de 0 à 4 (reçu : « {level} »).")
        return status, level
    return status, None


def answer_fields(*, status=_UNSET, level=_UNSET, comment=_UNSET, evidence=_UNSET, priority=_UNSET) -> dict:
    """The fields of an answer edit as they will be stored (checked, normalised)."""
    changes: dict = {}
    if status is not _UNSET or level is not _UNSET:
        changes["status"], changes["level"] = normalise(status, level)
    if comment is not _UNSET:
        changes["comment"] = str(comment or "")
        refuse_too_long(changes["comment"], "Commentaire", "answers", "[]", "comment")
    if evidence is not _UNSET:
        changes["evidence"] = str(evidence or "")
        refuse_too_long(changes["evidence"], "Preuves", "answers", "[]", "evidence")
    if priority is not _UNSET:
        changes["priority"] = bool(priority)
    return changes
