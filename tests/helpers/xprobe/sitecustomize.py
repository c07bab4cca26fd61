"""Test probe for real-input tests: loaded by ``python -m ui.app`` only when this folder is
put first on PYTHONPATH and PTCE_TEST_PROBE names a file. It never sends input: every
key and click comes from the X server (xdotool). It only writes, every 100 ms, where the
walk-through's widgets are on screen and which one has the focus, so the test knows
where to click and when the app is ready."""

import os

if os.environ.get("PTCE_TEST_PROBE"):
    import json

    import ui.main_window as _mw
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _init = _mw.MainWindow.__init__

    def _center(w):
        r = w.rect()
        p = w.mapToGlobal(r.center())
        return [p.x(), p.y()]

    def _dump(window):
        page = window.pages.get("walkthrough")
        focus = QApplication.focusWidget()
        state = {"ready": bool(page is not None and page.isVisible() and window.isActiveWindow()),
                 "focus": (focus.accessibleName() or type(focus).__name__) if focus else None,
                 "current": getattr(page, "current", None)}
        if page is not None and page.isVisible():
            tree = page.tree
            rect = tree.visualRect(tree.currentIndex())
            p = tree.viewport().mapToGlobal(rect.center())
            state["widgets"] = {"comment": _center(page.card.comment), "evidence": _center(page.card.evidence),
                                "tree_current": [p.x(), p.y()], "statement": _center(page.card.statement)}
        tmp = os.environ["PTCE_TEST_PROBE"] + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(state, f)
        os.replace(tmp, os.environ["PTCE_TEST_PROBE"])

    def _patched(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        self._probe_timer = QTimer(self)
        self._probe_timer.timeout.connect(lambda: _dump(self))
        self._probe_timer.start(100)

    _mw.MainWindow.__init__ = _patched
