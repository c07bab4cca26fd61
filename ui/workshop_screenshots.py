"""``python -m ui.workshop_screenshots OUTDIR``: the workshop views on the demo pole, as PNGs.

Builds the session view and the projector view standalone (no main window) on the demo
pole with five fictional participants, in a temporary folder. Run it under Xvfb:
``xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb python -m ui.workshop_screenshots docs/screenshots``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ui.screenshots import SIZE, settle  # same size and pacing as the main captures



def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ptce-atelier-"))
    os.environ["PTCE_TOOLKIT_DATA"] = str(tmp / "donnees")

    from PySide6.QtGui import QUndoStack

    from ui.app import install_translators, make_application

    app = make_application(["ptce-toolkit"])
    install_translators(app, "fr")

    from ptce_toolkit import demo, demo_workshop
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database
    from ui.pages.projector import ProjectorView
    from ui.pages.workshop import WorkshopPage
    from ui.save_state import SaveManager
    from ui.workshop_session import WorkshopSession

    db = open_database(tmp / "demo.sqlite3")
    uuid = demo.create_demo(db)
    demo_workshop.add_demo_participants(db, uuid)
    ref = sv.referential_of(db, uuid)
    stack, save = QUndoStack(), SaveManager()
    session = WorkshopSession(db, uuid, ref, stack.push, save)

    page = WorkshopPage(db, uuid, ref, stack.push, save, session=session)
    page.setWindowTitle("Séance de travail collective")
    page.resize(*SIZE)
    page.show()
    settle(app)
    page.select(page.model.order[0], 1)
    settle(app)
    written = [out / "atelier-seance.png"]
    page.grab().save(str(written[-1]))

    projector = ProjectorView(db, uuid, ref, stack.push, save, session=session)
    projector.setWindowTitle("Mode projection")
    projector.resize(*SIZE)
    projector.show()
    settle(app)
    written.append(out / "atelier-projection-masquee.png")
    projector.grab().save(str(written[-1]))
    projector.toggle_reveal()
    projector.reason.setText("Les avis se rejoignent sur un fonctionnement encore informel.")
    settle(app)
    written.append(out / "atelier-projection-revelee.png")
    projector.grab().save(str(written[-1]))
    projector.close()
    page.close()
    db.close()
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
