"""Qt fixtures: the real main window on a database, layout settings kept in tmp_path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from tests.helpers.qt import SharedWindow, isolate_settings, open_window


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, qapp):
    """QSettings (window layout) go to the test's folder, never to the user's profile."""
    isolate_settings(tmp_path)
    yield
    QThreadPool.globalInstance().waitForDone(5000)


@pytest.fixture
def window(qtbot, demo):
    """Main window open on this year's demo assessment; ``window.test_db`` is the test's own handle."""
    db, uuid = demo
    w = open_window(qtbot, db.path, uuid)
    w.test_db = db
    yield w
    w.close()


@pytest.fixture(scope="module")
def _shared(qapp, demo_template, tmp_path_factory):
    shared = SharedWindow(*demo_template, tmp_path_factory.mktemp("fenetre-partagee"))
    yield shared
    with pytest.MonkeyPatch.context() as mp:  # closed after the module's last test: its own folders
        mp.setenv("PTCE_TOOLKIT_DATA", str(shared.folder / "donnees"))
        isolate_settings(shared.folder)
        shared.close()


@pytest.fixture
def shared_window(_shared):
    """As ``window`` (this year's demo assessment, ``window.test_db``), but one window for the
    module's tests that leave the base as they found it (see tests/helpers/qt.py SharedWindow)."""
    return _shared.clean()


def pytest_collection_modifyitems(items):
    # The offscreen platform (tests only) cannot propagate size hints and says so; every
    # other Qt warning still fails the test (qt_log_level_fail = WARNING in pyproject).
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"))

