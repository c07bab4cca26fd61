"""LibreOffice headless as an independent oracle: recalculates workbooks, renders them.

LibreOffice trusts cached formula values by default; the profile written here sets
``OOXMLRecalcMode=0`` (always recalculate) so what we read is LibreOffice's own result.
One profile per process, so parallel test runs do not share a lock.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _profile() -> Path:
    prof = Path(tempfile.gettempdir()) / f"ptce_lo_profile_{os.getpid()}"
    user = prof / "user"
    if not (user / "registrymodifications.xcu").exists():
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    return prof


def convert(path: str | Path, fmt: str, outdir: str | Path, timeout: int = 120) -> None:
    if SOFFICE is None:
        raise RuntimeError("soffice absent")
    cmd = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{_profile()}",
           "--convert-to", fmt, "--outdir", str(outdir), str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)


def sheets_as_csv(path: str | Path, outdir: str | Path) -> dict[str, list[list[str]]]:
    """Every sheet recalculated by LibreOffice, as rows of displayed strings, by sheet name."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    convert(path, CSV_FILTER, outdir)
    stem = Path(path).stem
    out = {}
    for f in outdir.glob(f"{stem}-*.csv"):
        with open(f, newline="", encoding="utf-8") as fh:
            out[f.stem[len(stem) + 1:]] = list(csv.reader(fh))
    return out


def roundtrip_xlsx(path: str | Path, outdir: str | Path) -> Path:
    """Open and save again with LibreOffice (what a person does with « Enregistrer »)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    convert(path, "xlsx:Calc MS Excel 2007 XML", outdir)
    return outdir / (Path(path).stem + ".xlsx")
