"""The real app (``python -m ui.app``) as a subprocess on a private X server, watched by the
test probe (tests/helpers/xprobe/sitecustomize.py): the test waits for what the probe reports
(window ready, focus, text of the comment) instead of sleeping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.app_zygote import Zygote

ROOT = Path(__file__).resolve().parents[2]
PROBE_DIR = ROOT / "tests" / "helpers" / "xprobe"


def probed_zygote() -> Zygote:
    """A zygote (tests/helpers/app_zygote.py) whose apps carry the probe; ``close()`` it."""
    return Zygote({**os.environ, "PTCE_TEST_PROBE": os.devnull,
                   "PYTHONPATH": os.pathsep.join([str(PROBE_DIR), str(ROOT)])})


class App:
    def __init__(self, x, folder: Path, *args: str, env: dict[str, str] | None = None, zygote=None):
        """Starts ``python -m ui.app *args`` on the X server ``x`` (tests/helpers/xserver.py), its
        home, settings, data folder, probe file and log in ``folder``; ``env`` adds variables.
        With ``zygote`` (``probed_zygote()``), the app is forked from it instead."""
        self.x = x
        self.probe = folder / "probe.json"
        self.log_path = folder / "app.log"
        env = {**os.environ, "DISPLAY": x.display, "QT_QPA_PLATFORM": "xcb", "PTCE_TEST_PROBE": str(self.probe),
               "PYTHONPATH": os.pathsep.join([str(PROBE_DIR), str(ROOT)]),
               "HOME": str(folder / "home"), "XDG_CONFIG_HOME": str(folder / "config"),
               "PTCE_TOOLKIT_DATA": str(folder / "donnees"), "LANG": "fr_FR.UTF-8", **(env or {})}
        env.pop("WAYLAND_DISPLAY", None)
        if zygote is not None:
            self.proc = zygote.start(args, env, self.log_path)
            return
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "ui.app", *args], cwd=ROOT, env=env,
                                         stdout=log, stderr=subprocess.STDOUT)

    def state(self) -> dict:
        try:
            return json.loads(self.probe.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def wait(self, condition, what: str, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"l’application s’est arrêtée ({self.proc.returncode}) : {self.log()}")
            s = self.state()
            if s and condition(s):
                return s
            time.sleep(0.01)
        raise AssertionError(f"attendu : {what} ; état : {self.state()}")

    def wait_ready(self, timeout: float = 60) -> dict:
        """Gives the window the focus once it is shown (the X server has no window manager), then
        waits for the walk-through shown in the active window, the services loaded (the
        navigator filled in) and the widgets no longer moving (two reports 0.1 s apart)."""
        end = time.monotonic() + timeout
        s = self.wait(lambda s: s.get("window"), "la fenêtre affichée", timeout)
        while True:
            try:
                self.x.xdotool("windowfocus", "--sync", str(s["window"]), timeout=max(1.0, end - time.monotonic()))
                break
            except RuntimeError:  # shown but not mapped yet by the X server
                if time.monotonic() > end:
                    raise
                time.sleep(0.02)
        previous: dict = {}
        while True:
            s = self.wait(lambda s: s.get("ready") and s.get("loaded") and "widgets" in s,
                          "le parcours affiché, la fenêtre active et les services chargés",
                          max(0.1, end - time.monotonic()))
            if s["widgets"] == previous.get("widgets"):
                return s
            previous = s
            time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
