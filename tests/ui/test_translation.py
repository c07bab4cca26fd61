"""Every UI text goes through Qt's translation system, and the .ts in the repo is current."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from tests.helpers.qt import open_window
from ui.translation import lupdate_command

TS = Path(__file__).resolve().parents[2] / "ui" / "i18n" / "ptce_toolkit_fr.ts"


def sources(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name") or "", m.findtext("source")) for c in root for m in c.findall("message")
            if (m.find("translation").get("type") or "") != "obsolete"}


def test_ts_file_is_up_to_date(tmp_path):
    fresh = tmp_path / "frais.ts"
    subprocess.run(lupdate_command(str(fresh)), check=True, capture_output=True)
    assert sources(fresh) == sources(TS), "régénérez le .ts : python -m ui.translation"


def test_a_translation_changes_the_window_without_code_changes(tmp_path, qtbot, demo):
    """Translate every text to « ⟦…⟧ », compile it, and look at the window."""
    root = ET.parse(TS).getroot()
    for m in root.iter("message"):
        t = m.find("translation")
        t.text = "⟦" + m.findtext("source") + "⟧"
        t.attrib.pop("type", None)
    root.set("language", "en")
    ts = tmp_path / "ptce_toolkit_xx.ts"
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    qm = tmp_path / "ptce_toolkit_xx.qm"
    lrelease = Path(lupdate_command()[0]).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        db, uuid = demo
        window = open_window(qtbot, db.path, uuid)
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus[0] == "⟦&Fichier⟧"
        assert window.tabs.tabText(2) == "⟦Grille AFOM⟧"
        walk = window.pages["walkthrough"]
        assert walk.model.headerData(1, Qt.Orientation.Horizontal) == "⟦Réponse⟧"   # a model's header (class context)
        assert window.pages["actions"].model.headerData(0, Qt.Orientation.Horizontal) == "⟦Action⟧"  # module-level texts
        window.doc.set_answer("FIN.1", level=0)
        assert window.stack.undoText() == "⟦Niveau %1 pour %2⟧".replace("%1", "0").replace("%2", "FIN.1")
        assert window.save_indicator.label.text() == "⟦Enregistré⟧"
        window.close()
    finally:
        QCoreApplication.removeTranslator(translator)
