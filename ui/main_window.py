"""Main window: shows at once, then loads the database and the pages in a worker thread.

Only Qt and the light ui modules are imported here. Start-up runs in three steps, each
in a worker thread:

1. ``_open_base``: open the database (integrity check, lock, migrations when the schema
   is not current) and read the assessment with plain sqlite3. The walk-through is then
   shown and takes keys (``opened``); the writer holds every write.
2. ``_back_up``: the start-up backup (when the data changed since the newest one: on a
   network's base, ≈30 ms to compare its pages with the newest backup, ≈60 ms to copy).
   Then the ratings are written: their service runs on plain sqlite3
   (``services.operations.WITHOUT_ORM``, writer PLAIN).
3. ``_load_services``: import the other services and the ORM (≈0.6 s, SQLAlchemy and
   SQLModel); the navigator lists the poles and every write runs (``loaded``).

A write that cannot run yet waits in the writer's queue, in order, shown at once with
« Modification en cours… ».
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget, QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget, QWidget,
)

from ui.save_state import PLAIN, READY, WAITING, SaveIndicator, SaveManager
from ui.undo import serial_of
from ui.workers import run_in_thread

PAGE_KEYS = ("profile", "walkthrough", "swot", "options", "actions", "dashboard")
ALL_PAGE_KEYS = PAGE_KEYS + ("workshop",)  # the session view is a tab; the projection is a window
PAGE_CLASSES = {"profile": ("ui.pages.profile", "ProfilePage"),
                "walkthrough": ("ui.pages.walkthrough", "WalkthroughPage"),
                "swot": ("ui.pages.swot", "SwotPage"), "options": ("ui.pages.options", "OptionsPage"),
                "actions": ("ui.pages.actions", "ActionsPage"), "dashboard": ("ui.pages.dashboard", "DashboardPage")}


class _Pages(dict):
    """``window.pages[key]`` builds the page on first use; iterating lists the built ones."""

    def __init__(self, window):
        super().__init__()
        self.window = window

    def __missing__(self, key):
        if key not in ALL_PAGE_KEYS or self.window._page_doc is None:
            raise KeyError(key)
        return self.window.page(key)
DEFAULT_SIZE = (1280, 760)


def answered_count(doc) -> int:
    return sum(1 for a in doc.snap.answers.values() if a.status != "unanswered")


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Maj+Z and Ctrl+Y on every platform, plus the platform's own, each once: the
    same sequence twice on one action is « Ambiguous shortcut overload » and does nothing
    (X11 binds Redo to Ctrl+Shift+Z only)."""
    seen, keys = set(), []
    for k in [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"),
              *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]:
        if k.toString() not in seen and not k.isEmpty():
            seen.add(k.toString())
            keys.append(k)
    return keys


def _open_base(db_path: str | None, assessment_uuid: str | None, last_open: str | None = None,
               first_page: str = "walkthrough"):
    """Worker, step 1: import the first page shown, open the database, read the assessment
    (the one asked for, else the one open last time, else the first listed) with plain
    sqlite3. SQLAlchemy is not imported when the schema is current and an assessment is
    named or remembered. The other pages are imported and built when first shown."""
    import importlib

    from ptce_toolkit.db import open_database
    from ui.document import load_data

    if first_page in PAGE_CLASSES:
        importlib.import_module(PAGE_CLASSES[first_page][0])  # off the UI thread
    import ui.navigator  # noqa: F401 - built (empty) with the first page

    # the app takes the single-instance lock and keeps a rolling backup (docs/FIABILITE.md),
    # made in step 2, before any write: the writer waits for it
    db = open_database(db_path, lock=True, startup_backup="later")
    if assessment_uuid is None:
        assessment_uuid = _remembered(db, last_open)
    data = load_data(db, assessment_uuid) if assessment_uuid else None
    return db, assessment_uuid, data


