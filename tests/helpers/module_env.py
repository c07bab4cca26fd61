"""Inputs built once per test module (a database with its assessments, a folder of workbooks, a
rendered report) and read, or copied, by each test.

A module-scoped fixture runs before the per-test isolation of tests/conftest.py (function-scoped
fixtures are set up after it): ``isolated_env`` gives it the same isolation, with a data folder of
its own and the referential cache of this process's tests."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest


def referential_cache(tmp_path_factory) -> Path:
    """The cache of validated referentials shared by this process's tests and module fixtures
    (keyed by content hash: without it each of them parsed and validated the shipped YAML)."""
    folder = tmp_path_factory.getbasetemp() / "cache-referentiels"
    folder.mkdir(exist_ok=True)
    return folder


def isolate(mp: pytest.MonkeyPatch, data_folder: Path, cache: Path) -> None:
    """Data folder, referential cache and database taken away from the user's real ones."""
    mp.setenv("PTCE_TOOLKIT_DATA", str(data_folder))
    mp.setenv("PTCE_TOOLKIT_CACHE", str(cache))
    mp.delenv("PTCE_TOOLKIT_DB", raising=False)


@contextmanager
def isolated_env(tmp_path_factory, name: str):
    """A fresh folder for the fixture; inside the block, the data folder is in it and nothing
    touches the user's real data, cache or database. Yields the folder."""
    from ptce_toolkit import referential

    folder = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, folder / "donnees", referential_cache(tmp_path_factory))
        referential.reset_registry()
        try:
            yield folder
        finally:
            referential.reset_registry()


@contextmanager
def database_copy(template: Path, path: Path):
    """``template`` copied to ``path`` and opened; closed at the end of the block."""
    from ptce_toolkit.db import open_database

    shutil.copyfile(template, path)
    database = open_database(path)
    try:
        yield database
    finally:
        database.close()
