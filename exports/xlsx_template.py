"""``ptce template``: the export layout, blank, for poles that fill it in Excel.

Each questionnaire gets fresh pole and assessment uuids in ``_meta``: importing the same
filled file twice updates the same assessment instead of creating a second one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exports.xlsx_export import build_workbook, save_workbook
from ptce_toolkit import referential as ref_mod
from ptce_toolkit.models import new_uuid
from ptce_toolkit.snapshot import AssessmentData, PoleData, Snapshot


def blank_snapshot(ref: ref_mod.Referential, pole_name: str | None = None) -> Snapshot:
    return Snapshot(pole=PoleData(new_uuid(), (pole_name or "").strip()),
                    assessment=AssessmentData(new_uuid(), f"Auto-diagnostic {date.today().year}", ref.id,
                                              ref.version))


def write_template(path: str | Path, pole_name: str | None = None, *,
                   ref: ref_mod.Referential | None = None, progress=None) -> Path:
    ref = ref or ref_mod.default()
    wb = build_workbook(blank_snapshot(ref, pole_name), ref, kind="template", progress=progress)
    return save_workbook(wb, path)
