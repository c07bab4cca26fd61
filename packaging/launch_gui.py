"""Entry script of the bundled ``ptce-toolkit`` desktop app (see ptce-toolkit.spec).

With ``PTCE_TOOLKIT_SMOKE_TEST=1`` the app starts as usual, then prints one JSON line
(wall-clock time when the main window was exposed, when the database and the pages
were loaded, the window title) and quits: ``make test-bundle`` and the start-up bench
use it to check the frozen app without a person at the screen.
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
        window = state["window"]
        print(json.dumps({"shown": state["shown"], "loaded": state["loaded"], "failed": state["failed"],
                          "title": window.windowTitle() if window else None,
                          "tabs": window.tabs.count() if window else 0}), flush=True)
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


if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ui.app import main, make_application

    if os.environ.get(SMOKE_ENV):
        # main() reuses this QApplication (QApplication.instance()).
        arm_smoke_test(make_application([sys.argv[0]]))
    sys.exit(main())
