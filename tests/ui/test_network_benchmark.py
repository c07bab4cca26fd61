"""Fichier ▸ Importer des repères du réseau… : the dashboard then shows « votre pôle / médiane
du réseau / quartiles » per domain, with the pack's name and date."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ptce_toolkit import benchmark as bm
from ptce_toolkit import fmt
from ptce_toolkit.records import AnswerData
from ptce_toolkit.scoring import score
from ui import network_benchmark


def _pack_file(ref, tmp_path):
    gov = next(d for d in ref.domains if d.id == "GOV")
    # five poles, every GOV criterion at 0, 1, 2, 3, 4: median 2, quartiles 1 and 3
    poles = [bm.PoleFigures(f"pole-{lv}", {c.id: AnswerData(c.id, "answered", lv) for c in gov.criteria},
                            {"region": "", "type_territoire": ""}) for lv in range(5)]
    return bm.write_pack(bm.build_pack(ref, poles, name="Réseau des Hauts", made_on=date(2026, 11, 30)),
                         tmp_path / "reperes.json")


def _rows(page):
    t = page.network.table
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, t.columnCount())] for r in range(t.rowCount())}


def test_importing_a_pack_shows_the_comparison_on_the_dashboard(window, qtbot, tmp_path, monkeypatch):
    ref = window.doc.ref
    page = window.page("dashboard")
    assert not page.network.isVisibleTo(page)  # nothing imported yet: no section
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(_pack_file(ref, tmp_path)), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    assert "Importer des &repères du réseau…" in [a.text() for a in window.file_menu.actions()]
    network_benchmark.import_pack(window)
    assert "Réseau des Hauts" in shown[0] and "30/11/2026" in shown[0]
    assert page.network.isVisibleTo(page)
    assert "Réseau des Hauts" in page.network.caption.text() and "30/11/2026" in page.network.caption.text()
    gov = next(d for d in ref.domains if d.id == "GOV")
    own = score(ref, window.doc.snap.answers)
    network = [fmt.score(2), f"{fmt.score(1)} – {fmt.score(3)}", "5"]  # the poles only answered GOV:
    assert _rows(page) == {gov.title: [fmt.score(own.domains["GOV"].score), *network],  # same overall index
                           "Indice global": [fmt.score(own.overall), *network]}
    assert network == ["2,0", "1,0 – 3,0", "5"]


def test_a_damaged_pack_is_refused_in_french(window, tmp_path, monkeypatch):
    bad = _pack_file(window.doc.ref, tmp_path)
    data = json.loads(bad.read_text(encoding="utf-8"))
    data["groupes"][0]["chiffres"]["GOV"]["n"] = 4  # a group of four: never published
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    network_benchmark.import_pack(window)
    assert warned and warned[0].startswith("Ce fichier de repères n’a pas été importé\u00a0:")
    assert bm.installed_packs() == []
    assert not window.page("dashboard").network.isVisibleTo(window.page("dashboard"))
