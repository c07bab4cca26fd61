"""The demo pole's files (JSON, PDF report, workbook), written by ``ptce demo --out`` and ``make run``."""

from __future__ import annotations

from pathlib import Path

from exports.pdf_report import write_report
from exports.xlsx_export import export_workbook
from ptce_toolkit import exchange


def write_demo_files(db, assessment_uuid: str, out: Path) -> list[Path]:
    """Write demo.json, demo.pdf and demo.xlsx into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "demo.json", out / "demo.pdf", out / "demo.xlsx"]
    exchange.export_file(db, assessment_uuid, paths[0])
    write_report(db, assessment_uuid, paths[1])
    export_workbook(db, assessment_uuid, paths[2])
    return paths
