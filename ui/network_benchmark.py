"""« Repères du réseau » in the GUI: the Fichier menu's import (benchmark.install_pack), and the
dashboard's comparison « votre pôle / médiane du réseau / quartiles » per domain, from the most
recent pack installed for the assessment's referential (hidden when there is none)."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QGroupBox, QHeaderView, QMessageBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from ptce_toolkit import benchmark, fmt
from ui.translation import tr
from ui.widgets import wrapped_label


def _date_fr(iso: str) -> str:
    y, m, d = (iso.split("-") + ["", ""])[:3]
    return f"{d}/{m}/{y}" if d else iso


class NetworkComparison(QGroupBox):
    """The pole's domain scores beside the network's median and quartiles."""

    COLUMNS = ("Domaine", "Votre pôle", "Médiane du réseau", "Quartiles", "Pôles")

    def __init__(self, parent=None):
        super().__init__(tr("Repères du réseau"), parent)
        self.caption = wrapped_label("", self)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr("Domaine"), tr("Votre pôle"), tr("Médiane du réseau"),
                                              tr("Quartiles"), tr("Pôles")])
        self.table.setAccessibleName(tr("Votre pôle et les repères du réseau"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.pack: dict | None = None
        self.setVisible(False)

    def refresh(self, ref, answers) -> None:
        self.pack = benchmark.latest_pack_for(ref)
        rows = benchmark.positions(ref, self.pack, answers) if self.pack else []
        self.setVisible(bool(rows))
        if not rows:
            self.table.setRowCount(0)
            return
        self.caption.setText(tr("« %1 » du %2 : la médiane et les quartiles des pôles du réseau, "
                                "à côté des scores de votre pôle.")
                             .replace("%1", self.pack["nom"]).replace("%2", _date_fr(self.pack["date"])))
        titles = {d.id: d.title for d in ref.domains} | {benchmark.OVERALL: tr("Indice global")}
        self.table.setRowCount(len(rows))
        for r, pos in enumerate(rows):
            s = pos.network
            cells = [titles[pos.key], fmt.score(pos.own), fmt.score(s.median),
                     f"{fmt.score(s.q1)} – {fmt.score(s.q3)}", str(s.n)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if pos.verdict and c == 1:
                    item.setToolTip(pos.verdict)
                self.table.setItem(r, c, item)


def import_pack(window) -> None:
    """Fichier ▸ Importer des repères du réseau… : checked strictly, kept, shown on the dashboard."""
    path, _ = QFileDialog.getOpenFileName(window, tr("Importer des repères du réseau"), "",
                                          tr("Repères du réseau (*.json)"))
    if not path:
        return
    try:
        _target, pack = benchmark.install_pack(path)
    except benchmark.PackRefused as exc:
        QMessageBox.warning(window, tr("Repères refusés"),
                            tr("Ce fichier de repères n’a pas été importé :\n%1").replace("%1", str(exc)))
        return
    except OSError as exc:
        QMessageBox.warning(window, tr("Repères refusés"),
                            tr("Le fichier n’a pas pu être lu :\n%1").replace("%1", exc.strerror or str(exc)))
        return
    ref = pack["referentiel"]
    QMessageBox.information(
        window, tr("Repères importés"),
        tr("Repères « %1 » du %2 importés (référentiel %3 %4). Le tableau de bord des évaluations de ce "
           "référentiel les montre désormais.").replace("%1", pack["nom"]).replace("%2", _date_fr(pack["date"]))
        .replace("%3", ref["id"]).replace("%4", ref["version"]))
    if getattr(window, "doc", None) is not None:
        window.page("dashboard").refresh()
