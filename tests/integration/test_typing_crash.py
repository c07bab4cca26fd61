"""A comment typed with real key presses survives a SIGKILL, but for its last half-second.

The real app (``python -m ui.app --db …``) runs on a private Xvfb with the French (AZERTY)
layout; xdotool types a comment with accents and ’ one key every ~60 ms, without a
pause, and the app is killed (SIGKILL) at a random moment. The stored comment must be a
prefix of what was typed, missing only what was typed in the last LOSS_WINDOW_S seconds.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform != "linux", reason="Xvfb et xdotool : Linux seulement")]

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "xdotool", "setxkbmap")
# é à è ç ù and ’ are keys of their own on AZERTY; ê ô (dead keys) and « : ; » (French
# typography wants a no-break space, AltGr+Shift+Espace) are left out: xdotool does not
# type them reliably
TEXT = ("Réunion à l’école du quartier, ça avance, les bénévoles sont là, été chargé, "
        "très belle soirée à la mairie, où l’équipe reçoit demain deux élèves")
KEY_INTERVAL_S = 0.06
LOSS_WINDOW_S = 0.5
RUNS = 3  # ≈ 8 s each (start-up, typing); bench more with a larger number
# On this branch ’ (AltGr+Shift+N) typed in a text field can still fire the « N » rating
# shortcut: the ’ is lost and the criterion becomes « non applicable » (STACK_NOTES.md).
# Branch ui18 fixes it (d8e6751); once merged, set this to False and the test also checks
# that no key was taken as a shortcut.
QUOTE_MAY_BECOME_N = False


# ---------------------------------------------------------------- a private X server
# (tests/helpers/xserver.py, written for the keyboard tests, does the same; to be unified)

class _X:
    def __init__(self, display: str, process: subprocess.Popen):
        self.display, self.process = display, process
        self.env = {**os.environ, "DISPLAY": display}
        self.env.pop("WAYLAND_DISPLAY", None)

    def run(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(list(args), env=self.env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} : {done.stderr.strip()}")
        return done.stdout


def _start_xvfb() -> _X:
    for n in range(150, 190):
        if os.path.exists(f"/tmp/.X11-unix/X{n}") or os.path.exists(f"/tmp/.X{n}-lock"):
            continue
        proc = subprocess.Popen(["Xvfb", f":{n}", "-noreset", "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        x = _X(f":{n}", proc)
        end = time.monotonic() + 10
        while time.monotonic() < end and proc.poll() is None:
            if subprocess.run(["setxkbmap", "-display", x.display, "-query"], env=x.env,
                              capture_output=True).returncode == 0:
                # the layout only sticks once the server answers (STACK_NOTES.md)
                x.run("setxkbmap", "-display", x.display, "fr")
                assert "layout:     fr" in x.run("setxkbmap", "-display", x.display, "-query")
                return x
            time.sleep(0.05)
        proc.kill()
        proc.wait()
    raise RuntimeError("Xvfb n’a pas démarré")


@pytest.fixture(scope="module")
def xserver():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip("X réel indisponible, outils absents : " + ", ".join(missing))
    x = _start_xvfb()
    yield x
    x.process.terminate()
    x.process.wait(10)


# ---------------------------------------------------------------- one run

def _new_database(folder: Path) -> tuple[Path, str]:
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database

    db = open_database(folder / "base.sqlite3")
    uuid = sv.create_assessment(db, sv.create_pole(db, "Pole crash").created).created
    db.close()
    return folder / "base.sqlite3", uuid


def _press(x: _X, ch: str) -> None:
    if ch == "’":  # AltGr+Shift+N on AZERTY, the modifiers held a moment first as a hand does
        x.run("xdotool", "keydown", "ISO_Level3_Shift", "sleep", "0.02", "keydown", "shift", "sleep", "0.02",
              "key", "n", "keyup", "shift", "keyup", "ISO_Level3_Shift")
    else:
        x.run("xdotool", "type", "--delay", "0", "--", ch)


def _stored_answers(path: Path) -> list[tuple[str, str]]:
    """(status, comment) of every stored answer."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT status, comment FROM answer").fetchall()
    finally:
        con.close()


