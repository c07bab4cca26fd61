"""Upgrades: every stored database of an earlier schema opens with its data intact.

tests/data/db/ holds one file per schema version, written by make_fixture.py with the
code of that version. Adding a migration = run make_fixture.py, commit the new file.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest

from ptce_toolkit import backup, migrate
from ptce_toolkit import services as sv
from ptce_toolkit.db import SCHEMA_HEAD, SCHEMA_REVISIONS, DatabaseError, NewerDatabase, open_database
from tests.helpers import dbcontent

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "data" / "db"
FIXTURES = sorted(FIXTURE_DIR.glob("schema-*.sqlite3"))


def rows_by_table(path: Path) -> dict[str, dict[tuple, dict]]:
    """Every row of every table, keyed by primary key, read with plain sqlite3."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> 'alembic_version'")]
        for t in tables:
            pk = [r["name"] for r in con.execute(f'PRAGMA table_info("{t}")') if r["pk"]]
            out[t] = {tuple(row[c] for c in pk): dict(row) for row in con.execute(f'SELECT * FROM "{t}"')}
        return out
    finally:
        con.close()


def stored_revision(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_stored_database_exists_for_every_schema_version():
    stored = {p.stem.removeprefix("schema-") for p in FIXTURES}
    missing = [r for r in SCHEMA_REVISIONS if r not in stored]
    assert not missing, f"lancez tests/data/db/make_fixture.py pour le schéma {missing}"
    for p in FIXTURES:  # the name tells the truth about the content
        assert stored_revision(p) == p.stem.removeprefix("schema-")


def test_schema_revisions_match_the_migration_scripts():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    chain = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert list(SCHEMA_REVISIONS) == chain
    assert SCHEMA_HEAD == script.get_current_head() == migrate.head_revision()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_stored_version_upgrades_with_its_data_intact(fixture, tmp_path):
    path = tmp_path / "ancienne.sqlite3"
    shutil.copy(fixture, path)
    before = rows_by_table(fixture)
    assert all(before.values()), "chaque table du fichier stocké doit contenir des lignes"

    db = open_database(path)
    try:
        assert stored_revision(path) == SCHEMA_HEAD
        after = rows_by_table(path)
        for table, rows in before.items():
            assert set(after[table]) == set(rows), table
            for key, row in rows.items():
                kept = {c: after[table][key][c] for c in row if c in after[table][key]}
                assert kept == {c: row[c] for c in kept}, (table, key)
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()
        # the upgraded base is usable through the services
        newest = sv.list_assessments(db)[0].uuid
        sv.set_answer(db, newest, "FIN.1", level=4, comment="après mise à jour")
        assert sv.get_answers(db, newest)["FIN.1"].level == 4
    finally:
        db.close()
    if stored_revision(fixture) != SCHEMA_HEAD:
        assert [b.reason for b in backup.list_backups(path)] == [backup.BEFORE_MIGRATION]


def test_models_and_migrations_agree(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ptce_toolkit.models import metadata

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


# Named by hand: autogenerate does not see CHECK constraints, so a migration can lose one silently.
EXPECTED_CHECKS = {
    "assessment": {"ck_assessment_status"},
    "answer": {"ck_answer_status", "ck_answer_level"},
    "swot_item": {"ck_swot_item_quadrant", "ck_swot_item_importance"},
    "action": {"ck_action_status", "ck_action_priority"},
}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_check_constraints_exist_after_migration(fixture, tmp_path):
    from ptce_toolkit.models import metadata

    path = tmp_path / "base.sqlite3"
    shutil.copy(fixture, path)
    open_database(path).close()
    con = sqlite3.connect(path)
    try:
        sql = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type='table'").fetchall())
        for table, names in EXPECTED_CHECKS.items():
            for name in names:
                assert f"CONSTRAINT {name} CHECK" in sql[table], (table, name)
        declared = {c.name for t in metadata.tables.values() for c in t.constraints
                    if c.__class__.__name__ == "CheckConstraint"}
        assert declared <= set().union(*EXPECTED_CHECKS.values())
        # and they bite
        aid = con.execute("SELECT id FROM assessment LIMIT 1").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO answer (id, assessment_id, criterion_id, status, level, comment, evidence, "
                        "priority, updated_at) VALUES ('x', ?, 'FIN.1', 'answered', 7, '', '', 0, '')", (aid,))
    finally:
        con.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    shutil.copy(FIXTURES[-1], path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    digest, listing = sha256(path), sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(NewerDatabase) as err:
        open_database(path, lock=True, startup_backup=True)
    assert "version plus récente" in str(err.value) and "n’a pas été modifiée" in str(err.value)
    assert "9999" in str(err.value)
    assert sha256(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no backup, no journal, no lock left

    from cli.main import main

    assert main(["--db", str(path), "poles"]) != 0
    assert sha256(path) == digest


# ------------------------------------------------------------------ the batch-migration cascade trap

# A migration that rebuilds the parent table "assessment" (batch mode copies it into a new
# table, drops the old one and renames): with foreign keys ON, the DROP cascades into
# answers, SWOT items, actions… and deletes them.
REBUILD_PARENT = '''
"""test only: rebuild the assessment table"""
from alembic import op
import sqlalchemy as sa

revision = "zz01"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", recreate="always") as batch:
        batch.add_column(sa.Column("note_test", sa.String(), nullable=False, server_default=""))
    {extra}


def downgrade() -> None:
    pass
'''


def scripts_with_extra_revision(tmp_path: Path, extra: str = "") -> Path:
    """A copy of the shipped migrations plus one test revision (never shipped)."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "zz01_test_rebuild.py").write_text(
        textwrap.dedent(REBUILD_PARENT).format(head=SCHEMA_HEAD, extra=extra), encoding="utf-8")
    return folder


def child_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("answer", "swot_item", "action", "participant", "strategic_option")}
    finally:
        con.close()


def test_rebuilding_a_parent_table_keeps_child_rows(tmp_path, monkeypatch):
    path = tmp_path / "base.sqlite3"
    shutil.copy(FIXTURES[-1], path)
    open_database(path).close()
    before = child_counts(path)
    assert min(before.values()) > 0

    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts_with_extra_revision(tmp_path))
    monkeypatch.setattr("ptce_toolkit.db.SCHEMA_REVISIONS", (*SCHEMA_REVISIONS, "zz01"))
    monkeypatch.setattr("ptce_toolkit.db.SCHEMA_HEAD", "zz01")
    db = open_database(path)
    with db.connection() as conn:  # keys are back ON for the app once the migration is done
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()

    assert stored_revision(path) == "zz01"
    con = sqlite3.connect(path)
    assert "note_test" in {r[1] for r in con.execute("PRAGMA table_info(assessment)")}
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert child_counts(path) == before
    # and the migration was preceded by a backup holding the old schema
    (made,) = backup.list_backups(path)
    assert made.reason == backup.BEFORE_MIGRATION and stored_revision(made.path) == SCHEMA_HEAD


def test_the_trap_is_real_without_the_precaution(tmp_path):
    """Control: the same migration run naively (foreign keys ON) loses the child rows,
    so the test above would catch a migrate.upgrade that forgot to switch them off."""
    from alembic import command

    path = tmp_path / "base.sqlite3"
    shutil.copy(FIXTURES[-1], path)
    open_database(path).close()
    scripts = scripts_with_extra_revision(tmp_path)
    from ptce_toolkit.db import make_engine

    engine = make_engine(path)  # foreign_keys=ON on every connection
    cfg = migrate.alembic_config()
    cfg.set_main_option("script_location", str(scripts))
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        with conn.begin():
            command.upgrade(cfg, "zz01")
    engine.dispose()
    assert child_counts(path)["answer"] == 0


def test_a_failed_migration_leaves_the_base_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "base.sqlite3"
    shutil.copy(FIXTURES[-1], path)
    open_database(path).close()
    before = dbcontent.fingerprint(path)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR",
                        scripts_with_extra_revision(tmp_path, extra="raise RuntimeError('panne simulée')"))
    monkeypatch.setattr("ptce_toolkit.db.SCHEMA_REVISIONS", (*SCHEMA_REVISIONS, "zz01"))
    monkeypatch.setattr("ptce_toolkit.db.SCHEMA_HEAD", "zz01")

    with pytest.raises(DatabaseError) as err:
        open_database(path)
    message = str(err.value)
    assert "mise à jour" in message and "n’a pas été modifiée" in message
    assert dbcontent.fingerprint(path) == before
    assert stored_revision(path) == SCHEMA_HEAD
    (made,) = backup.list_backups(path)
    assert made.name in message
    assert dbcontent.fingerprint(made.path) == before