def _remembered(db, last_open: str | None) -> str | None:
    """The assessment open last time if it still exists, else the first one the navigator
    lists (``services.list_assessments``: pole name, then the most recent), read with plain
    sqlite3 (importing the ORM to list them costs ≈0.5 s before the first key)."""
    with db.reading() as con:
        if last_open and con.execute("SELECT 1 FROM assessment WHERE id = ?", (last_open,)).fetchone():
            return last_open
        row = con.execute("SELECT a.id FROM assessment a JOIN pole p ON p.id = a.pole_id "
                          "ORDER BY p.name, a.started_on DESC, a.created_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _back_up(db):
    """Worker, step 2: the start-up backup, when the data changed since the newest one;
    the answers' service imported (plain sqlite3)."""
    from ptce_toolkit.services import answers  # noqa: F401

    db.backup_if_due()


def _load_services(db):
    """Worker, step 3: the services and the ORM, imported off the UI thread; the engine
    made and a connection opened, so the first write does not pay for them."""
    from ptce_toolkit import services as sv

    sv.load_all()
    with db.connection():
        pass


class MainWindow(QMainWindow):
    opened = Signal()          # database open, last assessment shown: the walk-through takes keys
    loaded = Signal()          # …and the services imported: navigator built, edits written
    loadFailed = Signal(str)

    def __init__(self, db_path: str | None = None, assessment_uuid: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("PTCE Toolkit"))
        self.db_path, self.requested = db_path, assessment_uuid
        self.db = None
        self.navigator = None           # built with the database, listed once the services are imported
        self.doc = None
        self.documents: dict[str, object] = {}
        self.pages = _Pages(self)       # key -> page, built on first use
        self._holders: dict[str, QWidget] = {}
        self._page_doc = None
        self.projection = None          # the projection window, once opened
        self.save = SaveManager(self)
        # poles and assessments (the navigator); each open assessment has its own stack (Document.stack)
        self.structure_stack = QUndoStack(self)
        self.settings = QSettings()

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(self.tr("Pages de l’évaluation"))
        self.placeholder = QLabel(self.tr("Ouverture de la base de données…"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)  # a long message (second instance…) wraps, the window keeps its size
        self.setCentralWidget(self.placeholder)
        self.save_indicator = SaveIndicator(self.save, self)
        # a refused edit has already left the screen; say why
        self.save.refused.connect(lambda message: self.statusBar().showMessage(message, 15000))
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
        self.redo_action.setShortcuts(redo_shortcuts())
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
        for i, key in enumerate(ALL_PAGE_KEYS):
            act = view.addAction(titles[key], QKeySequence(f"Ctrl+{i + 1}"), lambda i=i: self.show_page(i))
            act.setEnabled(False)
            self.page_actions.append(act)
        view.addSeparator()
        self.projection_action = view.addAction(self.tr("Projection (plein écran)"), QKeySequence("Ctrl+8"),
                                                self.open_projection)
        self.projection_action.setToolTip(self.tr("Ouvre la projection dans sa propre fenêtre, en plein écran "
                                                  "(F11 : plein écran ou non, Échap : en sortir)"))
        self.projection_action.setEnabled(False)

        from ui.about import install_about_menu

        install_about_menu(self)

    def page_titles(self) -> dict[str, str]:
        return {"profile": self.tr("Profil"), "walkthrough": self.tr("Parcours du référentiel"),
                "swot": self.tr("Grille AFOM"), "options": self.tr("Options stratégiques"),
                "actions": self.tr("Plan d’action"), "dashboard": self.tr("Tableau de bord"),
                "workshop": self.tr("Séance (atelier)")}

    def show_page(self, index: int) -> None:
        if self.tabs.count() > index:
            self.tabs.setCurrentIndex(index)
            self.page(ALL_PAGE_KEYS[index]).setFocus()

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
        last_open = self.settings.value(self._last_key()) if self.requested is None else None
        page_index = int(self.settings.value("page", 1) or 1)
        first = ALL_PAGE_KEYS[page_index] if 0 <= page_index < len(ALL_PAGE_KEYS) else "walkthrough"
        run_in_thread(lambda _p: _open_base(self.db_path, self.requested, last_open, first),
                      self._base_opened, self._load_failed)

    def _last_key(self) -> str:
        """Settings key of the assessment open last time, per database file."""
        from pathlib import Path

        path = str(Path(self.db_path).resolve()) if self.db_path else "defaut"
        return "evaluation/" + path.replace("/", "|").replace("\\", "|")

    def _base_opened(self, result) -> None:
        """Step 1 done: show the assessment; edits queue until the base is backed up, the
        navigator stays empty and disabled until the services are imported (built now: the
        layout stays put)."""
        from ui.navigator import Navigator

        self.db, uuid, data = result
        for warning in getattr(self.db, "warnings", []):
            self.statusBar().showMessage(warning, 15000)
        self._warned = len(self.db.warnings)
        self._show_referential_notice()
        self.save.set_ready(WAITING)
        self.navigator = Navigator(self.db, self.save, self.structure_stack, self, listed=False)
        self.navigator.openRequested.connect(self.open_assessment)
        self.navigator.changed.connect(self._structure_changed)
        self.nav_dock.setWidget(self.navigator)
        if uuid and data:
            self._show_document(uuid, data)
        else:
            self.placeholder.setText(self.tr("Créez un pôle puis une évaluation dans le panneau de gauche."))
        self.opened.emit()
        db = self.db
        run_in_thread(lambda _p: _back_up(db), self._backed_up, self._services_failed)

    def _backed_up(self, _result=None) -> None:
        """Step 2 done: the ratings queued meanwhile are written; the rest waits for step 3."""
        for warning in self.db.warnings[self._warned:]:  # a start-up backup that failed
            self.statusBar().showMessage(warning, 15000)
        self.save.set_ready(PLAIN)
        db = self.db
        run_in_thread(lambda _p: _load_services(db), self._core_loaded, self._services_failed)

    def _core_loaded(self, _result=None) -> None:
        """Step 3 done: write what was queued meanwhile, then list the poles."""
        self.save.set_ready(READY)
        self.navigator.start()
        self.loaded.emit()

    def _services_failed(self, message: str, _tb: str) -> None:
        # the edits stay queued and shown; writing them now says what fails (kept, « Réessayer »)
        self.save.set_ready(READY)
        QMessageBox.critical(self, self.tr("PTCE Toolkit"), message)
        self.loadFailed.emit(message)

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
            # the navigator's « 48 réponses » follows every rating, undo included
            doc.answerChanged.connect(lambda _c, d=doc: self._show_answered(d))
        self.doc = doc
        self._show_undo_state()
        self.settings.setValue(self._last_key(), uuid)
        self._build_pages(doc)
        self.navigator.mark_current(uuid)
        self.navigator.select(uuid)
        self._show_titles()

    def _show_answered(self, doc) -> None:
        self.navigator.set_answered(doc.uuid, answered_count(doc))

    def _build_pages(self, doc) -> None:
        """One tab per page; a page is built the first time it is shown (or asked for), so
        the walk-through accepts a key long before the dashboard's chart exists."""
        current = max(self.tabs.currentIndex(), 0) if self.pages else \
            int(self.settings.value("page", 1) or 1)
        self._drop_pages()
        self._page_doc = doc
        titles = self.page_titles()
        self.tabs.blockSignals(True)
        for key in ALL_PAGE_KEYS:
            holder = QWidget(self.tabs)  # stands in for the page until it is first shown
            holder.setObjectName(f"onglet-{key}")
            self._holders[key] = holder
            self.tabs.addTab(holder, titles[key])
        self.tabs.blockSignals(False)
        for act in self.page_actions + [self.projection_action]:
            act.setEnabled(True)
        if self.centralWidget() is not self.tabs:
            old = self.takeCentralWidget()
            if old is not None:
                old.hide()
                old.deleteLater()
            self.setCentralWidget(self.tabs)
        if not getattr(self, "_tabs_wired", False):
            self.tabs.currentChanged.connect(self._tab_shown)
            self._tabs_wired = True
        index = min(max(current, 0), len(ALL_PAGE_KEYS) - 1)
        self.tabs.setCurrentIndex(index)
        self._tab_shown(index)

    def _drop_pages(self) -> None:
        if self.projection is not None:
            self.projection.close()
            self.projection = None
        self.tabs.blockSignals(True)
        self.tabs.clear()
        self.tabs.blockSignals(False)
        for w in [*self._holders.values(), *self.pages.values()]:
            w.deleteLater()
        self._holders = {}
        self.pages.clear()

    def page(self, key: str) -> QWidget:
        """The page ``key`` of the open assessment, built now if it was never shown."""
        built = dict.get(self.pages, key)
        if built is not None:
            return built
        doc = self._page_doc
        if key == "workshop":
            page = self._make_workshop_page(doc)
        else:
            import importlib

            module, cls = PAGE_CLASSES[key]
            page = getattr(importlib.import_module(module), cls)(doc, self.tabs)
        page.setObjectName(key)
        dict.__setitem__(self.pages, key, page)
        # the page takes its stand-in's tab
        i = ALL_PAGE_KEYS.index(key)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(i)
        self.tabs.insertTab(i, page, self.page_titles()[key])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        self._holders.pop(key).deleteLater()
        self._wire_page(key, page)
        return page

    def _tab_shown(self, index: int) -> None:
        self._flush_pages()
        key = ALL_PAGE_KEYS[index] if 0 <= index < len(ALL_PAGE_KEYS) and self._page_doc is not None else None
        if key is None:
            return
        was_built = dict.get(self.pages, key) is not None
        page = self.page(key)
        if key == "workshop" and was_built:
            page.session.reload()  # edits made on other pages (walk-through, undo) show up

    def _make_workshop_page(self, doc):
        """Workshop mode: the session view and the projection share one session; the agreed
        answer they record is the one that scores, so the Document rereads it."""
        from ui.pages.workshop import WorkshopPage

        session_page = WorkshopPage(doc.db, doc.uuid, doc.ref, doc.stack.push, self.save, self.tabs)
        # the session shows its answer before writing it (its own model): show the same at once
        session_page.session.agreedChanged.connect(
            lambda criterion_id: doc.show_answer(session_page.session.agreed(criterion_id)))
        return session_page

    def open_projection(self, full_screen: bool = True):
        """Projection: its own window (for the projector), full screen; F11 toggles full
        screen, Échap leaves it. Shares the session of the « Séance » page."""
        if self.doc is None:
            return None
        from ui.pages.projector import ProjectionWindow

        if self.projection is None:
            session = self.page("workshop").session
            doc = self._page_doc
            self.projection = ProjectionWindow(doc.db, doc.uuid, doc.ref, doc.stack.push, self.save, session,
                                               title=self.windowTitle())
            self.projection.destroyed.connect(lambda *_: setattr(self, "projection", None))
        self.projection.present(full_screen)
        return self.projection.view

    def _wire_page(self, key: str, page) -> None:
        """Cross-page shortcuts: create an action from a priority criterion or an option."""
        if key == "options":
            page.actionRequested.connect(lambda u: (self.page("actions").create_from_option(u),
                                                    self.show_page(PAGE_KEYS.index("actions"))))
        elif key == "dashboard":
            page.actionRequested.connect(lambda c: (self.page("actions").create_from_criterion(c),
                                                    self.show_page(PAGE_KEYS.index("actions"))))
            page.criterionRequested.connect(self.go_to_criterion)

    def go_to_criterion(self, criterion_id: str) -> None:
        self.page("walkthrough").show_criterion(criterion_id)
        self.show_page(PAGE_KEYS.index("walkthrough"))

    def _flush_pages(self, *_):
        for page in list(self.pages.values()):
            flush = getattr(page, "flush", None)
            if flush:
                flush()

    def _structure_changed(self, change) -> None:
        """After a navigator edit (or its undo), from its change record: drop documents whose
        assessment is gone, keep an assessment open whenever one exists, show new names."""
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
            self.doc.refresh(change)  # the pole, when the change names it
            if self.doc.uuid in change.assessments or change.inverse is None:
                self.doc.snap.assessment.title = next(a.title for a in listed if a.uuid == self.doc.uuid)
            self._show_titles()

    def _close_document(self) -> None:
        self.doc = None
        self._drop_pages()
        self._page_doc = None
        for act in self.page_actions + [self.projection_action]:
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

    def save_everything(self, timeout_ms: int = 60000) -> bool:
        """Text being typed is committed and every queued write lands (bulk work finishes
        first); False when something could not be written. Close and SIGTERM use it."""
        self._flush_pages()
        return self.save.wait(timeout_ms)

    def closeEvent(self, event) -> None:
        if not self.save_everything():
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
