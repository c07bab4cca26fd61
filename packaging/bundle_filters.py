"""What the bundle leaves out. Used by ptce-toolkit.spec (and by the bundle test,
which checks that none of it came back).

PySide6 ships all of Qt (≈ 670 MB). The app uses QtCore, QtGui, QtWidgets and QtCharts
only: every other Qt module, QML/Quick, WebEngine, the virtual keyboard, Wayland and
all but a few plugins and translations are dropped. A library that a kept library
still needs must not be listed here: the bundle test runs ``ldd`` on every file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import PurePath

# Python modules never imported by the app (dev tools, optional extras of libraries).
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "numpy", "pandas", "hypothesis", "pytest", "_pytest", "pytestqt",
    "IPython", "PyInstaller", "importlinter", "grimp", "rich", "pygments", "click",
    "docutils", "lib2to3", "pydoc_data", "unittest", "xmlrpc", "curses", "readline",
    # no network, ever: without _ssl and _hashlib, OpenSSL stays out (hashlib falls back
    # to Python's own SHA-256)
    "_ssl", "_hashlib",
    # Asian legacy encodings: every file the app reads or writes is UTF-8 (xlsx is XML)
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_codecs_hk", "_codecs_cn", "_codecs_iso2022",
    # Pillow is needed by ReportLab, but not its AVIF/WebP/colour-management/Tk/Qt parts
    "PIL._avif", "PIL._webp", "PIL._imagingcms", "PIL._imagingtk", "PIL.ImageQt", "PIL.ImageTk",
    "PIL.AvifImagePlugin", "PIL.WebPImagePlugin", "PIL.ImageCms",
] + [f"PySide6.{m}" for m in (
    "QtQml", "QtQuick", "QtQuick3D", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest",
    "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets",
    "QtWebView", "QtNetwork", "QtNetworkAuth", "QtHttpServer", "QtMultimedia", "QtMultimediaWidgets",
    "QtSpatialAudio", "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation",
    "Qt3DExtras", "QtPdf", "QtPdfWidgets", "QtSql", "QtDesigner", "QtHelp", "QtUiTools", "QtXml",
    "QtTest", "QtBluetooth", "QtNfc", "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort",
    "QtSerialBus", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets", "QtOpenGL",
    "QtOpenGLWidgets", "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtTextToSpeech",
    "QtConcurrent", "QtAxContainer", "QtCanvasPainter", "QtPrintSupport", "QtSvg", "QtSvgWidgets",
    "QtDBus",
)]

# Qt plugins kept, by folder (any other plugin folder goes). Platforms: X11 and offscreen
# on Linux (on Wayland, Qt falls back to X11 through XWayland), Windows, macOS.
KEPT_PLUGINS = {
    "platforms": r"(libqxcb|libqoffscreen|qwindows|qoffscreen|libqcocoa)\.",
    "platformthemes": r"(lib)?qxdgdesktopportal",  # native file dialogs (GTK's plugin drags in GTK)
    "platforminputcontexts": r"(libcompose|libibus)",  # dead keys and input methods (é, ô…)
    "xcbglintegrations": r".*",
    "styles": r".*",                         # Windows 11 / macOS styles
    "imageformats": r"(lib)?qsvg|(lib)?qico",  # SVG theme icons in file dialogs, .ico
    "iconengines": r".*",
}

# Qt's own translations: the languages ui/app.py can load, Qt base catalogue only.
KEPT_TRANSLATIONS = r"qtbase_(fr|en|de|es|it)\.qm"

# Shared libraries no kept module or plugin needs (checked by the bundle test).
DROPPED_LIBRARIES = (r"^(lib)?Qt6(Quick|Qml|Pdf|VirtualKeyboard|Wayland|WebEngine|WebChannel|Network|Multimedia"
                     r"|3D|Designer|Sql|Test|SvgWidgets|Bluetooth|Positioning|Location|EglFS|EglFs|WlShell)\w*\.(so|dll|dylib)")

# System libraries every Linux desktop has, left to the system rather than carried.
# The D-Bus library drags in systemd, libgcrypt and compressors. The C++ runtime must be
# the system's: Mesa's GL drivers, loaded by Qt, need the newer libstdc++ of newer
# distributions (a bundled older one makes them fail to load); the bundle is built on
# the oldest supported system, so the system's is always recent enough.
SYSTEM_LIBRARIES = (r"^lib(dbus-1|systemd|gcrypt|gpg-error|lz4|cap|zstd|gssapi_krb5|krb5|krb5support|k5crypto"
                    r"|com_err|keyutils|stdc\+\+|gcc_s)\.so")


def excluded(dest: str) -> bool:
    """True when the file at this bundle path is left out."""
    dest = dest.replace("\\", "/")
    plugin = re.match(r"PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$", dest)
    if plugin:
        folder, name = plugin.groups()
        return folder not in KEPT_PLUGINS or not re.match(KEPT_PLUGINS[folder], name)
    if re.match(r"PySide6/(?:Qt/)?translations/", dest):
        return not re.fullmatch(r"PySide6/(?:Qt/)?translations/" + KEPT_TRANSLATIONS, dest)
    if re.match(r"PySide6/(?:Qt/)?(qml|resources|libexec)/", dest):
        return True  # QML modules and WebEngine resources / helper process
    name = dest.rsplit("/", 1)[-1]
    if re.search(DROPPED_LIBRARIES, name) or re.search(SYSTEM_LIBRARIES, name):
        return True
    return False


def keep(toc):
    """The TOC (list of (dest, source, kind)) without the excluded entries."""
    return [entry for entry in toc if not excluded(entry[0])]


def _needed(path: str) -> list[str]:
    """Names of the shared libraries an ELF file links to (readelf comes with binutils,
    which PyInstaller needs on Linux anyway)."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def drop_orphans(binaries):
    """Libraries at the top of the bundle come in as dependencies of something else; once
    a plugin is dropped (GTK's theme drags in GTK, Cairo, Pango…) nothing needs them any
    more. Keep those reachable from the remaining modules, plugins and Qt libraries."""
    if not sys.platform.startswith("linux"):
        return binaries

    def dependency_only(dest: str) -> bool:
        name = PurePath(dest).name
        return len(PurePath(dest).parts) == 1 and name.startswith("lib") and not name.startswith("libpython")

    by_name = {PurePath(dest).name: src for dest, src, kind in binaries if kind != "SYMLINK"}
    reached: set[str] = set()
    todo = [src for dest, src, kind in binaries if kind != "SYMLINK" and not dependency_only(dest)]
    while todo:
        for name in _needed(todo.pop()):
            if name in by_name and name not in reached:
                reached.add(name)
                todo.append(by_name[name])
    return [e for e in binaries if not dependency_only(e[0]) or PurePath(e[0]).name in reached]
