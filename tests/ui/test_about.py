"""« À propos »: the version shown is pyproject.toml's, the data path is the open base."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers.qt import open_window
from ui import about

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
VERSION = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


def test_version_comes_from_the_package_metadata():
    assert about.app_version() == VERSION


def test_about_text_names_version_and_database(tmp_path):
    html = about.about_html(str(tmp_path / "base.sqlite3"))
    assert f"PTCE Toolkit {VERSION}" in html
    assert str(tmp_path / "base.sqlite3") in html
    assert "Base de données\u00a0:" in html and "'" not in html.replace("<", "").replace(">", "")


def test_help_menu_opens_the_box_with_the_version(qtbot, demo):
    db, uuid = demo
    window = open_window(qtbot, db.path, uuid)
    about.install_about_menu(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[-1] == "&Aide"
    seen = {}

    def read_and_close():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen["title"], seen["text"] = box.windowTitle(), box.text()
            box.accept()
        else:  # not shown yet: look again
            QTimer.singleShot(20, read_and_close)

    QTimer.singleShot(0, read_and_close)
    window.about_action.trigger()
    assert seen["title"] == "À propos de PTCE Toolkit"
    assert VERSION in seen["text"] and str(db.path) in seen["text"]
    window.close()
