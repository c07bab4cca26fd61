"""The window keeps the edit and says so when the base's folder disappears while it is
open, then writes it once the folder is back."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ptce_toolkit import services as sv
from ptce_toolkit.db import open_database
from tests.helpers.qt import open_window, press
from ui.main_window import MainWindow


def test_the_key_pulled_while_rating_keeps_the_edit_then_saves_it(qtbot, db, ref):
    pole = sv.create_pole(db, "Pôle nomade").created
    a = sv.create_assessment(db, pole).created
    path = db.path
    window = open_window(qtbot, path, a)
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    first = ref.criteria()[0].id
    folder = path.parent
    away = folder.with_name(folder.name + "-debranchee")
    folder.rename(away)  # the USB key is pulled
    try:
        press(QApplication.focusWidget(), Qt.Key.Key_2, text="2")
        indicator = window.save_indicator
        assert indicator.label.text().startswith("Échec de l’enregistrement\u00a0:")
        assert "a disparu ou a été remplacée" in indicator.label.text()
        assert indicator.retry_button.isVisible()
        assert len(window.save.pending) == 1 and page.card.group.button(2).isChecked()
        assert not folder.exists()  # nothing re-created where the key was
    finally:
        away.rename(folder)  # plugged back
    assert sv.get_answer(db, a, first).status == "unanswered"
    qtbot.mouseClick(window.save_indicator.retry_button, Qt.MouseButton.LeftButton)
    assert window.save_indicator.label.text() == "Enregistré"
    assert sv.get_answer(db, a, first).level == 2
    window.close()


def _vanished_base(tmp_path):
    path = tmp_path / "cle" / "pole.sqlite3"
    open_database(path).close()
    shutil.rmtree(path.parent)
    return path


def test_reopening_a_vanished_base_asks_and_no_creates_nothing(qtbot, tmp_path, monkeypatch):
    path = _vanished_base(tmp_path)
    asked, shown = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    window = MainWindow(str(path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loadFailed, timeout=20000):
        window.start_loading()
    assert asked and "est introuvable alors qu’elle a déjà été utilisée" in asked[0] and "base vide" in asked[0]
    assert shown and "une base vide n’a pas été créée" in shown[0]
    assert not path.parent.exists()
    window.close()


def test_reopening_a_vanished_base_and_choosing_yes_starts_an_empty_one(qtbot, tmp_path, monkeypatch):
    path = _vanished_base(tmp_path)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = MainWindow(str(path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start_loading()
    assert path.exists() and window.db is not None
    window.close()
