"""French keyboard, real key events: the app runs as a subprocess on a private Xvfb with
``setxkbmap fr``; every key comes from xdotool through the X server and Qt's xcb input.

A coordinator types French in a comment (’ « » é ê ï € @, digits, n, N, ?) after reaching
it with Tab from the rating buttons, then with a click; and presses the AltGr characters
with the page focused. The database must hold the text exactly and no rating may change
except the one deliberately typed (N, the positive control that proves keys arrive).
"""

from __future__ import annotations

import pytest

from ptce_toolkit import services as sv
from tests.helpers.xapp import App
from tests.helpers.xserver import altgr_args, key_args, xserver  # noqa: F401  (fixture)

# (character expected in the text, how a hand types it on AZERTY: ("key", keysyms…) or
# ("altgr", key, shift))
ALTGR_CHARS = [
    ("’", ("altgr", "n", True)), ("”", ("altgr", "n", False)), ("«", ("altgr", "z", False)),
    ("»", ("altgr", "x", False)), ("€", ("altgr", "e", False)), ("@", ("altgr", "agrave", False)),
    ("#", ("altgr", "quotedbl", False)), ("¹", ("altgr", "ampersand", False)),
    ("é", ("altgr_dead", "comma", "e")),  # AltGr+, is a dead acute accent
]
# between two key events; the keys are handled in the order the X server got them, whatever the pace
KEY_DELAY_MS = 5
DEAD_KEYS = [("ê", ("key", "dead_circumflex", "e")), ("ï", ("key", "dead_diaeresis", "i"))]


def plain(text: str):
    names = {" ": "space", "?": "question", ":": "colon", "é": "eacute", "è": "egrave", "à": "agrave",
             ",": "comma", ".": "period", "1": "1", "3": "3", "0": "0"}
    return [(ch, ("key", names.get(ch, ch))) for ch in text]


def typed(seq) -> str:
    return "".join(ch for ch, _ in seq)


def perform(x, seq) -> None:
    """Types ``seq`` with one xdotool process: the keys still go one by one through the X server."""
    args: list[str] = []
    for _ch, (kind, *keys) in seq:
        if kind == "key":
            args += key_args(*keys, delay_ms=KEY_DELAY_MS)
        elif kind == "altgr":
            args += altgr_args(keys[0], shift=keys[1], delay_ms=KEY_DELAY_MS)
        elif kind == "altgr_dead":
            args += altgr_args(keys[0], delay_ms=KEY_DELAY_MS) + key_args(keys[1], delay_ms=KEY_DELAY_MS)
    x.xdotool(*args)


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
    app = App(xserver, tmp_path, "--db", str(db.path))
    try:
        s = app.wait_ready()
        assert "PTCE Toolkit" in s["title"]
        first = s["current"]
        assert first == ids[0]

        # 1. the page focused (the criteria tree, then a rating button): AltGr and dead keys rate nothing
        xserver.click(*s["widgets"]["tree_current"])
        app.wait(lambda s: s["focus"] == "Domaines et critères", "l’arbre des critères a le focus")
        perform(xserver, ALTGR_CHARS + DEAD_KEYS)
        xserver.key("Escape")  # back to the rating buttons (the keys before it are handled first)
        app.wait(lambda s: s["focus"] not in ("Domaines et critères", "Commentaire"), "un bouton de réponse a le focus")
        perform(xserver, ALTGR_CHARS + DEAD_KEYS)
        # positive control: capital N (Shift+N) is « sans objet », like n
        xserver.key("shift+n")

        # 2. Tab from the rating buttons to the comment, the way a keyboard user goes
        s = app.state()
        for _ in range(12):
            if s["focus"] == "Commentaire":
                break
            xserver.key("Tab")
            s = app.wait(lambda t, n=s["focus_changes"]: t["focus_changes"] > n, "le focus passe au suivant")
        assert s["focus"] == "Commentaire"
        assert s["current"] == first  # no key above moved to another criterion
        seq_a = (plain("N") + ALTGR_CHARS[:1] + plain("oubliez pas ") + ALTGR_CHARS[2:3] + [(" ", ("key", "space"))]
                 + plain("1er ") + ALTGR_CHARS[3:4] + plain(" : 3 ") + ALTGR_CHARS + DEAD_KEYS
                 + plain(" n N ? 0") + [("1", ("key", "KP_1"))])
        perform(xserver, seq_a)
        app.wait(lambda s: s["comment"] == typed(seq_a), f"le commentaire {typed(seq_a)!r}", timeout=10)
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
        app.wait(lambda s: s["comment"] == typed(seq_b), f"le commentaire {typed(seq_b)!r}", timeout=10)
        xserver.key("ctrl+q")
        app.proc.wait(20)
    finally:
        app.stop()
    log = app.log()
    after = sv.get_answers(db, uuid)
    assert after[first].comment == typed(seq_a), log
    assert after[second].comment == typed(seq_b), log
    changed = {c: (v.status, v.level) for c, v in after.items() if (v.status, v.level) != before.get(c, ("unanswered", None))}
    assert changed == {first: ("not_applicable", None)}, log
