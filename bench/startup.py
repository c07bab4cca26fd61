"""Start-up and rating latency of the desktop app. Prints figures; asserts nothing.

1. Process start → first window shown (window exposed on screen), → the assessment open
   last time reopened, → time to work: the walk-through shown and a level key recorded;
   median of several cold starts (a new Python process each time), with the peak RSS.
   On the demo database and on a network's database (100 poles × 5 assessments).
   Targets: first window ≤ 0.6 s, time to work ≤ 0.8 s, RSS ≤ 250 MB (2-core machine).
2. Key press on a level in the walk-through → answer committed to the database.
   Target: ≤ 20 ms.

Usage: ``python bench/startup.py [--runs 7] [--presses 200]``. Uses the X display when
there is one (``xvfb-run -a python bench/startup.py``), else Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(db_path: str, uuid: str) -> None:
    """One start of the app, as ``ui.app.main`` does it, reporting wall-clock times.
    ``uuid`` « - »: no --assessment, the app reopens the assessment open last time."""
    sys.path.insert(0, str(ROOT))
    import resource

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.app import install_translators, make_application
    from ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    install_translators(app, "fr")
    window = MainWindow(db_path, None if uuid == "-" else uuid)
    window.show()
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        QApplication.processEvents()
    shown = time.time()
    loaded = []
    window.loaded.connect(lambda: loaded.append(time.time()))
    window.start_loading()
    deadline = time.time() + 60
    while not loaded and time.time() < deadline:
        QApplication.processEvents()
        time.sleep(0.001)
    # time to work: the walk-through is on screen and takes a rating key
    page = dict.get(window.pages, "walkthrough")
    while (page is None or not page.isVisible()) and time.time() < deadline:
        QApplication.processEvents()
        page = dict.get(window.pages, "walkthrough")
    page.tree.setFocus()
    target = page.current
    level = 3 if window.doc.answer(target).level != 3 else 2
    QTest.sendKeyEvent(QTest.KeyAction.Click, page.tree, Qt.Key.Key_unknown, str(level), Qt.KeyboardModifier.NoModifier)
    keyed = time.time() if window.doc.answer(target).level == level else None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"shown": shown, "loaded": loaded[0] if loaded else None, "work": keyed,
                      "assessment": window.doc.uuid, "rss": usage.ru_maxrss / 1024,
                      "cpu": usage.ru_utime + usage.ru_stime}), flush=True)
    window.close()


def make_demo(folder: Path) -> tuple[str, str]:
    sys.path.insert(0, str(ROOT))
    from ptce_toolkit import demo
    from ptce_toolkit.db import open_database

    db = open_database(folder / "demo.sqlite3")
    uuid = demo.create_demo(db)
    db.close()
    return str(folder / "demo.sqlite3"), uuid


def platform_env(folder: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "xcb" if env.get("DISPLAY") else "offscreen")
    env["PTCE_TOOLKIT_DATA"] = str(folder / "donnees")
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # QSettings of the runs stay here
    return env


def make_big(folder: Path, poles: int = 100, per_pole: int = 5) -> tuple[str, str]:
    """100 poles × 5 assessments, every criterion answered: the database of a network."""
    sys.path.insert(0, str(ROOT))
    from ptce_toolkit import referential
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database

    db = open_database(folder / "reseau.sqlite3")
    ids = [c.id for c in referential.default().criteria()]
    last = None
    for p in range(poles):
        pole = sv.create_pole(db, f"Pôle n° {p + 1:03d}").created
        a = sv.create_assessment(db, pole, "Diagnostic 2022").created
        for i, cid in enumerate(ids):
            sv.set_answer(db, a, cid, level=(i + p) % 5, comment=f"Commentaire {cid}")
        for year in range(2023, 2022 + per_pole):
            a = sv.create_assessment(db, pole, f"Diagnostic {year}", copy_from="previous").created
        last = a
    db.close()
    return str(folder / "reseau.sqlite3"), last


def measure_startup(runs: int, folder: Path, db_path: str, uuid: str, label: str) -> None:
    env = platform_env(folder)
    # a first start opens ``uuid`` and remembers it; the measured ones reopen it by themselves
    subprocess.run([sys.executable, __file__, "--child", db_path, uuid], env=env, cwd=ROOT,
                   capture_output=True, text=True, check=True)
    shown, loaded, work, rss, cpu = [], [], [], [], []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, __file__, "--child", db_path, "-"], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        times = json.loads(out.strip().splitlines()[-1])
        if times["assessment"] != uuid:
            raise SystemExit("l’application n’a pas rouvert la dernière évaluation ouverte")
        shown.append(times["shown"] - t0)
        if times["loaded"]:
            loaded.append(times["loaded"] - t0)
        if times["work"]:
            work.append(times["work"] - t0)
        rss.append(times["rss"])
        cpu.append(times["cpu"])
    print(f"{label} — plateforme Qt : {env['QT_QPA_PLATFORM']}, {runs} démarrages à froid (nouveau processus)")
    print(f"  démarrage → première fenêtre affichée : médiane {statistics.median(shown):.3f} s "
          f"(min {min(shown):.3f}, max {max(shown):.3f}) — cible ≤ 0,6 s")
    if loaded:
        print(f"  démarrage → dernière évaluation ouverte : médiane {statistics.median(loaded):.3f} s "
              f"(min {min(loaded):.3f}, max {max(loaded):.3f})")
    if len(work) == runs:
        print(f"  démarrage → prêt à travailler (parcours affiché, une touche de niveau enregistrée) : médiane "
              f"{statistics.median(work):.3f} s (min {min(work):.3f}, max {max(work):.3f}) — cible ≤ 0,8 s")
    else:
        print("  la touche de niveau n’a pas été prise")
    print(f"  temps processeur jusqu’au travail (indépendant de la charge de la machine) : médiane "
          f"{statistics.median(cpu):.3f} s")
    print(f"  mémoire (RSS maximale) : médiane {statistics.median(rss):.0f} Mo — cible ≤ 250 Mo")


def measure_rating(presses: int, folder: Path, db_path: str, uuid: str) -> None:
    os.environ.update(platform_env(folder))
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ptce_toolkit import services as sv
    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    window = MainWindow(db_path, uuid)
    window.show()
    loaded = []
    window.loaded.connect(lambda: loaded.append(True))
    window.start_loading()
    while not loaded:
        QApplication.processEvents()
        time.sleep(0.001)
    window.activateWindow()  # shortcuts need an active window; there may be no window manager
    QTest.qWaitForWindowActive(window, 2000)
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    QApplication.processEvents()
    receiver = page.tree  # what has the focus when the user rates (no window manager needed)
    keys = [Qt.Key.Key_0, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4]
    samples = []
    for i in range(presses):
        level = i % 5
        target = page.current
        t0 = time.perf_counter()
        QTest.sendKeyEvent(QTest.KeyAction.Click, receiver, keys[level], str(level), Qt.KeyboardModifier.NoModifier)
        samples.append(time.perf_counter() - t0)
        if window.save.state != "saved" or window.doc.answer(target).level != level:
            raise SystemExit("la note n’a pas été enregistrée")
        if i % 25 == 24 and i < presses - 1:
            QTest.sendKeyEvent(QTest.KeyAction.Click, receiver, Qt.Key.Key_PageDown, "", Qt.KeyboardModifier.NoModifier)
    stored = sv.get_answer(window.db, uuid, target)
    if stored.level != (presses - 1) % 5:
        raise SystemExit("la base ne contient pas la dernière note")
    samples.sort()
    ms = [s * 1000 for s in samples]
    print(f"Touche de niveau → réponse enregistrée en base ({presses} frappes) : médiane {statistics.median(ms):.2f} ms, "
          f"95e centile {ms[int(len(ms) * 0.95) - 1]:.2f} ms, max {ms[-1]:.2f} ms — cible ≤ 20 ms")
    window.close()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("DB", "UUID"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--small-only", action="store_true", help="sans la base de 100 pôles")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="ptce-bench-") as tmp:
        folder = Path(tmp)
        os.environ["PTCE_TOOLKIT_DATA"] = str(folder / "donnees")
        db_path, uuid = make_demo(folder)
        measure_startup(args.runs, folder, db_path, uuid, "Base de démonstration")
        if not args.small_only:
            t0 = time.time()
            big_path, big_uuid = make_big(folder)
            print(f"(base de 100 pôles × 5 évaluations construite en {time.time() - t0:.0f} s)")
            measure_startup(args.runs, folder, big_path, big_uuid, "Base de 100 pôles × 5 évaluations")
        measure_rating(args.presses, folder, db_path, uuid)


if __name__ == "__main__":
    main()
