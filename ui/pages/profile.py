"""Profile page: the fields come from the referential. Figures carry a qualifier, a
year, a perimeter and a source; numbers are typed the French way and checked as typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QScrollArea,
    QVBoxLayout, QWidget,
)

from ptce_toolkit import plausibility, values
from ui.widgets import NO_YEAR, TextCommitter, plain_edit, wrapped_label, year_box

NUMBER_TYPES = values.NUMBER_KINDS


class FrenchNumberValidator(QValidator):
    def __init__(self, kind: str, parent=None):
        super().__init__(parent)
        self.widget = values.widget(kind)

    def validate(self, text, pos):
        state = self.widget.check_partial(text)
        qstate = {values.ACCEPTABLE: QValidator.State.Acceptable,
                  values.INTERMEDIATE: QValidator.State.Intermediate}.get(
            state, QValidator.State.Invalid)
        return qstate, text, pos


class FigureEditor(QWidget):
    """Value, qualifier, year, perimeter and source of one figure; saved as one dict."""

    def __init__(self, page, field, parent=None):
        super().__init__(parent)
        self.page, self.field = page, field
        ref = page.doc.ref
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.qualifier = QComboBox(self)
        self.qualifier.setAccessibleName(self.tr("%1 — précision").replace("%1", field.label))
        for q in ref.qualifiers:
            self.qualifier.addItem(q.label, q.id)
        self.value = QLineEdit(self)
        self.value.setAccessibleName(field.label)
        self.value.setValidator(FrenchNumberValidator(field.type, self.value))
        self.widget = values.widget(field.type)
        self.value.setPlaceholderText(self.tr("ex. %1").replace("%1", self.widget.example))
        self.unit = QLabel(field.unit, self)
        self.year = year_box(self.tr("%1 — année").replace("%1", field.label), 2100, self)
        self.perimeter = QComboBox(self)
        self.perimeter.setAccessibleName(self.tr("%1 — périmètre").replace("%1", field.label))
        for p in ref.perimeters:
            self.perimeter.addItem(p.label, p.id)
        self.source = QLineEdit(self)
        self.source.setAccessibleName(self.tr("%1 — source").replace("%1", field.label))
        self.source.setPlaceholderText(self.tr("Source (document, date)"))
        self.message = QLabel(self)
        self.message.setAccessibleName(self.tr("%1 — vérification").replace("%1", field.label))
        self.message.setWordWrap(True)
        self.benchmark = QLabel(plausibility.benchmark_text(ref, field.id), self)
        self.benchmark.setAccessibleName(self.tr("%1 — repère des sources").replace("%1", field.label))
        self.benchmark.setWordWrap(True)
        self.benchmark.setStyleSheet("color: #455a64;")
        self.benchmark.setToolTip("\n".join(b.source for b in ref.benchmarks_for(field.id)))
        grid.addWidget(self.qualifier, 0, 0)
        grid.addWidget(self.value, 0, 1)
        grid.addWidget(self.unit, 0, 2)
        grid.addWidget(QLabel(self.tr("en"), self), 0, 3)
        grid.addWidget(self.year, 0, 4)
        grid.addWidget(self.perimeter, 0, 5)
        grid.addWidget(self.source, 1, 0, 1, 6)
        grid.addWidget(self.message, 2, 0, 1, 6)
        grid.addWidget(self.benchmark, 3, 0, 1, 6)
        self.benchmark.setVisible(bool(self.benchmark.text()))
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(5, 1)
        self.message.hide()
        self.value.textEdited.connect(self._check)
        self.value.editingFinished.connect(self.save)
        for combo in (self.qualifier, self.perimeter):
            combo.activated.connect(self.save)
        self.year.editingFinished.connect(self.save)
        self.source_saver = TextCommitter(self.source, lambda _t: self.save(), self)
        self.load()

    def load(self) -> None:
        stored = self.page.doc.snap.assessment.profile.get(self.field.id) or {}
        self.value.setText(self.widget.render(stored.get("value")))
        self._select(self.qualifier, stored.get("qualifier") or "exact")
        self.year.setValue(int(stored.get("year") or NO_YEAR))
        self._select(self.perimeter, stored.get("perimeter") or self.field.default_perimeter)
        self.source_saver.load(stored.get("source", ""))
        self.message.hide()
        self.show_warnings()

    def show_warnings(self) -> list[str]:
        """Plausibility warnings (orange): they inform, the figure is saved anyway."""
        found = plausibility.figure_warnings(self.page.doc.ref, self.page.doc.snap.assessment.profile, self.field.id)
        if found:
            self.message.setText("\n".join(found))
            self.message.setStyleSheet("color: #a15c00;")
            self.message.show()
        else:
            self.message.hide()
        return found

    @staticmethod
    def _select(combo: QComboBox, key) -> None:
        i = combo.findData(key)
        combo.setCurrentIndex(i if i >= 0 else 0)

    def _check(self, text: str) -> float | None:
        try:
            value = self.widget.parse(text)
        except values.Invalid as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color: #b00020;")
            self.message.show()
            return None
        self.message.hide()
        return value

    def save(self, *_):
        try:
            value = self.widget.parse(self.value.text())
        except values.Invalid:
            return  # the red message stays; the text stays in the field
        stored = self.page.doc.snap.assessment.profile.get(self.field.id)
        if value is None and not self.source.text().strip():
            new = None
        else:
            new = {"value": value, "qualifier": self.qualifier.currentData(),
                   "year": self.year.value() or None, "perimeter": self.perimeter.currentData(),
                   "source": self.source.text().strip()}
            if stored:
                new = {**stored, **new}
        if new != stored:
            self.page.doc.set_profile(self.field.id, new)
        self.show_warnings()


class ProfilePage(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.editors: dict[str, object] = {}
        self.savers: list[TextCommitter] = []
        content = QWidget(self)
        outer = QVBoxLayout(content)
        outer.addWidget(wrapped_label(self.tr(
            "Les chiffres se saisissent à la française (« 152 000 », « 32,5 ») ; "
            "précisez pour chacun l’année, le périmètre et la source, car un chiffre sans périmètre "
            "ne se compare pas."), content))
        sections: dict[str, QFormLayout] = {}
        self.section_boxes: dict[str, QGroupBox] = {}
        from ui.pages.pole_identity import PoleIdentityBox

        # the pole's identity (the same for all its assessments) comes first
        self.pole_box = PoleIdentityBox(document, content)
        self.section_boxes[self.pole_box.title()] = self.pole_box
        outer.addWidget(self.pole_box)
        fields = list(document.ref.profile_fields)
        # structured facts first, the long narrative last: figures are what gets compared
        fields.sort(key=lambda f: f.type == "longtext")
        for field in fields:
            form = sections.get(field.section)
            if form is None:
                box = QGroupBox(field.section or self.tr("Autres"), content)
                form = QFormLayout(box)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                sections[field.section] = form
                self.section_boxes[field.section] = box
                outer.addWidget(box)
            editor = self._editor(field, form.parentWidget())
            label = QLabel(field.label + " :", form.parentWidget())
            # one line: the form puts the field under a long label (WrapLongRows) instead of
            # cutting a wrapped label to the height of its field
            label.setBuddy(editor.value if isinstance(editor, FigureEditor) else editor)
            tip = field.definition or field.help
            if tip:
                label.setToolTip(tip)
                editor.setToolTip(tip)
            form.addRow(label, editor)
        outer.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        scroll.setAccessibleName(self.tr("Fiche de profil"))
        self.scroll = scroll
        self.sections = QListWidget(self)
        self.sections.setAccessibleName(self.tr("Sections du profil"))
        self.sections.addItems(list(self.section_boxes))
        self.sections.setFixedWidth(self.sections.sizeHintForColumn(0) + 2 * self.sections.frameWidth() + 12)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.currentTextChanged.connect(self.show_section)
        lay = QHBoxLayout(self)
        lay.addWidget(self.sections)
        lay.addWidget(scroll, 1)
        document.profileChanged.connect(self._changed)

    def show_section(self, name: str) -> None:
        box = self.section_boxes.get(name)
        if box is not None:
            self.scroll.verticalScrollBar().setValue(box.y())

    def _editor(self, field, parent):
        if field.type in NUMBER_TYPES:
            editor = FigureEditor(self, field, parent)
        elif field.type == "choice":
            editor = QComboBox(parent)
            editor.addItem("—", None)
            for c in field.choices:
                editor.addItem(c.label, c.id)
            editor.activated.connect(lambda i, f=field, e=editor: self._save_value(f.id, e.itemData(i)))
        else:
            editor = plain_edit(field.label, field.help, parent, 3) if field.type == "longtext" \
                else QLineEdit(parent)
            editor.setAccessibleName(field.label)
            saver = TextCommitter(editor, lambda t, f=field: self._save_value(f.id, t.strip() or None), self)
            self.savers.append(saver)
            editor.saver = saver
        if not isinstance(editor, FigureEditor):
            editor.setAccessibleName(field.label)
        self.editors[field.id] = editor
        self._load(field.id)
        return editor

    def _save_value(self, field_id: str, value) -> None:
        stored = self.doc.snap.assessment.profile.get(field_id)
        new = None if value in (None, "") else {**(stored or {}), "value": value}
        if new != stored:
            self.doc.set_profile(field_id, new)

    def _load(self, field_id: str) -> None:
        editor = self.editors[field_id]
        stored = (self.doc.snap.assessment.profile.get(field_id) or {}).get("value")
        if isinstance(editor, FigureEditor):
            editor.load()
        elif isinstance(editor, QComboBox):
            i = editor.findData(stored)
            editor.setCurrentIndex(i if i >= 0 else 0)
        elif not editor.saver.dirty:
            editor.saver.load("" if stored is None else str(stored))

    def _changed(self, field_id: str) -> None:
        if field_id in self.editors:
            self._load(field_id)

    def flush(self) -> None:
        self.pole_box.flush()
        for saver in self.savers:
            saver.flush()
        for editor in self.editors.values():
            if isinstance(editor, FigureEditor):
                editor.source_saver.flush()

