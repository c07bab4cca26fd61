"""Write the stored database of the CURRENT schema version: ``schema-<revision>.sqlite3``.

Run it once each time a migration is added (``python tests/data/db/make_fixture.py``)
and commit the new file; never regenerate an older one — those files are what earlier
releases left on users' disks, and tests/test_migrations.py upgrades each of them.

The content covers every table: the demo pole (two assessments, SWOT items linked to
criteria, options linked to SWOT items, actions linked to criteria and options),
workshop participants with their own answers, every answer status, and text with
accents, typographic apostrophes, emoji and line breaks; since schema 0002, an
assessment carried over to referential 2.0.0 (answers « à confirmer »).
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from ptce_toolkit import demo, snapshot  # noqa: E402
from ptce_toolkit import services as sv  # noqa: E402
from ptce_toolkit.db import SCHEMA_HEAD, open_database  # noqa: E402
from ptce_toolkit.records import ParticipantData  # noqa: E402


def build(target: Path) -> Path:
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    db = open_database(target)
    try:
        now = demo.create_demo(db)
        sv.set_answer(db, now, "FIN.5", comment="Ligne 1\nLigne 2 — « guillemets », œuvre, 12\u00a0% ✅")
        snap = snapshot.load(db, now)
        people = [ParticipantData(f"00000000-0000-4000-8000-00000000000{i}", name, college, i)
                  for i, (name, college) in enumerate([("Aïcha Benali", "Entreprises"),
                                                       ("Jérôme Lefèvre", "Collectivités")], start=1)]
        snap.participants = people
        snap.participant_answers = {
            p.uuid: {c: replace(a, level=(a.level + i) % 5 if a.level is not None else None)
                     for c, a in list(snap.answers.items())[:12]}
            for i, p in enumerate(people)
        }
        snapshot.write(db, snap)
        # since schema 0002: an assessment carried over to referential 2.0.0, with
        # answers « à confirmer » (split and merged criteria) and their origin
        from ptce_toolkit import referential
        from ptce_toolkit.services import carry

        v2 = referential.registry().get("ptce-referentiel-action", "2.0.0")
        carry.carry_over(db, now, v2, title="Diagnostic 2027 (référentiel 2.0.0)", started_on="2027-11-16")
    finally:
        db.close()
    # One self-contained file: no -wal beside it, compacted.
    con = sqlite3.connect(target)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
    finally:
        con.close()
    return target


if __name__ == "__main__":
    out = build(HERE / f"schema-{SCHEMA_HEAD}.sqlite3")
    print(f"Écrit : {out} ({out.stat().st_size} octets)")