def _one_run(x: _X, folder: Path, kill_after: float, sig: int = signal.SIGKILL) -> dict:
    path, uuid = _new_database(folder)
    home = folder / "home"
    env = {**x.env, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "QT_QPA_PLATFORM": "xcb",
           "PTCE_TOOLKIT_DATA": str(folder / "donnees"), "PYTHONPATH": str(ROOT)}
    log = folder / "app.log"
    with open(log, "wb") as out:
        app = subprocess.Popen([sys.executable, "-m", "ui.app", "--db", str(path), "--assessment", uuid],
                               cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        window = x.run("xdotool", "search", "--sync", "--onlyvisible", "--name", "Pole crash", timeout=90).split()[0]
        x.run("xdotool", "windowfocus", "--sync", window)
        time.sleep(0.3)
        # walk-through page (Ctrl+2), level buttons (Échap), then the comment field (Tab)
        for key in ("ctrl+2", "Escape", "Tab"):
            x.run("xdotool", "key", key)
            time.sleep(0.3)
        sent: list[tuple[float, float]] = []  # each key: before and after xdotool sent it
        killed: list[float] = []
        start = time.monotonic()

        def kill():
            killed.append(time.monotonic())
            app.send_signal(sig)

        timer = threading.Timer(kill_after, kill)
        timer.start()
        for i, ch in enumerate(TEXT):
            time.sleep(max(0.0, start + i * KEY_INTERVAL_S - time.monotonic()))
            if killed:
                break
            before = time.monotonic()
            _press(x, ch)
            sent.append((before, time.monotonic()))
        timer.join()
        returncode = app.wait(30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    answers = _stored_answers(path)
    # a key whose sending began before the kill may have arrived
    return {"keys": [(ch, t) for ch, t in zip(TEXT, sent) if t[0] <= killed[0]], "t_kill": killed[0],
            "stored": "".join(comment for _status, comment in answers), "kill_after": kill_after,
            "answers": len(answers), "statuses": sorted({s for s, _c in answers}), "returncode": returncode,
            "log": log.read_text(errors="replace")[-2000:]}


def _loss(r: dict) -> float:
    """Seconds of typing missing from the database: from the first key not stored (once sent)
    to the kill."""
    keys, stored = r["keys"], r["stored"]
    return max(0.0, r["t_kill"] - keys[len(stored)][1][1]) if len(stored) < len(keys) else 0.0


def _check_keys(r: dict) -> None:
    """One answer with the comment only (no key taken as a shortcut), and what was typed."""
    assert r["answers"] <= 1, r
    if r["statuses"] == ["not_applicable"] and QUOTE_MAY_BECOME_N:
        r["keys"] = [k for k in r["keys"] if k[0] != "’"]  # the known bug above, not a lost save
    else:
        assert r["statuses"] in ([], ["unanswered"]), r
    r["typed"] = "".join(ch for ch, _t in r["keys"])
    r["lost_s"] = _loss(r)


def test_sigterm_while_typing_saves_the_text_and_exits(xserver, tmp_path):
    r = _one_run(xserver, tmp_path, 2.5, signal.SIGTERM)
    _check_keys(r)
    assert r["returncode"] == 0, r["log"]
    assert r["typed"].startswith(r["stored"]), r
    assert r["lost_s"] <= 0.1, r  # only a key still on its way when the signal came


def test_sigkill_while_typing_loses_at_most_the_last_half_second(xserver, tmp_path):
    rng = random.Random()
    results = []
    for n in range(RUNS):
        folder = tmp_path / f"essai{n}"
        folder.mkdir()
        results.append(_one_run(xserver, folder, rng.uniform(1.5, 5.0)))
    for r in results:
        _check_keys(r)
    report = "\n".join(f"tué après {r['kill_after']:.2f} s : {len(r['typed'])} caractères tapés, "
                       f"{len(r['stored'])} enregistrés, {r['lost_s'] * 1000:.0f} ms de frappe perdus"
                       for r in results)
    print("\n" + report)
    for r in results:
        assert r["typed"].startswith(r["stored"]), (r, report)
        assert r["lost_s"] <= LOSS_WINDOW_S, report
    # the keys really reached the comment field (focus, layout) in every run
    assert all(len(r["stored"]) >= 10 for r in results), report
