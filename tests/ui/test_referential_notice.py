"""Referential files set aside (invalid, bomb, shadowed) are shown in the window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ptce_toolkit import paths
from tests.core.test_referential_hostile import SHIPPED, billion_laughs, deep_nesting
from tests.helpers.qt import open_window


def test_the_window_opens_and_lists_the_referential_files_set_aside(qtbot, demo):
    db, uuid = demo
    folder = paths.user_referential_dir()
    (folder / "rires.yaml").write_text(billion_laughs(), encoding="utf-8")
    (folder / "profond.yaml").write_text(deep_nesting(), encoding="utf-8")
    (folder / "copie.yaml").write_text(SHIPPED.read_text(encoding="utf-8").replace(
        'title: "Référentiel d’action des PTCE (proposition PTCE Toolkit)"', 'title: "Copie"', 1), encoding="utf-8")
    window = open_window(qtbot, db.path, uuid)
    qtbot.waitUntil(lambda: window.doc is not None, timeout=20000)
    notice = window.referential_notice
    assert notice.isVisible()
    assert "3" in notice.text() and "mis de côté" in notice.text()
    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.referential_dialog is not None and window.referential_dialog.isVisible())
    text = window.referential_dialog.informativeText()
    assert "rires.yaml, ligne 5" in text and "bombe" in text
    assert "profond.yaml, ligne 1" in text and "imbrication trop profonde" in text
    assert "copie.yaml" in text and "même identifiant et même version" in text
    window.referential_dialog.close()
    window.close()


def test_no_notice_when_the_folder_is_clean(window):
    assert not window.referential_notice.isVisible()
