"""Shared fixtures: every test gets its own data folder and a fresh database."""

from __future__ import annotations

import os
import shutil

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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo database, built once per session (≈0.3 s each) and copied for each test."""
    from ptce_toolkit import demo as demo_mod
    from ptce_toolkit import referential
    from ptce_toolkit.db import open_database

    folder = tmp_path_factory.mktemp("demo-modele")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PTCE_TOOLKIT_DATA", str(folder / "donnees"))
        mp.delenv("PTCE_TOOLKIT_DB", raising=False)
        referential.reset_registry()
        database = open_database(folder / "demo.sqlite3")
        uuid = demo_mod.create_demo(database)
        database.close()
        referential.reset_registry()
    assert not (folder / "demo.sqlite3-wal").exists(), "la base modèle doit être complète en un seul fichier"
    return folder / "demo.sqlite3", uuid


@pytest.fixture
def db(tmp_path, request):
    """A fresh database; a copy of the demo database when the test also asks for ``demo``."""
    from ptce_toolkit.db import open_database

    path = tmp_path / "test.sqlite3"
    if "demo" in request.fixturenames:
        shutil.copyfile(request.getfixturevalue("demo_template")[0], path)
    database = open_database(path)
    yield database
    database.close()


@pytest.fixture
def ref():
    from ptce_toolkit import referential

    return referential.default()


@pytest.fixture
def demo(db, demo_template):
    """(db, uuid of this year's demo assessment), on a copy of the session's demo database."""
    return db, demo_template[1]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` run first (stable sort, the rest keeps its order): with two workers
    (pytest-xdist, see the Makefile), a long test started last would keep one core busy alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
