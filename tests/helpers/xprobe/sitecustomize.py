"""Test probe for real-input tests: loaded by ``python -m ui.app`` only when this folder is
put first on PYTHONPATH and PTCE_TEST_PROBE names a file (tests/helpers/xapp.py does both).
It never sends input: every key and click comes from the X server (xdotool). It only
writes where the walk-through's widgets are on screen, which one has the focus and what the
comment field holds — at once when the focus moves, otherwise every 50 ms — so the test
knows where to click and waits for the app instead of sleeping."""

import os

if os.environ.get("PTCE_TEST_PROBE"):
    import json

    import shiboken6
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
        shown = page is not None and page.isVisible()
        exposed = window.isVisible() and window.windowHandle() is not None and window.windowHandle().isExposed()
        state = {"window": int(window.winId()) if exposed else None,  # X window id, once mapped
                 "title": window.windowTitle(),
                 "ready": bool(shown and window.isActiveWindow()),
                 "loaded": window._probe_loaded,  # services imported: edits are written
                 "focus": (focus.accessibleName() or type(focus).__name__) if focus else None,
                 "focus_changes": window._probe_focus_changes,
                 "current": getattr(page, "current", None)}
        if shown:
            tree = page.tree
            rect = tree.visualRect(tree.currentIndex())
            p = tree.viewport().mapToGlobal(rect.center())
            state["widgets"] = {"comment": _center(page.card.comment), "evidence": _center(page.card.evidence),
                                "tree_current": [p.x(), p.y()], "statement": _center(page.card.statement)}
            state["comment"] = page.card.comment.document().toRawText()
        tmp = os.environ["PTCE_TEST_PROBE"] + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(state, f)
        os.replace(tmp, os.environ["PTCE_TEST_PROBE"])

    def _focus_changed(window):
        if shiboken6.isValid(window):  # not while the window is being destroyed
            window._probe_focus_changes += 1
            _dump(window)

    def _on_loaded(window):
        window._probe_loaded = True
        _dump(window)

    def _patched(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        self._probe_loaded, self._probe_focus_changes = False, 0
        self.loaded.connect(lambda: _on_loaded(self))
        QApplication.instance().focusChanged.connect(lambda *_: _focus_changed(self))
        self._probe_timer = QTimer(self)
        self._probe_timer.timeout.connect(lambda: _dump(self))
        self._probe_timer.start(50)

    _mw.MainWindow.__init__ = _patched
