"""``python -m ui.screenshots OUTDIR``: the real window on the demo pole, one PNG per page.

Run under Xvfb (``make screenshots``) at 1280×800. The demo database is created in a
temporary folder, so the user's data and settings are never touched.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

SIZE = (1280, 800)
EXTRA_SIZES = ((1024, 600), (1366, 768))  # a small laptop, the most common screen
FOCUS_CRITERION = "GOV.4"  # a criterion with a comment and a priority flag in the demo


def _wait(app: QApplication, condition, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("la fenêtre ne s’est pas chargée à temps")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        # processEvents() outside app.exec() never runs deleteLater(): widgets a page replaced
        # (the participants' college boxes) would stay on screen in the captures
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.01)


def demo_window(purpose: str, size=SIZE):
    """A QApplication with private settings, the demo pole (with workshop participants) in
    a temporary folder, and the main window loaded on it: (app, window)."""
    import os

    tmp = Path(tempfile.mkdtemp(prefix="ptce-captures-"))
    os.environ["PTCE_TOOLKIT_DATA"] = str(tmp / "donnees")
    from ui.app import install_translators, make_application

    app = make_application(["ptce-toolkit"])
    QCoreApplication.setApplicationName(f"PTCE Toolkit {purpose}")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "reglages"))
    install_translators(app, "fr")

    from ptce_toolkit import demo, demo_workshop
    from ptce_toolkit.db import open_database

    db_path = tmp / "demo.sqlite3"
    db = open_database(db_path)
    uuid = demo.create_demo(db)
    demo_workshop.add_demo_participants(db, uuid)  # the session page and the projection have people
    db.close()
    from ui.main_window import MainWindow

    window = MainWindow(str(db_path), uuid)
    window.resize(*size)
    window.show()
    loaded = []
    window.loaded.connect(lambda: loaded.append(True))
    window.start_loading()
    _wait(app, lambda: loaded)
    return app, window


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app, window = demo_window("captures")
    from ui.main_window import ALL_PAGE_KEYS

    written = []
    for folder, size in ((out, SIZE), *((out / f"{w}x{h}", (w, h)) for w, h in EXTRA_SIZES)):
        folder.mkdir(parents=True, exist_ok=True)
        written += _pages(app, window, folder, size, ALL_PAGE_KEYS)
    from ui.pages.swot import SuggestionsDialog

    swot = window.pages["swot"]
    dialog = SuggestionsDialog(window.doc, swot.suggestions(), window)
    dialog.show()
    settle(app)
    path = out / "07-swot-suggestions.png"
    dialog.grab().save(str(path))
    written.append(path)
    dialog.close()
    window.close()
    for p in written:
        print(p)
    return 0


def _pages(app, window, folder: Path, size, keys) -> list[Path]:
    window.resize(*size)
    settle(app)
    window.pages["walkthrough"].show_criterion(FOCUS_CRITERION)
    swot = window.pages["swot"]
    swot.select(window.doc.quadrant_items("W")[0].uuid)
    written = []
    for i, key in enumerate(keys):
        window.show_page(i)
        settle(app)
        if key == "profile":  # the figures, not the (empty) narrative of the demo
            window.pages["profile"].sections.setCurrentRow(3)
            settle(app)
        elif key == "workshop":
            page = window.pages["workshop"]
            page.select(page.model.order[0], 1)
            settle(app)
        path = folder / f"{i + 1:02d}-{key}.png"
        window.grab().save(str(path))
        written.append(path)
    view = window.open_projection(full_screen=False)
    projection = view.window()
    projection.resize(*size)
    for revealed in (False, True):
        if view.revealed != revealed:
            view.toggle_reveal()
        settle(app)
        path = folder / f"{len(keys) + 1:02d}-projection{'-revelee' if revealed else ''}.png"
        projection.grab().save(str(path))
        written.append(path)
    projection.close()
    settle(app)
    return written


if __name__ == "__main__":
    sys.exit(main())
