"""French keyboard, real key events: the app runs as a subprocess on a private Xvfb with
``setxkbmap fr``; every key comes from xdotool through the X server and Qt's xcb input.

A coordinator types French in a comment (’ « » é ê ï € @, digits, n, N, ?) after reaching
it with Tab from the rating buttons, then with a click; and presses the AltGr characters
with the page focused. The database must hold the text exactly and no rating may change
except the one deliberately typed (N, the positive control that proves keys arrive).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ptce_toolkit import services as sv
from tests.helpers.xserver import xserver  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
PROBE_DIR = ROOT / "tests" / "helpers" / "xprobe"

# (character expected in the text, how a hand types it on AZERTY: ("key", keysyms…) or
# ("altgr", key, shift))
ALTGR_CHARS = [
    ("’", ("altgr", "n", True)), ("”", ("altgr", "n", False)), ("«", ("altgr", "z", False)),
    ("»", ("altgr", "x", False)), ("€", ("altgr", "e", False)), ("@", ("altgr", "agrave", False)),
    ("#", ("altgr", "quotedbl", False)), ("¹", ("altgr", "ampersand", False)),
    ("é", ("altgr_dead", "comma", "e")),  # AltGr+, is a dead acute accent
]
DEAD_KEYS = [("ê", ("key", "dead_circumflex", "e")), ("ï", ("key", "dead_diaeresis", "i"))]


def plain(text: str):
    names = {" ": "space", "?": "question", ":": "colon", "é": "eacute", "è": "egrave", "à": "agrave",
             ",": "comma", ".": "period", "1": "1", "3": "3", "0": "0"}
    return [(ch, ("key", names.get(ch, ch))) for ch in text]


def typed(seq) -> str:
    return "".join(ch for ch, _ in seq)


def perform(x, seq) -> None:
    for _ch, (kind, *args) in seq:
        if kind == "key":
            x.key(*args)
        elif kind == "altgr":
            x.altgr(args[0], shift=args[1])
        elif kind == "altgr_dead":
            x.altgr(args[0])
            x.key(args[1])
    time.sleep(0.2)


class App:
    def __init__(self, x, db_path: Path, tmp: Path):
        self.probe = tmp / "probe.json"
        env = {**x.env, "QT_QPA_PLATFORM": "xcb", "PTCE_TEST_PROBE": str(self.probe),
               "PYTHONPATH": os.pathsep.join([str(PROBE_DIR), str(ROOT)]),
               "HOME": str(tmp / "home"), "XDG_CONFIG_HOME": str(tmp / "config"),
               "PTCE_TOOLKIT_DATA": str(tmp / "donnees"), "LANG": "fr_FR.UTF-8"}
        self.log = open(tmp / "app.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "ui.app", "--db", str(db_path)], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def state(self) -> dict:
        try:
            return json.loads(self.probe.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def wait(self, condition, what: str, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"l’application s’est arrêtée ({self.proc.returncode})")
            s = self.state()
            if s and condition(s):
                return s
            time.sleep(0.05)
        raise AssertionError(f"attendu : {what} ; état : {self.state()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


@pytest.fixture
def coordinator_db(db, ref):
    pole = sv.create_pole(db, "Pôle des Deux Rives").created
    a = sv.create_assessment(db, pole, "Diagnostic 2026").created
    ids = [c.id for c in ref.criteria()]
    sv.set_answer(db, a, ids[0], level=2)
    sv.set_answer(db, a, ids[1], level=3)
    sv.set_answer(db, a, ids[5], status="unknown")
    return db, a, ids


def test_french_keyboard_real_keys(xserver, coordinator_db, tmp_path):  # noqa: F811
    db, uuid, ids = coordinator_db
    before = {c: (v.status, v.level) for c, v in sv.get_answers(db, uuid).items()}
    app = App(xserver, Path(db.path), tmp_path)
    try:
        wid = xserver.xdotool("search", "--sync", "--onlyvisible", "--name", "PTCE Toolkit").split()[0]
        xserver.xdotool("windowfocus", "--sync", wid)
        s = app.wait(lambda s: s.get("ready") and "widgets" in s, "le parcours affiché et la fenêtre active")
        first = s["current"]
        assert first == ids[0]

        # 1. the page focused (the criteria tree, then a rating button): AltGr and dead keys rate nothing
        xserver.click(*s["widgets"]["tree_current"])
        app.wait(lambda s: s["focus"] == "Domaines et critères", "l’arbre des critères a le focus")
        perform(xserver, ALTGR_CHARS + DEAD_KEYS)
        xserver.key("Escape")  # back to the rating buttons
        app.wait(lambda s: s["focus"] not in ("Domaines et critères", "Commentaire"), "un bouton de réponse a le focus")
        perform(xserver, ALTGR_CHARS + DEAD_KEYS)
        assert app.state()["current"] == first
        # positive control: capital N (Shift+N) is « sans objet », like n
        xserver.key("shift+n")

        # 2. Tab from the rating buttons to the comment, the way a keyboard user goes
        for _ in range(12):
            if app.state()["focus"] == "Commentaire":
                break
            xserver.key("Tab")
            time.sleep(0.1)
        assert app.state()["focus"] == "Commentaire"
        seq_a = (plain("N") + ALTGR_CHARS[:1] + plain("oubliez pas ") + ALTGR_CHARS[2:3] + [(" ", ("key", "space"))]
                 + plain("1er ") + ALTGR_CHARS[3:4] + plain(" : 3 ") + ALTGR_CHARS + DEAD_KEYS
                 + plain(" n N ? 0") + [("1", ("key", "KP_1"))])
        perform(xserver, seq_a)
        xserver.key("Escape")  # leaves the field (saved) and back to the levels
        app.wait(lambda s: s["focus"] != "Commentaire", "retour aux boutons de réponse")
        xserver.key("Next")  # Page suivante
        s = app.wait(lambda s: s["current"] != first, "critère suivant")
        second = s["current"]

        # 3. a click into the comment field of the next criterion
        xserver.click(*s["widgets"]["comment"])
        app.wait(lambda s: s["focus"] == "Commentaire", "le commentaire a le focus après un clic")
        seq_b = plain("Vu en ") + DEAD_KEYS + plain(" ") + ALTGR_CHARS + plain(" N n ? 4")
        perform(xserver, seq_b)
        time.sleep(0.3)
        xserver.key("ctrl+q")
        app.proc.wait(20)
    finally:
        app.stop()
    log = (tmp_path / "app.log").read_text()
    after = sv.get_answers(db, uuid)
    assert after[first].comment == typed(seq_a), log
    assert after[second].comment == typed(seq_b), log
    changed = {c: (v.status, v.level) for c, v in after.items() if (v.status, v.level) != before.get(c, ("unanswered", None))}
    assert changed == {first: ("not_applicable", None)}, log
