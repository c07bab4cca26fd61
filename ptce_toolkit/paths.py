"""Where the app keeps its files: platform data folder, overridable for tests and CLI."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "PTCE Toolkit"
APP_AUTHOR = "PTCE Toolkit"
DB_ENV = "PTCE_TOOLKIT_DB"
DATA_ENV = "PTCE_TOOLKIT_DATA"
CACHE_ENV = "PTCE_TOOLKIT_CACHE"
DB_FILENAME = "ptce-toolkit.sqlite3"

# Referential files shipped with the app (data only, see referential/).
SHIPPED_REFERENTIAL_DIR = Path(__file__).resolve().parent.parent / "referential"


def data_dir() -> Path:
    """User data folder (created on demand). ``PTCE_TOOLKIT_DATA`` overrides it."""
    override = os.environ.get(DATA_ENV)
    if override:
        path = Path(override)
    else:
        import platformdirs  # imported late: only needed when no override is given

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Files the app can always rebuild (validated referentials): ``cache`` in the data folder,
    or ``PTCE_TOOLKIT_CACHE`` (the test suite shares one folder across its tests)."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else data_dir() / "cache"


def default_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """``--db`` beats ``PTCE_TOOLKIT_DB``, which beats the platform data folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return data_dir() / DB_FILENAME


def user_referential_dir() -> Path:
    """Folder where a network may drop its own referential files (created so users find it)."""
    path = data_dir() / "referentiels"
    path.mkdir(exist_ok=True)
    return path


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / (db_path.stem + "-sauvegardes")
