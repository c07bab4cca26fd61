"""Main window: shows at once, then loads the database and the pages in a worker thread.

Only Qt and the light ui modules are imported here; the core (SQLModel…) and the pages
are imported by the loading worker, so the window appears before heavy imports.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget, QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget, QWidget,
)

from ui.save_state import SaveIndicator, SaveManager
from ui.undo import serial_of
from ui.workers import run_in_thread

PAGE_KEYS = ("profile", "walkthrough", "swot", "options", "actions", "dashboard")
DEFAULT_SIZE = (1280, 760)


def _load_core(db_path: str | None, assessment_uuid: str | None):
    """Worker: import the core and the pages, open the database, load the assessment."""
    import ui.pages.actions  # noqa: F401  (imported here, off the UI thread)
    import ui.pages.dashboard  # noqa: F401
    import ui.pages.options  # noqa: F401
    import ui.pages.profile  # noqa: F401
    import ui.pages.swot  # noqa: F401
    import ui.pages.walkthrough  # noqa: F401
    import ui.pages.workshop  # noqa: F401
    import ui.pages.projector  # noqa: F401
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database
    from ui.document import load_data

    # the app takes the single-instance lock and keeps a rolling backup (docs/FIABILITE.md)
    db = open_database(db_path, lock=True, startup_backup=True)
    if assessment_uuid is None:
        listed = sv.list_assessments(db)
        assessment_uuid = listed[0].uuid if listed else None
    data = load_data(db, assessment_uuid) if assessment_uuid else None
    return db, assessment_uuid, data


class MainWindow(QMainWindow):
    loaded = Signal()          # database open and first assessment shown (or none to show)
    loadFailed = Signal(str)

    def __init__(self, db_path: str | None = None, assessment_uuid: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("PTCE Toolkit"))
        self.db_path, self.requested = db_path, assessment_uuid
        self.db = None
        self.doc = None
        self.documents: dict[str, object] = {}
        self.pages: dict[str, QWidget] = {}
        self.save = SaveManager(self)
        # poles and assessments (the navigator); each open assessment has its own stack (Document.stack)
        self.structure_stack = QUndoStack(self)
        self.settings = QSettings()

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(self.tr("Pages de l’évaluation"))
        self.placeholder = QLabel(self.tr("Ouverture de la base de données…"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.placeholder)
        self.save_indicator = SaveIndicator(self.save, self)
        self.statusBar().addPermanentWidget(self.save_indicator)
        self.assessment_label = QLabel(self)
        self.statusBar().addWidget(self.assessment_label, 1)
        # Referential files of the user's folder that were set aside (invalid, shadowed).
        self.referential_notice = QPushButton(self)
        self.referential_notice.setFlat(True)
        self.referential_notice.setVisible(False)
        self.referential_notice.clicked.connect(self.show_referential_problems)
        self.statusBar().addPermanentWidget(self.referential_notice)
        self.referential_dialog: QMessageBox | None = None
        self.nav_dock = QDockWidget(self.tr("Pôles et évaluations"), self)
        self.nav_dock.setObjectName("navigateur")
        self.nav_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.nav_dock)
        self._menus()
        self.resize(*DEFAULT_SIZE)
        self._restore_layout()

    # ------------------------------------------------------------------ menus

    def _menus(self) -> None:
        bar = self.menuBar()
        # Other features add their entries here (reports, workbooks, backups…).
        self.file_menu = bar.addMenu(self.tr("&Fichier"))
        from ui.file_actions import install_file_actions

        install_file_actions(self)
        self.file_menu.addSeparator()
        quit_action = self.file_menu.addAction(self.tr("&Quitter"), QKeySequence.StandardKey.Quit, self.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit = bar.addMenu(self.tr("&Édition"))
        self.undo_action = QAction(self.tr("Annuler"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction(self.tr("Rétablir"), self)
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
        self.redo_action.triggered.connect(self.redo)
        for a in (self.undo_action, self.redo_action):
            a.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            a.setEnabled(False)
            edit.addAction(a)
        self.structure_stack.indexChanged.connect(self._show_undo_state)

        view = bar.addMenu(self.tr("&Affichage"))
        view.addAction(self.nav_dock.toggleViewAction())
        view.addSeparator()
        titles = self.page_titles()
        self.page_actions = []
        for i, key in enumerate(PAGE_KEYS):
            act = view.addAction(titles[key], QKeySequence(f"Ctrl+{i + 1}"), lambda i=i: self.show_page(i))
            act.setEnabled(False)
            self.page_actions.append(act)

        from ui.about import install_about_menu

        install_about_menu(self)

    def page_titles(self) -> dict[str, str]:
        return {"profile": self.tr("Profil"), "walkthrough": self.tr("Parcours du référentiel"),
                "swot": self.tr("Grille AFOM"), "options": self.tr("Options stratégiques"),
                "actions": self.tr("Plan d’action"), "dashboard": self.tr("Tableau de bord")}

    def show_page(self, index: int) -> None:
        if self.tabs.count() > index:
            self.tabs.setCurrentIndex(index)
            self.tabs.currentWidget().setFocus()

    # ------------------------------------------------------------------ undo: per assessment

    @property
    def stack(self) -> QUndoStack:
        """The open assessment's undo stack (the navigator's when none is open)."""
        return self.doc.stack if self.doc is not None else self.structure_stack

    def _stacks(self) -> list[QUndoStack]:
        return [self.structure_stack] + ([self.doc.stack] if self.doc is not None else [])

    def _next_undo(self) -> QUndoStack | None:
        """The stack holding the latest edit still done: the navigator's or the open assessment's."""
        ready = [s for s in self._stacks() if s.canUndo()]
        return max(ready, key=lambda s: serial_of(s.command(s.index() - 1)), default=None)

    def _next_redo(self) -> QUndoStack | None:
        ready = [s for s in self._stacks() if s.canRedo()]
        return min(ready, key=lambda s: serial_of(s.command(s.index())), default=None)

    def _show_undo_state(self, *_) -> None:
        u, r = self._next_undo(), self._next_redo()
        self.undo_action.setEnabled(u is not None)
        self.redo_action.setEnabled(r is not None)
        self.undo_action.setText(self.tr("Annuler « %1 »").replace("%1", u.undoText()) if u
                                 else self.tr("Annuler"))
        self.redo_action.setText(self.tr("Rétablir « %1 »").replace("%1", r.redoText()) if r
                                 else self.tr("Rétablir"))

    def undo(self) -> None:
        # text still being typed becomes its own edit first, so Ctrl+Z undoes exactly that
        self._flush_pages()
        stack = self._next_undo()
        if stack is not None:
            stack.undo()

    def redo(self) -> None:
        self._flush_pages()
        stack = self._next_redo()
        if stack is not None:
            stack.redo()

    def drop_document(self, uuid: str) -> None:
        """Forget an assessment's in-memory state and its undo history (e.g. it was reloaded
        by an import): undo must never write values older than the database's."""
        doc = self.documents.pop(uuid, None)
        if doc is not None:
            doc.stack.clear()
        if doc is not None and self.doc is doc:
            self.doc = None
        self._show_undo_state()

    # ------------------------------------------------------------------ loading

    def start_loading(self) -> None:
        run_in_thread(lambda _p: _load_core(self.db_path, self.requested), self._core_loaded, self._load_failed)

    def _core_loaded(self, result) -> None:
        from ui.navigator import Navigator

        self.db, uuid, data = result
        for warning in getattr(self.db, "warnings", []):
            self.statusBar().showMessage(warning, 15000)
        self._show_referential_notice()
        self.navigator = Navigator(self.db, self.save, self.structure_stack, self)
        self.navigator.openRequested.connect(self.open_assessment)
        self.navigator.changed.connect(self._structure_changed)
        self.nav_dock.setWidget(self.navigator)
        if uuid and data:
            self._show_document(uuid, data)
        else:
            self.placeholder.setText(self.tr("Créez un pôle puis une évaluation dans le panneau de gauche."))
        self.loaded.emit()

    def _referential_problems(self) -> list:
        from ptce_toolkit import referential

        return list(referential.registry().problems)

    def _show_referential_notice(self) -> None:
        problems = self._referential_problems()
        if problems:
            self.referential_notice.setText(
                self.tr("⚠ Référentiels mis de côté\u00a0: %1").replace("%1", str(len(problems))))
            self.referential_notice.setAccessibleName(self.tr("Fichiers de référentiel mis de côté"))
        self.referential_notice.setVisible(bool(problems))

    def show_referential_problems(self) -> None:
        """List the set-aside referential files (file, line, field, reason); non-modal."""
        from ptce_toolkit import paths

        problems = self._referential_problems()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Référentiels mis de côté"),
                          self.tr("Ces fichiers du dossier «\u00a0%1\u00a0» n’ont pas été chargés\u00a0; "
                                  "l’application utilise le référentiel fourni.")
                          .replace("%1", str(paths.user_referential_dir())),
                          QMessageBox.StandardButton.Close, self)
        box.setInformativeText("\n\n".join(str(p) for p in problems))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.referential_dialog = box
        box.finished.connect(lambda *_: setattr(self, "referential_dialog", None))
        box.open()

    def _load_failed(self, message: str, _tb: str) -> None:
        self.placeholder.setText(self.tr("La base de données n’a pas pu être ouverte.") + "\n" + message)
        if self._offer_backup(message) or self._offer_new_base(message):
            return
        QMessageBox.critical(self, self.tr("PTCE Toolkit"), message)
        self.loadFailed.emit(message)

    def _offer_backup(self, message: str) -> bool:
        """A damaged database: offer the newest intact backup instead of starting empty.
        The damaged file is set aside by the restore, never deleted. True if restored."""
        from pathlib import Path

        from ptce_toolkit import backup, integrity, paths

        path = Path(paths.default_db_path(self.db_path))
        try:
            integrity.check(path)
            return False
        except integrity.DamagedDatabase as exc:
            offered = exc.backup
        if offered is None:
            return False
        answer = QMessageBox.question(
            self, self.tr("Base endommagée"),
            message + "\n\n" + self.tr("Restaurer maintenant la sauvegarde du %1\u00a0?").replace("%1", offered.label()))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        backup.restore_backup(path, offered.path)
        self.statusBar().showMessage(self.tr("Sauvegarde du %1 restaurée.").replace("%1", offered.label()), 10000)
        self.start_loading()
        return True

    def _offer_new_base(self, message: str) -> bool:
        """A base used here before is gone (folder deleted, key pulled): never recreate it
        empty without asking. True if the user chose to start again with an empty base."""
        from pathlib import Path

        from ptce_toolkit import dbfile, paths

        path = Path(paths.default_db_path(self.db_path))
        if path.exists() or not dbfile.was_known(path):
            return False
        answer = QMessageBox.question(
            self, self.tr("Base introuvable"),
            message + "\n\n" + self.tr("Créer à la place une base vide\u00a0? Choisissez «\u00a0Non\u00a0» si le "
                                        "dossier ou le support peut revenir."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        dbfile.forget(path)
        self.start_loading()
        return True

    def open_assessment(self, uuid: str) -> None:
        if self.doc is not None and uuid == self.doc.uuid:
            return
        from ui.document import load_data

        self._flush_pages()
        if uuid in self.documents:
            self._show_document(uuid, None)
        else:
            self._show_document(uuid, load_data(self.db, uuid))

    def _show_document(self, uuid: str, data) -> None:
        from ui.document import Document

        doc = self.documents.get(uuid)
        if doc is None:
            doc = Document(self.db, uuid, self.save, self, data=data)
            doc.stack.indexChanged.connect(self._show_undo_state)
            self.documents[uuid] = doc
        self.doc = doc
        self._show_undo_state()
        self._build_pages(doc)
        self.navigator.current_assessment = uuid
        self.navigator.refresh()
        self.navigator.select(uuid)
        self._show_titles()

    def _build_pages(self, doc) -> None:
        from ui.pages.actions import ActionsPage
        from ui.pages.dashboard import DashboardPage
        from ui.pages.options import OptionsPage
        from ui.pages.profile import ProfilePage
        from ui.pages.swot import SwotPage
        from ui.pages.walkthrough import WalkthroughPage

        current = max(self.tabs.currentIndex(), 0) if self.pages else \
            int(self.settings.value("page", 1) or 1)
        self.tabs.clear()
        for page in self.pages.values():
            page.deleteLater()
        titles = self.page_titles()
        classes = (ProfilePage, WalkthroughPage, SwotPage, OptionsPage, ActionsPage, DashboardPage)
        self.pages = {}
        for key, cls in zip(PAGE_KEYS, classes):
            page = cls(doc, self.tabs)
            page.setObjectName(key)
            self.pages[key] = page
            self.tabs.addTab(page, titles[key])
        for act in self.page_actions:
            act.setEnabled(True)
        if self.centralWidget() is not self.tabs:
            old = self.takeCentralWidget()
            if old is not None:
                old.hide()
                old.deleteLater()
            self.setCentralWidget(self.tabs)
        self._add_workshop_pages(doc)
        self.tabs.setCurrentIndex(min(max(current, 0), len(PAGE_KEYS) - 1))
        self._wire_pages()

    def _add_workshop_pages(self, doc) -> None:
        """Workshop mode: the session view and the projector share one session; the
        agreed answer they record is the one that scores, so the Document rereads it."""
        from ui.pages.projector import ProjectorView
        from ui.pages.workshop import WorkshopPage

        session_page = WorkshopPage(doc.db, doc.uuid, doc.ref, doc.stack.push, self.save, self.tabs)
        projector = ProjectorView(doc.db, doc.uuid, doc.ref, doc.stack.push, self.save, self.tabs,
                                  session=session_page.session)
        session_page.setObjectName("workshop")
        projector.setObjectName("projector")

        # the session shows its answer before writing it (its own model): show the same at once
        session_page.session.agreedChanged.connect(
            lambda criterion_id: doc.show_answer(session_page.session.agreed(criterion_id)))
        if not getattr(self, "_workshop_reload_wired", False):
            self.tabs.currentChanged.connect(self._reload_workshop_when_shown)
            self._workshop_reload_wired = True
        for key, page, title in (("workshop", session_page, self.tr("Séance (atelier)")),
                                 ("projector", projector, self.tr("Projection"))):
            self.pages[key] = page
            self.tabs.addTab(page, title)

    def _reload_workshop_when_shown(self, index: int) -> None:
        """Edits made on other pages (walk-through, undo) show up in the session."""
        page = self.tabs.widget(index)
        if page is not None and page in (self.pages.get("workshop"), self.pages.get("projector")):
            page.session.reload()

    def _wire_pages(self) -> None:
        """Cross-page shortcuts: create an action from a priority criterion or an option."""
        actions = self.pages["actions"]
        self.pages["options"].actionRequested.connect(lambda u: (actions.create_from_option(u),
                                                                 self.show_page(PAGE_KEYS.index("actions"))))
        self.pages["dashboard"].actionRequested.connect(lambda c: (actions.create_from_criterion(c),
                                                                   self.show_page(PAGE_KEYS.index("actions"))))
        self.pages["dashboard"].criterionRequested.connect(self.go_to_criterion)
        self.tabs.currentChanged.connect(self._flush_pages)

    def go_to_criterion(self, criterion_id: str) -> None:
        self.pages["walkthrough"].show_criterion(criterion_id)
        self.show_page(PAGE_KEYS.index("walkthrough"))

    def _flush_pages(self, *_):
        for page in self.pages.values():
            flush = getattr(page, "flush", None)
            if flush:
                flush()

    def _structure_changed(self) -> None:
        """After a navigator edit (or its undo): drop documents whose assessment is gone,
        and keep an assessment open whenever one exists."""
        from ptce_toolkit import services as sv

        listed = sv.list_assessments(self.db)
        existing = {a.uuid for a in listed}
        for u in [u for u in self.documents if u not in existing]:
            if self.doc is not None and self.doc.uuid == u:
                self._close_document()
            self.drop_document(u)
        if self.doc is None and listed:
            self.open_assessment(listed[0].uuid)
        elif self.doc is not None:
            # the pole or the assessment may have been renamed
            self.doc.snap.pole.name = sv.get_pole(self.db, self.doc.snap.pole.uuid).name
            self.doc.snap.assessment.title = next(a.title for a in listed if a.uuid == self.doc.uuid)
            self._show_titles()

    def _close_document(self) -> None:
        self.doc = None
        self.tabs.clear()
        for page in self.pages.values():
            page.deleteLater()
        self.pages = {}
        for act in self.page_actions:
            act.setEnabled(False)
        self.takeCentralWidget()  # the tabs stay alive (self.tabs) for the next assessment
        self.placeholder = QLabel(self.tr("Aucune évaluation ouverte : créez un pôle puis une évaluation "
                                          "dans le panneau de gauche."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.placeholder)
        self.assessment_label.clear()
        self.setWindowTitle(self.tr("PTCE Toolkit"))

    def _show_titles(self) -> None:
        pole, a = self.doc.snap.pole.name, self.doc.snap.assessment.title
        self.assessment_label.setText(f"{pole} — {a}")
        self.setWindowTitle(self.tr("%1 — PTCE Toolkit").replace("%1", f"{pole}, {a}"))

    # ------------------------------------------------------------------ layout memory

    def _restore_layout(self) -> None:
        geometry = self.settings.value("fenetre/geometrie")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("fenetre/etat")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:
        self._flush_pages()
        if self.save.pending and not self.save.retry():
            answer = QMessageBox.warning(
                self, self.tr("Modifications non enregistrées"),
                self.tr("Certaines modifications n’ont pas pu être enregistrées :\n%1\n\n"
                        "Quitter quand même ? Elles seront perdues.").replace("%1", self.save.message),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.settings.setValue("fenetre/geometrie", self.saveGeometry())
        self.settings.setValue("fenetre/etat", self.saveState())
        self.settings.setValue("page", self.tabs.currentIndex())
        super().closeEvent(event)


def schedule_loading(window: MainWindow) -> None:
    QTimer.singleShot(0, window.start_loading)
