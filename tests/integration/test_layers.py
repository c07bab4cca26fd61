"""The core and the exports work with Qt absent (the CLI and servers need no PySide6)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_and_exports_import_without_pyside6():
    code = textwrap.dedent("""
        import importlib, pkgutil, sys

        class NoQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError("PySide6 rendu inimportable pour ce test")
                return None

        sys.meta_path.insert(0, NoQt())
        imported = []
        for pkg_name in ("ptce_toolkit", "exports"):
            pkg = importlib.import_module(pkg_name)
            for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
                if ".migrations." in info.name:
                    continue  # Alembic scripts run only inside Alembic
                importlib.import_module(info.name)
                imported.append(info.name)
        assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
        print(len(imported))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 10  # the walk really found the modules


def test_guard_really_blocks_pyside6():
    """The test above would be worthless if its guard let PySide6 through."""
    code = textwrap.dedent("""
        import sys
        class NoQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "PySide6":
                    raise ImportError("bloqué")
        sys.meta_path.insert(0, NoQt())
        import PySide6.QtCore
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "bloqué" in out.stderr


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:]
    assert "0 broken" in out.stdout
