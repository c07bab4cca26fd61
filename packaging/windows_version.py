"""Windows version resource of the two executables, from pyproject.toml's version."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATE = """VSVersionInfo(
  ffi=FixedFileInfo(filevers={quad}, prodvers={quad}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040C04B0', [
      StringStruct('CompanyName', 'PTCE Toolkit'),
      StringStruct('FileDescription', 'PTCE Toolkit — autodiagnostic des PTCE'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'ptce-toolkit'),
      StringStruct('ProductName', 'PTCE Toolkit'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [0x040C, 1200])])
  ]
)
"""


def quad(version: str) -> tuple[int, int, int, int]:
    """'1.2.3' or '1.2.3rc1' → (1, 2, 3, 0): Windows wants four integers."""
    numbers = [int(m.group()) if (m := re.match(r"\d+", part)) else 0 for part in version.split(".")[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])


def write(path: Path, version: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(quad=quad(version), version=version), encoding="utf-8")
    return str(path)
