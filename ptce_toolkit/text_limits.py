"""How long a stored text may be, defined once.

The exchange format (schemas/assessment.schema.json) says how long each text may be; every
text also goes into one workbook cell, which holds at most 32,767 characters counted after
the workbook's escapes. The services check each text they store against both, so whatever
the app holds, its JSON and workbook exports import again; the JSON import checks the same
limits through the schema and ``cell_length``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from ptce_toolkit import fmt

# Excel holds at most 32,767 characters per cell, counted after the workbook's escapes (a
# control character or a literal « _xHHHH_ » takes 7 characters there, see exports/xlsx_cells.py).
MAX_CELL_CHARS = 32_767

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "assessment.schema.json"

# What a workbook cell stores escaped as « _xHHHH_ » (exports/xlsx_cells.py encodes with it).
CELL_ESCAPED = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ASTRAL = re.compile(r"[\U00010000-\U0010ffff]")


def cell_length(text: str) -> int:
    """Length of ``text`` once written to a workbook cell: escapes included, and a
    character beyond U+FFFF (an emoji) counted twice, as Excel counts UTF-16 units."""
    return len(text) + 6 * len(CELL_ESCAPED.findall(text)) + len(_ASTRAL.findall(text))


def max_length(*path: str) -> int:
    """The schema's maxLength of the text at ``path`` (property names; « [] » for an array's
    items, « * » for any key of an object), e.g. ``max_length("pole", "aliases", "[]")``."""
    return schema_limit("maxLength", *path)


def max_items(*path: str) -> int:
    """The schema's maxItems of the list at ``path``, e.g. ``max_items("participants")``."""
    return schema_limit("maxItems", *path)


def max_figure() -> int:
    """The largest profile figure, in absolute value (euros, people…: beyond, a typo)."""
    return schema_limit("maximum", "assessment", "profile", "*", "value")


@cache
def schema_limit(keyword: str, *path: str) -> int:
    """The schema's ``keyword`` (maxLength, maxItems) at ``path``. Kept per path: the schema
    is read once for each of the few paths asked."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    node = schema["properties"]
    for i, key in enumerate(path):
        if key == "[]":
            node = node["items"]
        elif key == "*":
            node = node["additionalProperties"]
        else:
            node = (node.get("properties", node) if i else node)[key]
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return int(node[keyword])


def length_problem(text: str, label: str, *path: str) -> str | None:
    """Why ``text`` is too long to be stored as the text at ``path`` (French, starting with
    ``label``, a noun phrase: « Nom du pôle »), or None."""
    limit = max_length(*path)
    if len(text) > limit:
        return (f"{label}\u00a0: texte trop long ({fmt.number(len(text))} {fmt.plural(len(text), 'caractère', 'caractères')}, "
                f"au plus {fmt.number(limit)}).")
    if len(text) > MAX_CELL_CHARS // 8 and cell_length(text) > MAX_CELL_CHARS:
        return (f"{label}\u00a0: texte trop long pour une cellule de classeur ({fmt.number(cell_length(text))} "
                f"caractères une fois les caractères de contrôle notés, au plus {fmt.number(MAX_CELL_CHARS)}).")
    return None
