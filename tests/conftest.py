"""Shared fixtures: every test gets its own data folder and a fresh database."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers.module_env import isolate, isolated_env, referential_cache
from tests.helpers.shared import built_once

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config):
    """Python collects cyclic garbage every 700 new objects by default; openpyxl (one object
    per cell, style and descriptor) and ReportLab (fragments, lines) make hundreds of thousands
    per workbook or report, so the collector kept walking the same young objects. A larger
    first generation gave the same results with ≈ 7–9 % less processor (measured in turns)."""
    gc.set_threshold(50_000, 20, 20)


def pytest_addoption(parser):
    parser.addini("coverage_tests", "test files during which coverage is measured (the tests of the files "
                  "[tool.coverage.run] lists); outside them the tracer is paused", type="linelist", default=[])


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """In an xdist worker, pytest-cov 7.1 starts two tracers: one at start-up, believing the
    worker is the controller (``-n`` is in its arguments), then the worker's own. The first
    is never stopped nor saved, and ``Coverage.current()`` pauses only the second: every test
    ran traced (≈ 45 s of processor over the suite). Keep the worker's, stop the other."""
    if "coverage" not in sys.modules or getattr(session.config, "workerinput", None) is None:
        return
    import coverage

    own = coverage.Coverage.current()
    if own is None:
        return
    own.stop()
    for _ in range(8):  # stop() takes an instance off coverage's stack of started ones
        stray = coverage.Coverage.current()
        if stray is None:
            break
        stray.stop()
    own.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Coverage is what the listed test files prove, like qutebrowser's perfect files: each
    file kept at 100 % is covered by its own tests. Elsewhere the tracer is paused: on
    Python 3.11 it slowed every other test by up to half."""
    cov = None
    if "coverage" in sys.modules:
        import coverage

        cov = coverage.Coverage.current()
        listed = item.config.getini("coverage_tests")
        if cov is not None and Path(item.path).relative_to(item.config.rootpath).as_posix() not in listed:
            cov.stop()
        else:
            cov = None
    try:
        yield
    finally:
        if cov is not None:
            cov.start()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, tmp_path_factory, monkeypatch):
    """No test ever touches the user's real data folder or database.

    The cache of validated referentials (keyed by content hash) is shared by the session:
    without it every test parsed and validated the shipped YAML again (≈ 0.3 s each). A test
    that needs no cache at all asks for ``no_referential_cache``."""
    isolate(monkeypatch, tmp_path / "donnees", referential_cache(tmp_path_factory))
    from ptce_toolkit import referential

    referential.reset_registry()
    yield
    referential.reset_registry()


@pytest.fixture
def no_referential_cache(monkeypatch):
    """This test (and the processes it starts) without the session's shared referential cache."""
    monkeypatch.delenv("PTCE_TOOLKIT_CACHE")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo database, built once per session for all workers and copied for each test."""
    from ptce_toolkit import demo as demo_mod
    from ptce_toolkit.db import open_database

    def build(folder):
        with isolated_env(tmp_path_factory, "demo-donnees"):
            database = open_database(folder / "demo.sqlite3")
            uuid = demo_mod.create_demo(database)
            database.close()
        return uuid

    folder, uuid = built_once(tmp_path_factory, "demo-modele", build)
    assert not (folder / "demo.sqlite3-wal").exists(), "la base modèle doit être complète en un seul fichier"
    return folder / "demo.sqlite3", uuid


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory):
    """An empty database at the current schema, migrated once per session for all workers:
    running every migration takes ≈ 0.15 s, opening a copy ≈ 0.01 s (tests/core/test_migrations.py
    runs them)."""
    from ptce_toolkit.db import open_database

    def build(folder):
        with isolated_env(tmp_path_factory, "vide-donnees"):
            open_database(folder / "vide.sqlite3").close()

    folder, _ = built_once(tmp_path_factory, "vide-modele", build)
    assert not (folder / "vide.sqlite3-wal").exists(), "la base modèle doit être complète en un seul fichier"
    return folder / "vide.sqlite3"


@pytest.fixture
def db(tmp_path, request):
    """A fresh database (a copy of the session's empty one); a copy of the demo database when
    the test also asks for ``demo``."""
    from ptce_toolkit.db import open_database

    path = tmp_path / "test.sqlite3"
    template = (request.getfixturevalue("demo_template")[0] if "demo" in request.fixturenames
                else request.getfixturevalue("empty_template"))
    shutil.copyfile(template, path)
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
