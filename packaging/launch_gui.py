"""Entry script of the bundled ``ptce-toolkit`` desktop app (see ptce-toolkit.spec).

With ``PTCE_TOOLKIT_SMOKE_TEST=1`` the app starts as usual, then prints one JSON line
(wall-clock time when the main window was exposed, when the database and the pages
were loaded, the window title, the version shown in « À propos ») and quits:
``make test-bundle`` and the start-up bench use it to check the frozen app without a
person at the screen. A value other than 1 is a file path the line is also written to
(a Windows GUI executable has no stdout).
"""

import multiprocessing
import os
import sys
import time

SMOKE_ENV = "PTCE_TOOLKIT_SMOKE_TEST"
SMOKE_TIMEOUT_S = 60


def arm_smoke_test(app) -> None:
    import json

    from PySide6.QtCore import QTimer

    from ui.main_window import MainWindow

    state = {"shown": None, "loaded": None, "failed": None, "window": None}
    started = time.time()

    def finish():
        from ui.about import app_version

        window = state["window"]
        line = json.dumps({"shown": state["shown"], "loaded": state["loaded"], "failed": state["failed"],
                           "title": window.windowTitle() if window else None,
                           "tabs": window.tabs.count() if window else 0, "version": app_version()})
        print(line, flush=True)
        if os.environ[SMOKE_ENV] != "1":
            with open(os.environ[SMOKE_ENV], "w", encoding="utf-8") as out:
                out.write(line + "\n")
        timer.stop()
        if window is not None:
            window.close()
        app.exit(0 if state["loaded"] and not state["failed"] else 3)

    def poll():
        window = state["window"]
        if window is None:
            window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)
            if window is None:
                return
            state["window"] = window
            window.loaded.connect(lambda: state.update(loaded=time.time()))
            window.loadFailed.connect(lambda message: state.update(failed=message))
        handle = window.windowHandle()
        if state["shown"] is None and handle is not None and handle.isExposed():
            state["shown"] = time.time()
        if (state["shown"] and state["loaded"]) or state["failed"] or time.time() - started > SMOKE_TIMEOUT_S:
            finish()

    timer = QTimer(app)
    timer.setInterval(2)
    timer.timeout.connect(poll)
    timer.start()


def set_desktop_identity(app) -> None:
    """Window icon, and the menu entry's name so that docks and task bars (and Wayland)
    group the window under the installed entry (packaging/linux/*.desktop)."""
    from pathlib import Path

    from PySide6.QtGui import QIcon

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    app.setWindowIcon(QIcon(str(base / "packaging" / "icons" / "ptce-toolkit.png")))
    app.setDesktopFileName("fr.ptce_toolkit.PTCEToolkit")


if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ui.app import main, make_application

    app = make_application([sys.argv[0]])  # main() reuses it (QApplication.instance())
    set_desktop_identity(app)
    if os.environ.get(SMOKE_ENV):
        arm_smoke_test(app)
    sys.exit(main())
