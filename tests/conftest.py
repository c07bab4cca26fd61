"""Shared fixtures: every test gets its own data folder and a fresh database."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test ever touches the user's real data folder or database."""
    data = tmp_path / "donnees"
    monkeypatch.setenv("PTCE_TOOLKIT_DATA", str(data))
    monkeypatch.delenv("PTCE_TOOLKIT_DB", raising=False)
    from ptce_toolkit import referential

    referential.reset_registry()
    yield
    referential.reset_registry()


@pytest.fixture
def db(tmp_path):
    from ptce_toolkit.db import open_database

    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.close()


@pytest.fixture
def ref():
    from ptce_toolkit import referential

    return referential.default()


@pytest.fixture
def demo(db):
    """(db, uuid of this year's demo assessment)."""
    from ptce_toolkit import demo as demo_mod

    return db, demo_mod.create_demo(db)
