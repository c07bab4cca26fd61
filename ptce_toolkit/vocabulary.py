"""The product's words for coded values, defined once for the CLI, the GUI, the PDF and the workbook.

Quadrant titles, answer levels and « sans objet » / « ne sait pas » belong to the
referential (a network may word them its own way); everything else that turns a stored
code into French is here. The GUI shows these texts through Qt's translation system:
``QT_TRANSLATE_NOOP`` marks them for ``pyside6-lupdate`` without importing Qt, and
``ui.translation.tr_vocabulary`` translates them in the ``VOCABULARY_CONTEXT`` context.
"""

from __future__ import annotations

VOCABULARY_CONTEXT = "vocabulaire"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


# SWOT (grille AFOM): one reading order everywhere, and the 2×2 grid (internal side on top).
QUADRANT_ORDER = ("S", "W", "O", "T")
ANSWER_STATUSES = ("unanswered", "answered", "not_applicable", "unknown")
INTERNAL_QUADRANTS = ("S", "W")
EXTERNAL_QUADRANTS = ("O", "T")
QUADRANT_GRID = (INTERNAL_QUADRANTS, EXTERNAL_QUADRANTS)

# Strategic options: the kind follows the quadrants of the items an option answers.
OPTION_KIND_LABELS = {
    "SO": QT_TRANSLATE_NOOP("vocabulaire", "Force × opportunité"),
    "ST": QT_TRANSLATE_NOOP("vocabulaire", "Force × menace"),
    "WO": QT_TRANSLATE_NOOP("vocabulaire", "Faiblesse × opportunité"),
    "WT": QT_TRANSLATE_NOOP("vocabulaire", "Faiblesse × menace"),
}
OPTION_UNLINKED = QT_TRANSLATE_NOOP("vocabulaire", "Sans lien")
OPTION_INTERNAL_ONLY = QT_TRANSLATE_NOOP("vocabulaire", "Interne seulement")
OPTION_EXTERNAL_ONLY = QT_TRANSLATE_NOOP("vocabulaire", "Externe seulement")

# Positioning chart (learning × interaction, DOMAIN.md §7): the four quadrants, named after
# the configurations of the Romans papers; « écosystème coopératif » is our own name.
POSITION_QUADRANT_ORDER = ("district", "technopole", "milieu", "ecosystem")
POSITION_QUADRANT_LABELS = {
    "district": QT_TRANSLATE_NOOP("vocabulaire", "District : logique de survie"),
    "technopole": QT_TRANSLATE_NOOP("vocabulaire", "Technopole : savoirs sans liens locaux"),
    "milieu": QT_TRANSLATE_NOOP("vocabulaire", "Milieu innovateur"),
    "ecosystem": QT_TRANSLATE_NOOP("vocabulaire", "Écosystème coopératif"),
}
POSITION_AXIS_LABELS = {
    "learning": QT_TRANSLATE_NOOP("vocabulaire", "Apprentissage du milieu"),
    "interaction": QT_TRANSLATE_NOOP("vocabulaire", "Interaction avec le milieu"),
}

# An assessment is named « Diagnostic 2026 »: its status agrees with « diagnostic ».
ASSESSMENT_STATUS_LABELS = {
    "draft": QT_TRANSLATE_NOOP("vocabulaire", "Brouillon"),
    "completed": QT_TRANSLATE_NOOP("vocabulaire", "Terminé"),
}
# Spellings written by earlier versions, still read from workbooks already sent out.
FORMER_ASSESSMENT_STATUS_LABELS = {"Terminée": "completed"}

ACTION_STATUS_ORDER = ("todo", "doing", "done", "dropped")
ACTION_STATUS_LABELS = {
    "todo": QT_TRANSLATE_NOOP("vocabulaire", "À faire"),
    "doing": QT_TRANSLATE_NOOP("vocabulaire", "En cours"),
    "done": QT_TRANSLATE_NOOP("vocabulaire", "Fait"),
    "dropped": QT_TRANSLATE_NOOP("vocabulaire", "Abandonné"),
}
CLOSED_ACTION_STATUSES = ("done", "dropped")

# Both scales are listed from the strongest to the weakest wherever a person picks or
# reads them. Stored codes differ (priority 1 is the highest, importance 3 the strongest):
# never show the bare number alone.
PRIORITY_LABELS = {
    1: QT_TRANSLATE_NOOP("vocabulaire", "Haute"),
    2: QT_TRANSLATE_NOOP("vocabulaire", "Moyenne"),
    3: QT_TRANSLATE_NOOP("vocabulaire", "Basse"),
}
IMPORTANCE_LABELS = {
    3: QT_TRANSLATE_NOOP("vocabulaire", "Forte"),
    2: QT_TRANSLATE_NOOP("vocabulaire", "Moyenne"),
    1: QT_TRANSLATE_NOOP("vocabulaire", "Faible"),
}

UNANSWERED_LABEL = QT_TRANSLATE_NOOP("vocabulaire", "Sans réponse")


def option_kind(quadrants) -> str:
    """« SO », « ST », « WO », « WT » from the quadrants an option answers; '' when it cannot be derived.

    When both quadrants of a side are linked the kind names both (e.g. « SO/WO »).
    """
    qs = set(quadrants)
    internal = [q for q in INTERNAL_QUADRANTS if q in qs]
    external = [q for q in EXTERNAL_QUADRANTS if q in qs]
    if not internal or not external:
        return ""
    return "/".join(i + e for i in internal for e in external)


def option_kind_label(quadrants, translate=lambda text: text) -> str:
    """What a person reads for an option's kind, or what is missing to derive it."""
    qs = set(quadrants)
    if not qs:
        return translate(OPTION_UNLINKED)
    kind = option_kind(qs)
    if kind:
        return "\u00a0; ".join(translate(OPTION_KIND_LABELS[k]) for k in kind.split("/"))
    return translate(OPTION_INTERNAL_ONLY if qs <= set(INTERNAL_QUADRANTS) else OPTION_EXTERNAL_ONLY)
