"""A damaged database is met with the offer of the newest intact backup, in the window."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QMessageBox

from ptce_toolkit import backup
from ptce_toolkit import services as sv
from tests.helpers.qt import open_window


def test_window_offers_and_restores_the_last_good_backup(qtbot, demo, monkeypatch):
    db, uuid = demo
    path = db.path
    made = backup.make_backup(path, reason=backup.MANUAL)
    db.close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\\x00garbage" * 400  # a damaged page
    path.write_bytes(bytes(data[:12000]))
    for side in ("-wal", "-shm"):
        (path.parent / (path.name + side)).unlink(missing_ok=True)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window = open_window(qtbot, path, uuid)
    assert asked and "endommagée" in asked[0]
    qtbot.waitUntil(lambda: window.doc is not None, timeout=20000)
    assert window.doc.uuid == uuid
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert sv.get_answer(window.db, uuid, "GOV.4").level == 0  # the demo's data came back
    aside = list(path.parent.rglob("*remplacee*"))
    assert aside, "the damaged file is kept aside"
    assert made.exists()
    window.close()
