"""Profil page, « Pôle » section: the identity of the pole, which does not change from
one assessment to the next (territory, département, région, creation year, legal form,
origin, other names). Saved with ``services.poles.update_pole`` through the Document, one undo
step per field; shown again from the Document when its change record names the pole."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QGroupBox, QLabel, QLineEdit

from ui.translation import tr
from ui.widgets import NO_YEAR, TextCommitter, plain_edit, year_box

# 18 régions (2016), for completion only: any text is accepted (overseas collectivities…)
REGIONS = ("Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Corse",
           "Grand Est", "Guadeloupe", "Guyane", "Hauts-de-France", "Île-de-France", "La Réunion", "Martinique",
           "Mayotte", "Normandie", "Nouvelle-Aquitaine", "Occitanie", "Pays de la Loire",
           "Provence-Alpes-Côte d’Azur")
LEGAL_FORMS = ("Association loi 1901", "SCIC", "SCOP", "Coopérative d’activité et d’emploi", "GIP", "SAS",
               "Groupement d’employeurs", "Sans structure juridique propre")


def _field_labels() -> dict[str, str]:
    return {"territory": tr("Territoire"), "department": tr("Département"), "region": tr("Région"),
            "creation_year": tr("Année de création"), "legal_form": tr("Forme juridique"),
            "origin": tr("Origine du pôle"), "aliases": tr("Autres noms")}


class PoleIdentityBox(QGroupBox):
    """Editors for the pole's identity; reloads itself after an undo or a redo."""

    poleChanged = Signal()

    def __init__(self, document, parent=None):
        super().__init__(tr("Pôle"), parent)
        self.doc = document
        self.labels = _field_labels()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_label = QLabel(self)
        self.name_label.setWordWrap(True)
        self.name_label.setAccessibleName(tr("Nom du pôle"))
        self.name_label.setToolTip(tr("Pour renommer le pôle : panneau de gauche, clic droit sur le pôle."))
        form.addRow(tr("Nom\u00a0:"), self.name_label)
        self.edits: dict[str, object] = {}
        self.savers: dict[str, TextCommitter] = {}
        for key in ("territory", "department", "region", "legal_form", "aliases"):
            edit = QLineEdit(self)
            edit.setAccessibleName(self.labels[key])
            if key == "region":
                edit.setCompleter(self._completer(REGIONS, edit))
            elif key == "legal_form":
                edit.setCompleter(self._completer(LEGAL_FORMS, edit))
            elif key == "aliases":
                edit.setPlaceholderText(tr("séparés par des points-virgules"))
                edit.setToolTip(tr("Sigles et anciens noms, pour reconnaître le pôle dans les classeurs reçus"))
            elif key == "department":
                edit.setPlaceholderText(tr("ex. Gironde (33)"))
            self.edits[key] = edit
            self.savers[key] = TextCommitter(edit, lambda t, k=key: self._save_text(k, t), self)
        self.year = year_box(self.labels["creation_year"], date.today().year, self)
        self.year.setMinimumWidth(self.year.fontMetrics().horizontalAdvance("00000") + 40)
        self.year.editingFinished.connect(self._save_year)
        self.origin = plain_edit(self.labels["origin"], tr("Qui a lancé le pôle, à partir de quoi…"), self, 3)
        self.savers["origin"] = TextCommitter(self.origin, lambda t: self._save_text("origin", t), self)
        for key in ("territory", "department", "region"):
            form.addRow(self.labels[key] + "\u00a0:", self.edits[key])
        form.addRow(self.labels["creation_year"] + "\u00a0:", self.year)
        form.addRow(self.labels["legal_form"] + "\u00a0:", self.edits["legal_form"])
        form.addRow(self.labels["origin"] + "\u00a0:", self.origin)
        form.addRow(self.labels["aliases"] + "\u00a0:", self.edits["aliases"])
        for i in range(form.rowCount()):
            item = form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                item.widget().setWordWrap(True)
        self.load()
        document.poleChanged.connect(self._shown)

    @staticmethod
    def _completer(words, parent) -> QCompleter:
        c = QCompleter(list(words), parent)
        c.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        c.setFilterMode(Qt.MatchFlag.MatchContains)
        return c

    # ------------------------------------------------------------------ values

    def _value(self, key: str):
        return getattr(self.doc.snap.pole, key)

    def load(self) -> None:
        pole = self.doc.snap.pole
        self.name_label.setText(pole.name)
        for key, saver in self.savers.items():
            if saver.dirty and saver.edit.hasFocus():
                continue  # being typed: the text stays
            value = self._value(key)
            saver.load("; ".join(value) if key == "aliases" else (value or ""))
        self.year.blockSignals(True)
        self.year.setValue(pole.creation_year or NO_YEAR)
        self.year.blockSignals(False)

    def _save_text(self, key: str, text: str) -> None:
        if key == "aliases":
            value = [a.strip() for a in text.replace("\n", ";").split(";") if a.strip()]
        else:
            value = text.strip()
        self.set_field(key, value)

    def _save_year(self) -> None:
        self.set_field("creation_year", self.year.value() or None)

    def set_field(self, key: str, value) -> None:
        """One undoable edit of one identity field (also used by tests and other pages)."""
        self.doc.update_pole(tr("Pôle : %1").replace("%1", self.labels[key]), **{key: value})

    def _shown(self) -> None:
        """The Document read the pole again (an edit, its undo or its redo)."""
        self.load()
        self.poleChanged.emit()

    def flush(self) -> None:
        for saver in self.savers.values():
            saver.flush()
        if self.year.hasFocus():
            self._save_year()
