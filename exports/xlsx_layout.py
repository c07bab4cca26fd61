"""Layout of the ``ptce-classeur`` workbook, shared by the writer and the reader.

The reader finds sheets by name and columns by header text (accents, case and spaces
ignored), never by position; changing a header here is a format change (see
docs/FORMAT-XLSX.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# The sheets show the product’s own words for coded values (one definition, in the core).
from ptce_toolkit.vocabulary import (  # noqa: F401
    ACTION_STATUS_LABELS, ASSESSMENT_STATUS_LABELS, IMPORTANCE_LABELS, PRIORITY_LABELS)

FORMAT_NAME = "ptce-classeur"
FORMAT_VERSION = 1

README = "Lisez-moi"
PROFILE = "Profil"
ANSWERS = "Réponses"
SCORES = "Scores"
SWOT = "AFOM"
OPTIONS = "Options"
ACTIONS = "Plan d’action"
PARTICIPANTS = "Participants"
META = "_meta"
SHEETS = (README, PROFILE, ANSWERS, SCORES, SWOT, OPTIONS, ACTIONS)

TITLE_ROW = 1  # sheet title
HELP_ROW = 2  # one line of instructions
HEADER_ROW = 3
FIRST_ROW = 4
HEADER_SEARCH_ROWS = 10  # the reader looks for the header row in the first rows


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    editable: bool = False  # unlocked for the person filling the workbook
    wrap: bool = False
    hidden: bool = False
    former: tuple[str, ...] = ()  # headers of earlier versions, still read


PROFILE_COLUMNS = (
    Column("section", "Rubrique", 20, wrap=True),
    Column("label", "Champ", 34, wrap=True),
    Column("value", "Valeur", 40, editable=True, wrap=True),
    Column("unit", "Unité", 11),
    Column("qualifier", "Qualificatif", 13, editable=True),
    Column("year", "Année", 8, editable=True),
    Column("perimeter", "Périmètre", 26, editable=True, wrap=True),
    Column("source", "Source", 28, editable=True, wrap=True),
    Column("definition", "Définition retenue", 28, editable=True, wrap=True),
    Column("code", "Code", 22),
)
ANSWER_COLUMNS = (
    Column("domain", "Domaine", 16, wrap=True),
    Column("criterion", "Critère", 8),
    Column("statement", "Énoncé", 60, wrap=True),
    Column("level", "Niveau", 11, editable=True),
    Column("level_label", "Libellé du niveau", 17),
    Column("status", "Statut", 13),
    Column("comment", "Commentaire", 45, editable=True, wrap=True),
    Column("evidence", "Preuves", 32, editable=True, wrap=True),
    Column("priority", "Prioritaire", 11, editable=True),
    Column("weight", "Poids", 7),
    Column("updated_at", "Mis à jour (UTC)", 24, hidden=True),
    # 0–4, or -1 blank, -2 « Sans objet », -3 « Ne sait pas », -4 anything else: what the Scores
    # sheet adds up, row by row, so sorting or filtering the rows never breaks it
    Column("level_value", "Niveau (calcul)", 9, hidden=True),
)
LEVEL_BLANK, LEVEL_NA, LEVEL_DK, LEVEL_OTHER = -1, -2, -3, -4
SWOT_COLUMNS = (
    Column("code", "Repère", 8),
    Column("quadrant", "Quadrant", 14),
    Column("text", "Élément", 70, editable=True, wrap=True),
    Column("importance", "Importance", 12, editable=True, former=("Importance (1 à 3)",)),
    Column("criteria", "Critères liés", 22, editable=True, wrap=True),
    Column("uuid", "Identifiant", 38, hidden=True),
)
OPTION_COLUMNS = (
    Column("number", "N°", 6),
    Column("text", "Option stratégique", 70, editable=True, wrap=True),
    Column("swot", "Éléments AFOM liés", 22, editable=True, wrap=True),
    Column("kind", "Type", 10),
    Column("uuid", "Identifiant", 38, hidden=True),
)
ACTION_COLUMNS = (
    Column("number", "N°", 6),
    Column("title", "Action", 55, editable=True, wrap=True),
    Column("owner", "Responsable", 22, editable=True, wrap=True),
    Column("due_on", "Échéance", 13, editable=True),
    Column("status", "Statut", 12, editable=True),
    Column("priority", "Priorité", 11, editable=True, former=("Priorité (1 à 3)",)),
    Column("criteria", "Critères liés", 18, editable=True, wrap=True),
    Column("options", "Options liées", 14, editable=True),
    Column("uuid", "Identifiant", 38, hidden=True),
)
PARTICIPANT_COLUMNS = (
    Column("name", "Participant", 26),
    Column("college", "Collège", 18),
    Column("criterion", "Critère", 8),
    Column("level", "Niveau", 11),
    Column("comment", "Commentaire", 45, wrap=True),
    Column("evidence", "Preuves", 32, wrap=True),
    Column("priority", "Prioritaire", 11),
    Column("updated_at", "Mis à jour (UTC)", 24),
    Column("uuid", "Identifiant", 38, hidden=True),
)
# Columns that must be found for a sheet to be read at all.
REQUIRED = {
    PROFILE: ("value", "code"),
    ANSWERS: ("criterion", "level"),
    SWOT: ("code", "text"),
    OPTIONS: ("number", "text"),
    ACTIONS: ("number", "title"),
    PARTICIPANTS: ("name", "criterion", "level"),
}
COLUMNS = {PROFILE: PROFILE_COLUMNS, ANSWERS: ANSWER_COLUMNS, SWOT: SWOT_COLUMNS, OPTIONS: OPTION_COLUMNS,
           ACTIONS: ACTION_COLUMNS, PARTICIPANTS: PARTICIPANT_COLUMNS}

# Two-letter AFOM codes (Forces and Faiblesses share their initial).
SWOT_CODES = {"S": "FO", "W": "FA", "O": "OP", "T": "ME"}
SWOT_QUADRANT_OF_CODE = {v: k for k, v in SWOT_CODES.items()}
SWOT_BLANK_ROWS = {"export": 3, "template": 8}
ACTION_BLANK_ROWS = {"export": 5, "template": 12}
OPTION_BLANK_ROWS = {"export": 3, "template": 8}

YES, NO = "oui", "non"

# Pole and assessment fields on the Profil sheet: code -> (label, kind)
IDENTITY_ROWS = (
    ("pole.name", "Nom du pôle", "text"),
    ("pole.aliases", "Autres noms (un par ligne)", "lines"),
    ("pole.territory", "Territoire", "text"),
    ("pole.department", "Département (code)", "department"),
    ("pole.region", "Région", "text"),
    ("pole.creation_year", "Année de création", "year"),
    ("pole.legal_form", "Forme juridique du pôle", "text"),
    ("pole.origin", "Origine", "text"),
    ("assessment.title", "Titre de l’évaluation", "text"),
    ("assessment.started_on", "Date de début", "date"),
    ("assessment.completed_on", "Date de fin", "date"),
    ("assessment.status", "État", "assessment_status"),
    ("assessment.facilitator", "Animation (personne, structure)", "text"),
)
IDENTITY_SECTION = {"pole": "Pôle", "assessment": "Évaluation"}

META_KEYS = ("format", "format_version", "kind", "referential_id", "referential_version", "app_version",
             "pole_uuid", "assessment_uuid", "copied_from", "exported_at", "content_sha256", "template_id",
             "a_confirmer", "repris_de")


@lru_cache(maxsize=8192)
def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


def norm(text) -> str:
    """Compare labels as a person means them: no accents, no case, single spaces, ’ = '."""
    text = str(text)
    return _norm(text) if len(text) < 200 else _norm.__wrapped__(text)


def header_keys(columns) -> dict[str, str]:
    return {norm(h): c.key for c in columns for h in (*c.former, c.header)}


def swot_code(quadrant: str, index: int) -> str:
    return f"{SWOT_CODES[quadrant]}{index + 1}"
