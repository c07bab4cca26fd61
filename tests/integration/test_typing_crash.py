"""A comment typed with real key presses survives a SIGKILL, but for its last half-second.

The real app (``python -m ui.app --db …``) runs on a private Xvfb with the French (AZERTY)
layout; xdotool types a comment with accents and ’ one key every ~60 ms, without a
pause, and the app is killed (SIGKILL) at a random moment. The stored comment must be a
prefix of what was typed, missing only what was typed in the last LOSS_WINDOW_S seconds.

The runs (RUNS killed, one stopped with SIGTERM) are mostly waiting: they go at the same
time, each with its own X server, database and app, and start typing together once every
app is ready; each measures its loss against its own clock readings.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers.xapp import App, probed_zygote
from tests.helpers.xserver import altgr_args, french_xvfb, key_args, require_tools, stop

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform != "linux", reason="Xvfb et xdotool : Linux seulement")]

# é à è ç ù and ’ are keys of their own on AZERTY; ê ô (dead keys) and « : ; » (French
# typography wants a no-break space, AltGr+Shift+Espace) are left out: xdotool does not
# type them reliably
TEXT = ("Réunion à l’école du quartier, ça avance, les bénévoles sont là, été chargé, "
        "très belle soirée à la mairie, où l’équipe reçoit demain deux élèves")
KEY_INTERVAL_S = 0.06
LOSS_WINDOW_S = 0.5
RUNS = 3  # killed at random moments; bench more with a larger number
KILL_AFTER_S = (1.5, 5.0)  # after the first key
SIGTERM_AFTER_S = 2.5
# On this branch ’ (AltGr+Shift+N) typed in a text field can still fire the « N » rating
# shortcut: the ’ is lost and the criterion becomes « non applicable » (STACK_NOTES.md).
# Branch ui18 fixes it (d8e6751); once merged, set this to False and the test also checks
# that no key was taken as a shortcut.
QUOTE_MAY_BECOME_N = False


# ---------------------------------------------------------------- one run

def _new_database(folder: Path, template: Path, cache: Path) -> tuple[Path, str]:
    """A copy of the session's empty database with one assessment; the referential validated
    on the way is left in ``cache`` for the apps (PTCE_TOOLKIT_CACHE)."""
    from ptce_toolkit import referential
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database

    path = folder / "base.sqlite3"
    shutil.copyfile(template, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PTCE_TOOLKIT_DATA", str(folder / "donnees"))
        mp.setenv("PTCE_TOOLKIT_CACHE", str(cache))
        referential.reset_registry()
        db = open_database(path)
        uuid = sv.create_assessment(db, sv.create_pole(db, "Pole crash").created).created
        db.close()
        referential.reset_registry()
    return path, uuid


def _press(x, ch: str) -> None:
    if ch == "’":  # AltGr+Shift+N on AZERTY, the modifiers held a moment first as a hand does
        x.xdotool(*altgr_args("n", shift=True, hold_s=0.02))
    else:
        x.xdotool("type", "--delay", "0", "--", ch)


def _stored_answers(path: Path) -> list[tuple[str, str]]:
    """(status, comment) of every stored answer."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT status, comment FROM answer").fetchall()
    finally:
        con.close()


def _one_run(folder: Path, db: tuple[Path, str], cache: Path, kill_after: float, sig: int, start_together,
             zygote) -> dict:
    """Types TEXT into the comment of the first criterion and sends ``sig`` ``kill_after``
    seconds after the first key; ``start_together()`` is called once the app is ready."""
    path, uuid = db
    x = french_xvfb()
    try:
        app = App(x, folder, "--db", str(path), "--assessment", uuid, env={"PTCE_TOOLKIT_CACHE": str(cache)},
                  zygote=zygote)
        try:
            assert "Pole crash" in app.wait_ready()["title"]
            # walk-through page (Ctrl+2), level buttons (Échap), then the comment field (Tab)
            x.xdotool(*key_args("ctrl+2", "Escape", "Tab"))
            app.wait(lambda s: s["focus"] == "Commentaire", "le commentaire a le focus")
            start_together()
            sent: list[tuple[float, float]] = []  # each key: before and after xdotool sent it
            killed: list[float] = []
            start = time.monotonic()

            def kill():
                killed.append(time.monotonic())
                app.proc.send_signal(sig)

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
            returncode = app.proc.wait(30)
        finally:
            app.stop()
    finally:
        stop(x)
    answers = _stored_answers(path)
    # a key whose sending began before the kill may have arrived
    return {"keys": [(ch, t) for ch, t in zip(TEXT, sent) if t[0] <= killed[0]], "t_kill": killed[0],
            "stored": "".join(comment for _status, comment in answers), "kill_after": kill_after,
            "answers": len(answers), "statuses": sorted({s for s, _c in answers}), "returncode": returncode,
            "log": app.log()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, empty_template):
    """[(signal, future of the run's result)]: RUNS killed, one stopped with SIGTERM."""
    require_tools()
    zygote = probed_zygote()  # imports the app while the database is made
    try:
        rng = random.Random()
        plan = [(f"essai{n}", rng.uniform(*KILL_AFTER_S), signal.SIGKILL) for n in range(RUNS)]
        plan.append(("sigterm", SIGTERM_AFTER_S, signal.SIGTERM))
        cache = tmp_path_factory.mktemp("cache-referentiels")
        path, uuid = _new_database(tmp_path_factory.mktemp("base"), empty_template, cache)
        assert not path.with_name(path.name + "-wal").exists(), "la base copiée doit être complète en un seul fichier"
        barrier = threading.Barrier(len(plan), timeout=120)

        def run(name, kill_after, sig):
            folder = tmp_path_factory.mktemp(name)
            shutil.copyfile(path, folder / path.name)
            try:
                return _one_run(folder, (folder / path.name, uuid), cache, kill_after, sig, barrier.wait, zygote)
            except BaseException:
                barrier.abort()  # the others do not wait for this one
                raise

        with ThreadPoolExecutor(len(plan)) as pool:
            return [(sig, pool.submit(run, name, kill_after, sig)) for name, kill_after, sig in plan]
    finally:
        zygote.close()


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


def _results(runs: list, sig: int) -> list[dict]:
    """The results of the runs stopped by ``sig``; when a run failed, what went wrong in the
    first run that failed (the others only stopped waiting for it)."""
    errors = [f.exception() for _s, f in runs if f.exception() is not None]
    for error in errors:
        if not isinstance(error, threading.BrokenBarrierError):
            raise error
    if errors:
        raise errors[0]
    return [f.result() for s, f in runs if s == sig]


def test_sigterm_while_typing_saves_the_text_and_exits(runs):
    [r] = _results(runs, signal.SIGTERM)
    _check_keys(r)
    assert r["returncode"] == 0, r["log"]
    assert r["typed"].startswith(r["stored"]), r
    assert r["lost_s"] <= 0.1, r  # only a key still on its way when the signal came


def test_sigkill_while_typing_loses_at_most_the_last_half_second(runs):
    results = _results(runs, signal.SIGKILL)
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
