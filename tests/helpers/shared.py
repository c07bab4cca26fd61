"""Files built once per test session and shared by the pytest-xdist workers; tests work on copies.

A module-scoped fixture runs once in each worker: with two workers, an input that takes a second
to build (a demo base, a filled questionnaire) was built twice. Here the first worker builds it
under a lock in the workers' common folder and the others wait for it and reuse it."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> tuple[Path, object]:
    """(folder, what ``build(folder)`` returned, as JSON gives it back), ``build`` having run once
    per session whatever the number of workers. ``build`` writes its files into ``folder``."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the session's folder, above each worker's own
    folder, done = root / f"commun-{name}", root / f"commun-{name}.json"
    with open(root / f"commun-{name}.verrou", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            folder.mkdir(exist_ok=True)  # left by a build that failed: built again
            done.write_text(json.dumps(build(folder)), encoding="utf-8")
    return folder, json.loads(done.read_text(encoding="utf-8"))
