"""Run by tools/check_wheel.sh with the clean venv's Python, from a temporary folder:
imports every module of the four packages from the installed wheel, then opens the main
window offscreen on the demo database and waits for it to load. Exit code 0 only if all
of it worked; each failure is one French line on stderr."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

PACKAGES = ("ptce_toolkit", "exports", "cli", "ui")
NOT_IMPORTABLE = {"ptce_toolkit.migrations.env"}  # Alembic's script, run by Alembic with its context set


def import_everything(site: Path) -> list[str]:
    problems = []
    count = 0
    for name in PACKAGES:
        pkg = importlib.import_module(name)
        where = Path(pkg.__file__).resolve()
        if site not in where.parents:
            problems.append(f"« {name} » vient de {where}, pas de l’environnement installé ({site}).")
        for info in pkgutil.walk_packages(pkg.__path__, prefix=name + "."):
            if info.name.endswith(".__main__") or info.name in NOT_IMPORTABLE:
                continue  # `python -m` entry points (importing one runs the program), Alembic's env
            try:
                importlib.import_module(info.name)
                count += 1
            except Exception as exc:  # noqa: BLE001 - each failure reported, then the exit code says it
                problems.append(f"Import impossible de « {info.name} »\u00a0: {type(exc).__name__}\u00a0: {exc}")
    print(f"{count} modules importés depuis {site}")
    return problems


def open_main_window(db_path: str, uuid: str) -> list[str]:
    from PySide6.QtCore import QTimer

    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    window = MainWindow(db_path, uuid)
    window.show()
    outcome: list[str] = []
    window.loaded.connect(lambda: (outcome.append("ok"), app.quit()))
    window.loadFailed.connect(lambda message: (outcome.append(message), app.quit()))
    QTimer.singleShot(60_000, lambda: (outcome.append("délai dépassé (60 s)"), app.quit()))
    QTimer.singleShot(0, window.start_loading)
    app.exec()
    if outcome[:1] != ["ok"]:
        return [f"La fenêtre principale ne s’est pas chargée\u00a0: {outcome[:1]}"]
    if window.tabs.count() == 0:
        return ["La fenêtre principale s’est chargée sans aucune page."]
    print(f"Fenêtre principale ouverte\u00a0: {window.tabs.count()} pages, «\u00a0{window.windowTitle()}\u00a0»")
    window.close()
    return []


def main() -> int:
    db_path, uuid, site = sys.argv[1], sys.argv[2], Path(sys.argv[3]).resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problems = import_everything(site) + open_main_window(db_path, uuid)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
