"""``make run``: open the app on the demo pole, or write the demo files when there is no screen."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_demo(db_path: Path) -> str:
    """Create the demo database on first use; return this year's demo assessment uuid."""
    from ptce_toolkit import demo, services
    from ptce_toolkit.db import open_database

    db = open_database(db_path)
    try:
        for a in services.list_assessments(db):
            if a.pole_name == demo.DEMO_POLE and a.title.endswith("2026"):
                return a.uuid
        return demo.create_demo(db)
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lance PTCE Toolkit sur le pôle de démonstration.")
    parser.add_argument("--db", default="out/demo.sqlite3")
    parser.add_argument("--out", default="out")
    args = parser.parse_args(argv)
    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    uuid = ensure_demo(db_path)
    if has_display():
        from ui.app import main as app_main

        return app_main(["--db", str(db_path), "--assessment", uuid])
    print("Aucun écran disponible : PTCE Toolkit écrit les fichiers de démonstration "
          f"dans « {args.out}/ » au lieu d’ouvrir la fenêtre.", file=sys.stderr)
    from exports.demo_files import write_demo_files
    from ptce_toolkit.db import open_database

    db = open_database(db_path)
    try:
        for path in write_demo_files(db, uuid, Path(args.out)):
            print(f"Écrit\u00a0: {path}", file=sys.stderr)
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
