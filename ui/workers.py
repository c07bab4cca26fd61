"""Run long work off the UI thread; progress callbacks become Qt signals.

``run_in_thread(fn, on_done, on_error, on_progress)`` calls ``fn(progress)`` in a pool
thread, where ``progress(done, total, text)`` may be called from the work; the
callbacks run back on the UI thread (queued signal connections).
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

# Workers still running; keeps their signal holders alive until they report.
_running: set["Worker"] = set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str, str)          # French message, traceback
    progress = Signal(int, int, str)


class Worker(QRunnable):
    def __init__(self, fn: Callable[[Callable[[int, int, str], None]], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def _progress(self, done: int, total: int, text: str = "") -> None:
        self.signals.progress.emit(int(done), int(total), str(text))

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self._progress)
        except Exception as exc:  # reported to the UI thread, never swallowed
            self.signals.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
        else:
            self.signals.done.emit(result)


def run_in_thread(fn, on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[str, str], None] | None = None,
                  on_progress: Callable[[int, int, str], None] | None = None) -> Worker:
    worker = Worker(fn)
    _running.add(worker)

    def finish(*_):
        _running.discard(worker)

    if on_done:
        worker.signals.done.connect(on_done)
    if on_error:
        worker.signals.failed.connect(on_error)
    if on_progress:
        worker.signals.progress.connect(on_progress)
    worker.signals.done.connect(finish)
    worker.signals.failed.connect(finish)
    QThreadPool.globalInstance().start(worker)
    return worker


def progress_dialog(parent: QWidget, title: str, label: str) -> QProgressDialog:
    """A modal dialog without a cancel button, busy until told the total."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAccessibleName(title)
    return dialog


def run_with_progress(parent: QWidget, title: str, label: str, fn, on_done, on_error) -> QProgressDialog:
    """Same, with a modal progress dialog that closes when the work ends."""
    dialog = progress_dialog(parent, title, label)

    def progress(done, total, text):
        dialog.setMaximum(max(total, 0))
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    def done(result):
        dialog.close()
        on_done(result)

    def failed(message, tb):
        dialog.close()
        on_error(message, tb)

    run_in_thread(fn, done, failed, progress)
    dialog.show()
    return dialog
