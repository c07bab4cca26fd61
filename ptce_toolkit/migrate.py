"""Run Alembic migrations on an engine the app already holds (no alembic.ini lookup)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade with foreign keys OFF (batch mode rebuilds tables; ON would cascade-delete
    child rows), then verify the keys before switching them back on."""
    from alembic import command

    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            with conn.begin():
                # pysqlite runs DDL outside any transaction unless told: an explicit BEGIN
                # makes the whole upgrade all-or-nothing (a failure leaves the file as it was).
                conn.exec_driver_sql("BEGIN")
                command.upgrade(alembic_config(conn), revision)
                bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if bad:  # checked before COMMIT, so broken links roll the whole upgrade back
                    raise RuntimeError(f"clés étrangères invalides après migration\u00a0: {bad[:5]}")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
