"""LibreOffice Calc as the client: a real soffice, fr-FR, driven through UNO.

``LibreOffice()`` starts one headless soffice listening on a private pipe, with a private
profile whose locale is fr-FR (so « 32,5 % » and « 152 000 » are read the French way) and
which always recalculates on load, and one ``lo_uno_driver.py`` process in the system python
(python3-uno) connected to it once. ``edit(path, ops)`` runs a list of operations there and
returns their results; ``convert`` stores a copy with an export filter, as
``soffice --convert-to`` does (``lo_oracle`` reads LibreOffice's recalculation that way).

soffice is heavy (seconds to start): ``shared()`` is the one instance of the test process,
ended at exit (the ``lo`` fixture of tests/integration/conftest.py ends it with the session).
If soffice or the driver dies, the next request starts them again instead of failing.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import select
import shutil
import signal
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
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


@functools.cache
def available() -> bool:
    if SOFFICE is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


class OfficeGone(RuntimeError):
    """soffice or the driver stopped while answering: started again for the next request."""


class LibreOffice:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ptce_lo_client_"))
        user = self.dir / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
        self.proc: subprocess.Popen | None = None
        self.driver: subprocess.Popen | None = None
        self.starts = 0
        self._buffer = b""

    # ------------------------------------------------------------ processes

    def alive(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self.proc, self.driver))

    def start(self) -> None:
        """Start soffice and the driver unless they run; returns at once (the driver waits for
        soffice to listen, the first request waits for the driver)."""
        if not self.alive():
            self._start()

    def _start(self) -> None:
        self._stop()
        self.starts += 1
        pipe = f"ptce_{uuid.uuid4().hex[:12]}"  # a new pipe: a dying soffice may still hold the old one
        # the locale is the profile's (fr-FR); the process's must encode file names as UTF-8
        # (« stem-Réponses.csv »), and fr_FR.UTF-8 is often not generated: C.UTF-8 always is
        # its temporary files in this client's folder: a killed soffice leaves its « lu*.tmp » folders
        # behind (900 of them had piled up in /tmp), and close() removes this folder
        (self.dir / "tmp").mkdir(exist_ok=True)
        env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": str(self.dir / "tmp")}
        env.pop("PYTHONPATH", None)
        # its own process group: soffice (a script, then oosplash) forks soffice.bin, ended with it
        self.proc = subprocess.Popen(
            [SOFFICE, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"-env:UserInstallation=file://{self.dir / 'profile'}", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        with open(self.dir / "driver.log", "ab") as log:
            self.driver = subprocess.Popen([SYSTEM_PYTHON, str(DRIVER), pipe], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=log, env=env)
        self._buffer = b""

    def _stop(self) -> None:
        if self.driver is not None:
            with contextlib.suppress(BrokenPipeError):
                self.driver.stdin.close()
            try:
                self.driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.driver.kill()
                self.driver.wait()
            self.driver.stdout.close()
            self.driver = None
        if self.proc is not None:
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, None)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            self.proc.wait()
            self.proc = None

    def _readline(self, deadline: float) -> bytes:
        out = self.driver.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                raise TimeoutError("LibreOffice ne répond pas")
            chunk = os.read(out, 1 << 16)
            if not chunk:
                raise OfficeGone("le pilote LibreOffice s’est arrêté")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _ask(self, ops: list[dict], timeout: float) -> list:
        try:
            self.driver.stdin.write(json.dumps(ops).encode() + b"\n")
            self.driver.stdin.flush()
        except BrokenPipeError as exc:
            raise OfficeGone("le pilote LibreOffice s’est arrêté") from exc
        try:
            answer = json.loads(self._readline(time.monotonic() + timeout))
        except TimeoutError:
            self._stop()
            raise
        if "error" in answer:
            # the bridge reports soffice's death as a UNO exception, maybe before soffice is reaped
            if not self.alive() or "DisposedException" in answer["error"]:
                raise OfficeGone(answer["error"])
            raise RuntimeError(f"LibreOffice a refusé l’opération :\n{answer['error'][-3000:]}")
        return answer["ok"]

    def run(self, ops: list[dict], timeout: float = 180) -> list:
        """Results of ``ops``; soffice (or the driver) found dead is started again, and a request
        it died during is sent once more to new ones (every request opens its file and saves
        new ones)."""
        for attempt in range(2):
            if attempt or not self.alive():
                self._start()
            try:
                return self._ask(ops, timeout)
            except OfficeGone as exc:
                gone = exc
        log = (self.dir / "driver.log").read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"LibreOffice s’est arrêté deux fois de suite : {gone}\n{log[-3000:]}")

    # ------------------------------------------------------------- requests

    def edit(self, path: str | Path, ops: list[dict], *, save: list[tuple[str | Path, str]] = ()) -> list:
        """Open ``path``, apply ``ops``, save under each (path, filter), close; the ops' results."""
        seq = [{"op": "open", "path": str(Path(path).resolve())}, *[dict(o) for o in ops]]
        seq += [save_as(p, f) for p, f in save]
        return self.run(seq)[1:len(ops) + 1]

    def convert(self, path: str | Path, target: str | Path, filter: str, options: str | None = None) -> None:
        """Open ``path`` (recalculated on load) and store it as ``target`` with ``filter``."""
        self.run([{"op": "open", "path": str(Path(path).resolve())}, save_as(target, filter, options)])

    def close(self) -> None:
        self._stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_shared: LibreOffice | None = None


def shared() -> LibreOffice:
    """This process's LibreOffice, started on first use, ended at exit."""
    global _shared
    if _shared is None:
        _shared = LibreOffice()
    return _shared


@atexit.register
def close_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.close()
        _shared = None


def type_(sheet: str, cell: str, text: str) -> dict:
    return {"op": "type", "sheet": sheet, "cell": cell, "text": text}


def delete_row(sheet: str, row: int) -> dict:
    return {"op": "delete_row", "sheet": sheet, "row": row}


def sort(sheet: str, area: str, column: int, descending: bool = False) -> dict:
    return {"op": "sort", "sheet": sheet, "area": area, "column": column, "descending": descending}


def save_as(path: str | Path, filter: str, options: str | None = None) -> dict:
    """Store a copy of the document as it is now (it stays open for the next operations)."""
    return {"op": "save", "path": str(Path(path).resolve()), "filter": filter, "options": options}


def read(sheet: str, cell: str) -> dict:
    return {"op": "read", "sheet": sheet, "cell": cell}
