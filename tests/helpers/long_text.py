"""The longest texts seen in a database (issue 16, item 5: a 1 MB alias took 465 s to report),
written straight into the demo assessment's tables so that the report faces them whatever
limits import and services set today. Shared by tests/formats/test_pdf_long_text.py and
bench/report.py."""

from __future__ import annotations

import json
import sqlite3
import uuid as uuid_mod

ALIAS_LEN = 1_000_000  # one pole alias, no space
PARTICIPANT_LEN = 200_000  # one participant's name, no space
COMMENT_LEN = 1_000_000  # one comment, words of 9 letters
SWOT_LEN = 300_000  # one SWOT item, no space


def make_long_texts(db_path, assessment_uuid: str) -> None:
    con = sqlite3.connect(db_path)
    with con:
        (pole,) = con.execute("SELECT pole_id FROM assessment WHERE id = ?", (assessment_uuid,)).fetchone()
        con.execute("UPDATE pole SET aliases = ? WHERE id = ?",
                    (json.dumps(["A" * ALIAS_LEN, "Coop’Vallée"], ensure_ascii=False), pole))
        for position, (name, college) in enumerate([("P" * PARTICIPANT_LEN, "ess"), ("Camille Martin", "entreprise")]):
            con.execute("INSERT INTO participant (id, assessment_id, name, college, position, created_at) "
                        "VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00Z')",
                        (str(uuid_mod.uuid4()), assessment_uuid, name, college, position))
        con.execute("UPDATE answer SET comment = ? WHERE id = (SELECT id FROM answer WHERE assessment_id = ? "
                    "AND participant_id IS NULL ORDER BY criterion_id LIMIT 1)",
                    (("abcdefghi " * (COMMENT_LEN // 10)).strip(), assessment_uuid))
        con.execute("INSERT INTO swot_item (id, assessment_id, quadrant, text, importance, position, updated_at) "
                    "VALUES (?, ?, 'S', ?, 2, 99, '2026-01-01T00:00:00Z')",
                    (str(uuid_mod.uuid4()), assessment_uuid, "F" * SWOT_LEN))
    con.close()
