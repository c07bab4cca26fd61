"""LibreOffice as an independent oracle: recalculates workbooks, renders them.

LibreOffice trusts cached formula values by default; the profile of ``lo_client`` sets
``OOXMLRecalcMode=0`` (always recalculate) so what we read is LibreOffice's own result.
The conversions run in this process's one soffice (``lo_client.shared()``), through UNO,
with the export filters ``soffice --convert-to`` uses.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.helpers import lo_client

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
_FILTERS = {"csv": "Text - txt - csv (StarCalc)", "ods": lo_client.ODS, "xlsx": lo_client.XLSX}


def convert(path: str | Path, fmt: str, outdir: str | Path) -> None:
    """``soffice --convert-to fmt --outdir outdir path``: ``fmt`` is « ext[:filter[:options]] »;
    the CSV filter with sheet -1 writes one file per sheet, « stem-Sheet.csv »."""
    ext, _, rest = fmt.partition(":")
    name, _, options = rest.partition(":")
    Path(outdir).mkdir(parents=True, exist_ok=True)
    target = Path(outdir) / f"{Path(path).stem}.{ext}"
    lo_client.shared().convert(path, target, name or _FILTERS[ext], options or None)


def number(text: str) -> float | None:
    """A number of that CSV as LibreOffice fr-FR writes it (« 2,25 », « 95,6521739130435% »);
    None for an empty cell."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def sheets_as_csv(path: str | Path, outdir: str | Path) -> dict[str, list[list[str]]]:
    """Every sheet recalculated by LibreOffice, as rows of strings by sheet name (numbers unrounded,
    written the French way: read them with ``number``)."""
    outdir = Path(outdir)
    convert(path, CSV_FILTER, outdir)
    stem = Path(path).stem
    out = {}
    for f in outdir.glob(f"{stem}-*.csv"):
        with open(f, newline="", encoding="utf-8") as fh:
            out[f.stem[len(stem) + 1:]] = list(csv.reader(fh))
    return out


def roundtrip_xlsx(path: str | Path, outdir: str | Path) -> Path:
    """Open and save again with LibreOffice (what a person does with « Enregistrer »)."""
    convert(path, "xlsx:Calc MS Excel 2007 XML", outdir)
    return Path(outdir) / (Path(path).stem + ".xlsx")
