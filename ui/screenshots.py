"""``python -m ui.screenshots OUTDIR``: the real window on the demo pole, one PNG per page.

Run under Xvfb (``make screenshots``) at 1280×800. The demo database is created in a
temporary folder, so the user's data and settings are never touched.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

SIZE = (1280, 800)
FOCUS_CRITERION = "GOV.4"  # a criterion with a comment and a priority flag in the demo


def _wait(app: QApplication, condition, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("la fenêtre ne s’est pas chargée à temps")
        app.processEvents()
        time.sleep(0.01)


def _settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ptce-captures-"))
    import os

    os.environ["PTCE_TOOLKIT_DATA"] = str(tmp / "donnees")
    from ui.app import install_translators, make_application

    app = make_application(["ptce-toolkit"])
    QCoreApplication.setApplicationName("PTCE Toolkit captures")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "reglages"))
    install_translators(app, "fr")

    from ptce_toolkit import demo
    from ptce_toolkit.db import open_database

    db_path = tmp / "demo.sqlite3"
    db = open_database(db_path)
    uuid = demo.create_demo(db)
    db.close()

    from ui.main_window import PAGE_KEYS, MainWindow

    window = MainWindow(str(db_path), uuid)
    window.resize(*SIZE)
    window.show()
    loaded = []
    window.loaded.connect(lambda: loaded.append(True))
    window.start_loading()
    _wait(app, lambda: loaded)
    window.resize(*SIZE)
    window.pages["walkthrough"].show_criterion(FOCUS_CRITERION)
    swot = window.pages["swot"]
    swot.select(window.doc.quadrant_items("W")[0].uuid)
    profile = window.pages["profile"]
    written = []
    for i, key in enumerate(PAGE_KEYS):
        window.show_page(i)
        _settle(app)
        if key == "profile":  # the figures, not the (empty) narrative of the demo
            profile.sections.setCurrentRow(2)
            _settle(app)
        path = out / f"{i + 1:02d}-{key}.png"
        window.grab().save(str(path))
        written.append(path)
    from ui.pages.swot import SuggestionsDialog

    dialog = SuggestionsDialog(window.doc, swot.suggestions(), window)
    dialog.show()
    _settle(app)
    path = out / "07-swot-suggestions.png"
    dialog.grab().save(str(path))
    written.append(path)
    dialog.close()
    window.close()
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
