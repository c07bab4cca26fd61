"""Entry point of the desktop app: ``ptce-toolkit [--db FILE] [--assessment UUID]``.

The window is shown first; the database, the core and the pages load in a worker
(see STACK_NOTES.md, start-up). ReportLab and openpyxl are imported only when used.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSocketNotifier, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

I18N_DIR = Path(__file__).resolve().parent / "i18n"
ORGANISATION, APPLICATION = "PTCE Toolkit", "PTCE Toolkit"


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="ptce-toolkit", description="Autodiagnostic des PTCE.")
    parser.add_argument("--db", help="fichier de base de données SQLite")
    parser.add_argument("--assessment", help="identifiant de l’évaluation à ouvrir")
    parser.add_argument("--lang", help="langue de l’interface (fr par défaut, ou celle du système)")
    return parser.parse_args(argv)


def interface_language(lang: str | None = None) -> str:
    """« fr » unless another language is asked for (``--lang``) or is the system's and the
    app ships its catalogue: an English system must not get English file dialogs around
    French pages (« Look in: »)."""
    if lang:
        return QLocale(lang).name().split("_")[0]
    system = QLocale.system().name().split("_")[0]
    return system if system != "fr" and (I18N_DIR / f"ptce_toolkit_{system}.qm").exists() else "fr"


def install_translators(app: QApplication, lang: str | None = None) -> list[QTranslator]:
    """The source texts are French. Another language loads ``ui/i18n/ptce_toolkit_<lang>.qm``
    (built from the .ts with pyside6-lrelease); Qt's own dialogs (file dialogs, buttons) use
    Qt's shipped catalogue ``qtbase_<lang>.qm``, found through QLibraryInfo."""
    name = interface_language(lang)
    QLocale.setDefault(QLocale(QLocale.Language.French if name == "fr" else QLocale(name).language()))
    translators = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue, folder in ((f"qtbase_{name}", qt_dir), (f"ptce_toolkit_{name}", str(I18N_DIR))):
        t = QTranslator(app)
        if t.load(catalogue, folder):
            app.installTranslator(t)
            translators.append(t)
    return translators


def make_application(argv: list[str]) -> QApplication:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(argv)
    return app


def on_sigterm(app: QApplication, handler: Callable[[], None]) -> Callable[[], None]:
    """Run ``handler`` on the Qt loop when the process receives SIGTERM (session logout,
    ``kill``, a service manager). Python runs signal handlers only between bytecodes,
    and the Qt loop runs C++: the wake-up socket makes the loop call Python at once.
    Returns a function that puts the previous handling back."""
    receive, send = socket.socketpair()
    receive.setblocking(False)
    send.setblocking(False)
    notifier = QSocketNotifier(receive.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        try:
            receive.recv(64)
        except OSError:
            pass

    notifier.activated.connect(drain)
    # not in the handler itself: it may interrupt any Python code; the loop runs it next
    previous_fd = signal.set_wakeup_fd(send.fileno())
    previous = signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, handler))

    def uninstall() -> None:
        signal.signal(signal.SIGTERM, previous)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        receive.close()
        send.close()

    return uninstall


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = make_application([sys.argv[0]])
    install_translators(app, args.lang)
    from ui.main_window import MainWindow, schedule_loading

    window = MainWindow(args.db, args.assessment)
    window.show()
    schedule_loading(window)

    def terminate() -> None:
        window.save_everything(20000)
        app.exit(0)

    uninstall = on_sigterm(app, terminate)  # noqa: F841  (keeps the wake-up socket open)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
