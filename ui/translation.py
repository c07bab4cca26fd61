"""Translation helper for texts outside QObject classes.

``pyside6-lupdate`` files a bare ``tr("…")`` call under the empty context, so this
helper translates in that same context; inside a QObject class use ``self.tr``.
The source texts are French; ``ui/i18n/ptce_toolkit_fr.ts`` lists them all. After
changing texts, regenerate it with ``python -m ui.translation`` (runs pyside6-lupdate);
a translation ``ptce_toolkit_<lang>.ts`` is compiled with ``pyside6-lrelease`` into the
``.qm`` that ``ui.app`` loads for that language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ptce_toolkit.vocabulary import VOCABULARY_CONTEXT


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)


def tr_vocabulary(text: str) -> str:
    """A label of ``ptce_toolkit.vocabulary`` (marked there with QT_TRANSLATE_NOOP)."""
    return QCoreApplication.translate(VOCABULARY_CONTEXT, text)


def lupdate_command(ts_path: str | None = None) -> list[str]:
    """The pyside6-lupdate command that regenerates the .ts from the ui sources."""
    import sys
    from pathlib import Path

    ui_dir = Path(__file__).resolve().parent
    sources = sorted(str(p) for p in ui_dir.rglob("*.py") if p.name not in ("launch_demo.py", "screenshots.py"))
    sources.append(str(ui_dir.parent / "ptce_toolkit" / "vocabulary.py"))
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    return [str(tool), *sources, "-source-language", "fr_FR", "-target-language", "fr_FR", "-locations", "relative",
            "-ts", ts_path or str(ui_dir / "i18n" / "ptce_toolkit_fr.ts")]


if __name__ == "__main__":
    import subprocess

    raise SystemExit(subprocess.call(lupdate_command()))
