"""LibreOffice Calc as the client: a real soffice, fr-FR, driven through UNO.

``LibreOffice()`` starts one headless soffice listening on a private pipe, with a private
profile whose locale is fr-FR (so « 32,5 % » and « 152 000 » are read the French way) and
which always recalculates on load. ``edit(path, ops)`` runs a list of operations in the
system python (python3-uno) through ``lo_uno_driver.py`` and returns their results.
One instance per test module: soffice is heavy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).with_name("lo_uno_driver.py")
XLSX, ODS = "Calc MS Excel 2007 XML", "calc8"

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
<item oor:path="/org.openoffice.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def available() -> bool:
    if SOFFICE is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


class LibreOffice:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ptce_lo_client_"))
        user = self.dir / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
        self.pipe = f"ptce_{uuid.uuid4().hex[:12]}"
        env = {**os.environ, "LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8"}
        env.pop("PYTHONPATH", None)
        self.proc = subprocess.Popen(
            [SOFFICE, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"-env:UserInstallation=file://{self.dir / 'profile'}", f"--accept=pipe,name={self.pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def run(self, ops: list[dict], timeout: float = 180) -> list:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        for attempt in range(2):  # python3-uno sometimes crashes on connecting: once more
            done = subprocess.run([SYSTEM_PYTHON, str(DRIVER), self.pipe], input=json.dumps(ops),
                                  capture_output=True, text=True, timeout=timeout, env=env)
            if done.returncode == 0 or done.stdout.strip() or done.stderr.strip():
                break
        if done.returncode != 0:
            raise RuntimeError(f"pilote LibreOffice en échec (code {done.returncode}, soffice "
                               f"{'arrêté' if self.proc.poll() is not None else 'actif'}) :\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)

    def edit(self, path: str | Path, ops: list[dict], *, save: list[tuple[str | Path, str]] = ()) -> list:
        """Open ``path``, apply ``ops``, save under each (path, filter), close; the ops' results."""
        seq = [{"op": "open", "path": str(Path(path).resolve())}, *[dict(o) for o in ops]]
        seq += [{"op": "save", "path": str(Path(p).resolve()), "filter": f} for p, f in save]
        seq.append({"op": "close"})
        return self.run(seq)[1:len(ops) + 1]

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def type_(sheet: str, cell: str, text: str) -> dict:
    return {"op": "type", "sheet": sheet, "cell": cell, "text": text}


def delete_row(sheet: str, row: int) -> dict:
    return {"op": "delete_row", "sheet": sheet, "row": row}


def sort(sheet: str, area: str, column: int, descending: bool = False) -> dict:
    return {"op": "sort", "sheet": sheet, "area": area, "column": column, "descending": descending}


def read(sheet: str, cell: str) -> dict:
    return {"op": "read", "sheet": sheet, "cell": cell}


def wait_gone(proc: subprocess.Popen, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while proc.poll() is None and time.monotonic() < end:
        time.sleep(0.1)
