"""« Aide › À propos de PTCE Toolkit »: the version the user runs, and where the data is.

The version is read from the installed package metadata (pyproject.toml's version, also
in the frozen bundle, which carries the dist-info), with ``ptce_toolkit.__version__`` as
a fallback when the package is run from a bare source tree.
"""

from __future__ import annotations

import platform
from functools import lru_cache
from html import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox

from ptce_toolkit import paths


def tr(text: str) -> str:
    return QCoreApplication.translate("About", text)


@lru_cache(maxsize=1)
def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ptce-toolkit")
    except PackageNotFoundError:
        from ptce_toolkit import __version__

        return __version__


def about_html(db_path: str | None = None) -> str:
    """Rich text of the box (a function of its own so that tests can read it)."""
    folder = db_path or str(paths.default_db_path())
    lines = [
        f"<h3>PTCE Toolkit {escape(app_version())}</h3>",
        "<p>" + tr("Autodiagnostic des pôles territoriaux de coopération économique\u00a0: "
                   "référentiel d’action, grille AFOM, options stratégiques, plan d’action, "
                   "rapport PDF et classeur Excel.") + "</p>",
        "<p>" + tr("Fonctionne sans connexion\u00a0: vos données restent sur cet ordinateur.") + "</p>",
        "<p>" + tr("Base de données\u00a0: %1").replace("%1", f"<code>{escape(folder)}</code>") + "</p>",
        "<p><small>" + tr("Licence MIT. Python %1, Qt %2, PySide6 %3.")
        .replace("%1", platform.python_version()).replace("%2", qVersion()).replace("%3", pyside_version)
        + "</small></p>",
    ]
    return "".join(lines)


def show_about(window) -> None:
    db = getattr(window, "db", None)  # the open database, else the one asked for
    path = str(db.path) if db is not None else getattr(window, "db_path", None)
    QMessageBox.about(window, tr("À propos de PTCE Toolkit"), about_html(path))


def install_about_menu(window) -> None:
    """Add the « Aide » menu to the main window's menu bar (call once, after the other menus)."""
    from PySide6.QtGui import QAction

    menu = window.menuBar().addMenu(tr("&Aide"))
    action = menu.addAction(tr("À &propos de PTCE Toolkit"), lambda: show_about(window))
    action.setMenuRole(QAction.MenuRole.AboutRole)  # macOS moves it to the application menu
    window.about_action = action
