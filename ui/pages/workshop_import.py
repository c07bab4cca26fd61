"""Individual questionnaires from the session view: one workbook per participant out,
the filled workbooks back in (matched to participants, conflicts confirmed first).

The work is in ``exports.xlsx_participants`` and ``ptce_toolkit.services.participant_import``;
here are only the dialogs: choosing the owner of a file that names nobody, and asking
before any rating already in the session is replaced. The import itself is written by the
window's serial writer, in a worker thread, after the edits already queued.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget,
)

from ui.translation import plural, tr

KEEP, REPLACE = "keep", "replace"


def questionnaire_name(name: str) -> str:
    """A file name from a person's name (no path separators or characters Windows refuses)."""
    clean = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip() or "participant"
    return f"Questionnaire {clean}.xlsx"


def write_questionnaires(session, folder: str | Path) -> list[Path]:
    from exports.xlsx_participants import write_participant_questionnaire

    folder = Path(folder)
    return [write_participant_questionnaire(session.db, session.uuid, p.uuid, folder / questionnaire_name(p.name))
            for p in session.participants]


class MatchDialog(QDialog):
    """« À qui appartient ce fichier ? » for every file that names no participant."""

    def __init__(self, session, sources: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("À qui appartiennent ces questionnaires\u00a0?"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Ces fichiers ne nomment aucun participant de la séance\u00a0: "
                                "choisissez la personne qui a rempli chacun d’eux."), self))
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for source in sources:
            combo = QComboBox(self)
            combo.addItem(tr("— ne pas importer —"), "")
            for p in session.participants:
                combo.addItem(p.name, p.uuid)
            combo.setAccessibleName(tr("Participant pour %1").replace("%1", source))
            self.combos[source] = combo
            form.addRow(source, combo)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def match(self) -> dict[str, str]:
        return {s: c.currentData() for s, c in self.combos.items() if c.currentData()}


def _conflict_text(session, plan) -> str:
    lines = []
    for fp, c in plan.conflicts[:12]:
        lines.append(tr("%1, %2\u00a0: %3 dans la séance, %4 dans le fichier")
                     .replace("%1", fp.participant.name).replace("%2", c.criterion)
                     .replace("%3", session.answer_label(c.current)).replace("%4", session.answer_label(c.incoming)))
    more = len(plan.conflicts) - len(lines)
    if more > 0:
        lines.append(plural(more, tr("… et %n autre"), tr("… et %n autres")))
    return "\n".join(lines)


def ask_conflicts(parent: QWidget, session, plan) -> str | None:
    """KEEP, REPLACE, or None (cancel)."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Notes différentes"),
                      plural(len(plan.conflicts), tr("%n note du fichier diffère de celle déjà saisie dans la séance."),
                             tr("%n notes du fichier diffèrent de celles déjà saisies dans la séance.")), parent=parent)
    box.setInformativeText(_conflict_text(session, plan))
    keep = box.addButton(tr("Garder les notes de la séance"), QMessageBox.ButtonRole.AcceptRole)
    replace = box.addButton(tr("Remplacer par celles des fichiers"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    return KEEP if clicked is keep else REPLACE if clicked is replace else None


def import_questionnaires(parent: QWidget, session, paths) -> str:
    """Plan, ask what must be asked, then queue the import as one undoable step; returns a
    French summary (a refusal when the import runs is shown by the window)."""
    from exports.xlsx_participants import plan_workbooks

    if not session.save.wait(30000):  # the plan compares with the database: queued edits first
        QMessageBox.warning(parent, tr("Import impossible"),
                            tr("Des modifications ne sont pas encore enregistrées\u00a0: réessayez de les "
                               "enregistrer avant d’importer.\n\n%1").replace("%1", session.save.message))
        return tr("Import impossible\u00a0: rien n’a été importé.")
    paths = [Path(p) for p in paths]
    plan = plan_workbooks(session.db, session.uuid, paths)
    unmatched = [f.source for f in plan.files if f.participant is None and not _unreadable(f)]
    if unmatched:
        dialog = MatchDialog(session, unmatched, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return tr("Import annulé.")
        chosen = dialog.match()
        keep = [p for p in paths if p.name not in unmatched or p.name in chosen]
        plan = plan_workbooks(session.db, session.uuid, keep, match=chosen)
    if plan.problems:
        QMessageBox.warning(parent, tr("Import impossible"),
                            tr("Rien n’a été importé\u00a0:") + "\n" + "\n".join(plan.problems))
        return tr("Import impossible\u00a0: rien n’a été importé.")
    overwrite = False
    if plan.conflicts:
        answer = ask_conflicts(parent, session, plan)
        if answer is None:
            return tr("Import annulé.")
        overwrite = answer == REPLACE
    session.import_plan(plan, overwrite=overwrite)
    new = sum(len(f.new) for f in plan.files) + (len(plan.conflicts) if overwrite else 0)
    return (plural(len(plan.files), tr("%n questionnaire importé"), tr("%n questionnaires importés")) + ", "
            + plural(new, tr("%n note enregistrée."), tr("%n notes enregistrées.")))


def _unreadable(fp) -> bool:
    return bool(fp.problems) and fp.matched_by == "" and not fp.problems[-1].startswith(("aucun participant",
                                                                                         "plusieurs participants"))
