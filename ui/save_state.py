"""The one serial writer: every write (autosave edits and bulk work) goes through it,
and its state is always visible.

Edits are applied to the in-memory document first, then queued here and written in
order, one at a time. A small edit runs at once on the GUI thread when nothing is ahead
of it; bulk work (a workbook or questionnaire import) runs in a worker thread, and
everything submitted meanwhile waits behind it. A bulk job therefore lands after the
edits submitted before it, and before those submitted after it.

Two kinds of failure:

- the services refuse the write (``ServiceError``: an invalid value…). The write is
  dropped, ``on_refused(message)`` runs on the GUI thread (the edit reverts itself), the
  French message is shown and the queue goes on. Bulk work that fails for any reason
  other than storage is refused the same way (it wrote nothing).
- storage fails (``SaveError``: disk full, read-only folder, locked file…, or any other
  error of a small edit). The write stays at the head of the queue with the edit still
  on screen; it is retried by « Réessayer » and before each later write.

The indicator never says « Enregistré » while anything is pending: a write queued or
running, or text still being typed (``hold``/``release``, see ``ui.widgets.TextCommitter``).

At start-up the window shows the assessment before the services (SQLAlchemy) are
imported: until ``set_ready(READY)`` the queue only fills, in order; the edits are shown
meanwhile (« Modification en cours… ») and written as soon as the writer is ready. With
``set_ready(PLAIN)`` (the base is open and backed up) the writes marked ``plain`` (the
ratings: plain sqlite3) already run, as long as no other write is ahead of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

SAVED, PENDING, FAILED = "saved", "pending", "failed"
WAITING, PLAIN, READY = 0, 1, 2  # the writer runs nothing yet / only ``plain`` writes / every write


@dataclass(eq=False)
class Write:
    """One queued write; ``result`` keeps what the work returned (for undo)."""

    run: Callable[[], Any]
    description: str = ""
    on_refused: Callable[[str], None] | None = None
    background: bool = False
    plain: bool = False          # needs no SQLAlchemy: may run once the writer is PLAIN
    result: Any = None
    done: bool = False
    refused: str | None = None   # the French message when the write was dropped
    on_done: list[Callable[[Any], None]] = field(default_factory=list)


def _is_refusal(exc: BaseException, background: bool) -> bool:
    from ptce_toolkit.save_errors import classify
    from ptce_toolkit.services.errors import ServiceError

    if isinstance(exc, ServiceError):
        return True
    # bulk work is one transaction that wrote nothing: only a storage failure is worth retrying
    return background and classify(exc) is None


class SaveManager(QObject):
    stateChanged = Signal(str, str)  # state, French message
    written = Signal()               # at least one write reached the database
    refused = Signal(str)            # a write was dropped: its French message
    attempted = Signal(object)       # a Write was tried: landed, refused, or failed and kept
    readyChanged = Signal(int)       # WAITING, PLAIN or READY

    def __init__(self, parent=None):
        super().__init__(parent)
        self._queue: list[Write] = []
        self._running: Write | None = None   # bulk work in its worker thread
        self._holds: set[int] = set()        # text fields whose typing is not committed yet
        self._failed = False
        self._pumping = False
        self._ready = READY
        self.state = SAVED
        self.message = ""

    @classmethod
    def of(cls, widget: QWidget) -> "SaveManager | None":
        """The manager of the window ``widget`` is shown in (None outside a main window)."""
        window = widget.window()
        return window.findChild(SaveManager) if window is not None else None

    @property
    def pending(self) -> list[Write]:
        return list(self._queue)

    @property
    def ready(self) -> bool:
        """Every write may run (the services are imported)."""
        return self._ready == READY

    def set_ready(self, level: int) -> None:
        """WAITING: writes wait in the queue (start-up: the base is being opened); PLAIN:
        the ``plain`` writes run (the services are still being imported); READY: all, in order."""
        if level == self._ready:
            return
        self._ready = level
        self.readyChanged.emit(level)
        self._pump()

    def _may_run(self, w: Write) -> bool:
        return self._ready == READY or (self._ready == PLAIN and w.plain and not w.background)

    @property
    def busy(self) -> bool:
        """Something typed or queued has not reached the database yet."""
        return bool(self._queue or self._holds)

    # ------------------------------------------------------------------ typing in progress

    def hold(self, key: int) -> None:
        """Text is being typed and will be submitted soon: the state says so meanwhile."""
        if key not in self._holds:
            self._holds.add(key)
            self._update()

    def release(self, key: int) -> None:
        if key in self._holds:
            self._holds.discard(key)
            if shiboken6.isValid(self):  # a field destroyed with its window releases too
                self._update()

    # ------------------------------------------------------------------ the queue

    def submit(self, work: Callable[[], Any], text: str = "", *, on_refused: Callable[[str], None] | None = None,
               background: bool = False, plain: bool = False) -> Write:
        """Queue a write. Small ones run at once when nothing is ahead (check ``.done``);
        ``background=True`` runs ``work`` in a worker thread, in its turn; ``plain=True``:
        ``work`` needs no SQLAlchemy (it may run before the services are imported)."""
        w = Write(work, text, on_refused, background, plain)
        self._queue.append(w)
        self._pump()
        return w

    def cancel(self, w: Write) -> bool:
        """Drop a write that never reached the database (undo of a failed edit)."""
        if w in self._queue and w is not self._running:
            self._queue.remove(w)
            if not self._queue:
                self._failed = False
            self._update()
            return True
        return False

    def retry(self) -> bool:
        return self.flush()

    def flush(self) -> bool:
        """Write what can be written now; True when nothing is left in the queue."""
        self._pump()
        return not self._queue

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Let running bulk work finish and the writer become ready (the event loop keeps
        turning), then write the rest. True when the queue is empty; False on a failure or
        after ``timeout_ms``."""
        deadline = QDeadlineTimer(timeout_ms)
        self._pump()
        while (self._running is not None or (self._queue and not self.ready)) and not deadline.hasExpired():
            loop = QEventLoop()
            self.attempted.connect(loop.quit)
            self.readyChanged.connect(loop.quit)
            QTimer.singleShot(50, loop.quit)
            loop.exec()
            self.attempted.disconnect(loop.quit)
            self.readyChanged.disconnect(loop.quit)
        return self.flush()

    def _pump(self) -> None:
        if self._pumping or self._running is not None:
            self._update()
            return
        self._pumping = True
        wrote = False
        try:
            while self._queue:
                w = self._queue[0]
                if not self._may_run(w):
                    break  # the rest waits behind it, in order
                if w.background:
                    self._start(w)
                    break
                try:
                    result = w.run()
                except Exception as exc:  # refused (dropped) or kept: the user sees it either way
                    if not self._settle_error(w, exc):
                        break
                    continue
                self._landed(w, result)
                wrote = True
        finally:
            self._pumping = False
        if wrote:
            self.written.emit()
        self._update()

    def _start(self, w: Write) -> None:
        from ui.workers import run_in_thread

        def work(_progress):
            try:
                return True, w.run()
            except Exception as exc:  # handed back to the GUI thread
                return False, exc

        self._running = w
        self._update()
        run_in_thread(work, lambda outcome: self._background_finished(w, outcome))

    def _background_finished(self, w: Write, outcome) -> None:
        self._running = None
        ok, value = outcome
        if ok:
            self._landed(w, value)
            self.written.emit()
        elif not self._settle_error(w, value):
            self._update()
            return
        self._pump()

    def _landed(self, w: Write, result) -> None:
        self._queue.remove(w)
        self._failed = False
        w.result, w.done = result, True
        self.attempted.emit(w)
        for cb in w.on_done:
            cb(result)

    def _settle_error(self, w: Write, exc: BaseException) -> bool:
        """True when the write was refused and dropped (the queue goes on)."""
        detail = str(exc).strip() or type(exc).__name__
        if _is_refusal(exc, w.background):
            self._queue.remove(w)
            w.refused = detail
            self.attempted.emit(w)
            if w.on_refused is not None:
                w.on_refused(detail)
            self.refused.emit(detail)
            return True
        self._failed = True
        self._set(FAILED, self.tr("Échec de l’enregistrement : %1").replace("%1", detail))
        self.attempted.emit(w)
        return False

    def _update(self) -> None:
        if self._failed and self._queue:
            return  # the failure message stays until the write lands or is cancelled
        self._failed = False
        if self._queue or self._holds or self._running is not None:
            self._set(PENDING, self.tr("Modification en cours…"))
        else:
            self._set(SAVED, self.tr("Enregistré"))

    def _set(self, state: str, message: str) -> None:
        if (state, message) == (self.state, self.message):
            return
        self.state, self.message = state, message
        self.stateChanged.emit(state, message)


class SaveIndicator(QWidget):
    """Status-bar widget: « Enregistré », « Modification en cours… » or a red failure with retry."""

    def __init__(self, manager: SaveManager, parent=None):
        super().__init__(parent)
        self.manager = manager
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setAccessibleName(self.tr("État de l’enregistrement"))
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Réessayer"), self)
        self.retry_button.setAccessibleName(self.tr("Réessayer l’enregistrement"))
        self.retry_button.clicked.connect(manager.retry)
        lay.addWidget(self.label)
        lay.addWidget(self.retry_button)
        manager.stateChanged.connect(self.show_state)
        self.show_state(manager.state, manager.message or self.tr("Enregistré"))

    def show_state(self, state: str, message: str) -> None:
        self.label.setText(message or self.tr("Enregistré"))
        failed = state == FAILED
        if failed != getattr(self, "_failed_shown", None):  # restyling costs a few ms: only on change
            self._failed_shown = failed
            self.label.setStyleSheet("color: #b00020; font-weight: bold;" if failed else "color: #1b5e20;")
            self.retry_button.setVisible(failed)

