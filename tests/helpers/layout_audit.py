"""Layout audit: every visible label, button and header section of a window shows its
whole text — nothing clipped, nothing elided unless designed to (a tooltip then carries
the full text).

Measured with the widget's own font; a checkable push button is also measured in bold,
since the checked state is drawn in bold (the rating buttons lost their digit that way).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QCheckBox, QComboBox, QHeaderView, QLabel, QPushButton, QRadioButton, QStyle,
    QToolButton, QWidget,
)

SLACK = 1  # px of rounding


def _name(w: QWidget) -> str:
    return f"{type(w).__name__}({w.objectName() or w.accessibleName() or ''})"


def _tooltip_has(w: QWidget, text: str) -> bool:
    tip = w.toolTip()
    return bool(tip) and text.replace("&", "").strip() in QTextDocument(tip).toPlainText() if "<" in tip \
        else bool(tip) and text.replace("&", "").strip() in tip


def _visible(w: QWidget, top: QWidget) -> bool:
    return w.isVisibleTo(top) and w.width() > 0 and w.height() > 0


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _rich(text: str) -> bool:
    import re

    return bool(re.search(r"<[a-zA-Z/][^>]*>", text))


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if label.buddy() is not None:
        text = _plain(text)  # the & marks the shortcut letter, it is not drawn
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    rect = label.contentsRect()
    margin = label.margin() * 2 + max(label.indent(), 0)
    if _rich(text) and label.textFormat() != Qt.TextFormat.PlainText:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(label.font())
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(rect.width() - margin)
            if doc.size().height() > rect.height() + SLACK + 4:
                return f"coupé en hauteur ({doc.size().height():.0f} > {rect.height()})"
            return None
        text = doc.toPlainText()
    fm = QFontMetrics(label.font())
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"coupé en hauteur ({need} > {label.height()})"
        longest_word = max((fm.horizontalAdvance(w) for w in text.split()), default=0)
        if longest_word > rect.width() - margin + SLACK:
            return f"mot coupé ({longest_word} > {rect.width() - margin})"
        return None
    width = max(fm.horizontalAdvance(line) for line in text.split("\n"))
    if width > rect.width() - margin + SLACK:
        return f"coupé ({width} > {rect.width() - margin})"
    lines = text.count("\n") + 1
    if fm.lineSpacing() * (lines - 1) + fm.height() > rect.height() + SLACK + 2:
        return f"coupé en hauteur ({fm.height() * lines} > {rect.height()})"
    return None


def _checked_padding(b: QWidget) -> int:
    """Horizontal padding a style sheet gives checked push buttons (``padding: 4px 8px``)."""
    import re

    w = b
    while w is not None:
        m = re.search(r"QPushButton:checked\s*{[^}]*padding:\s*(\d+)px(?:\s+(\d+)px)?", w.styleSheet() or "")
        if m:
            return 2 * int(m.group(2) or m.group(1))
        w = w.parentWidget()
    return 0


def _button_problem(b: QAbstractButton) -> str | None:
    text = _plain(b.text())
    if not text:
        return None
    fonts = [b.font()]
    if isinstance(b, QPushButton) and b.isCheckable():
        bold = b.font()
        bold.setBold(True)
        fonts.append(bold)
    icon = b.iconSize().width() + 4 if not b.icon().isNull() else 0
    style = b.style()
    if isinstance(b, (QCheckBox, QRadioButton)):
        pad = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + \
            style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing) + 2
    elif isinstance(b, QToolButton):
        pad = 6
        if b.menu() is not None and "menu-indicator" not in b.styleSheet():
            pad += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, b)  # the arrow
    else:
        pad = 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, b) + 4
        if isinstance(b, QPushButton) and b.menu() is not None:
            pad += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, b)
    for f in fonts:
        fm = QFontMetrics(f)
        extra = _checked_padding(b) if f.bold() and not b.font().bold() else 0
        width = max(fm.horizontalAdvance(line) for line in text.split("\n")) + icon + pad + extra
        if width > b.width() + SLACK:
            return f"coupé ({width} > {b.width()}){' en gras' if f.bold() and not b.font().bold() else ''}"
        if fm.height() > b.height() + SLACK:
            return f"coupé en hauteur ({fm.height()} > {b.height()})"
    return None


def _header_problems(h: QHeaderView) -> list[str]:
    model = h.model()
    if model is None or not _visible(h, h.window()):
        return []
    out = []
    fm = QFontMetrics(h.font())
    pad = 2 * h.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, h) + 4
    if h.isSortIndicatorShown():
        pad += h.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, h)
    for section in range(h.count()):
        if h.isSectionHidden(section):
            continue
        text = model.headerData(section, h.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        text = str(text)
        need = fm.horizontalAdvance(text) + pad if h.orientation() == Qt.Orientation.Horizontal \
            else fm.horizontalAdvance(text) + pad
        size = h.sectionSize(section) if h.orientation() == Qt.Orientation.Horizontal else h.width()
        tip = model.headerData(section, h.orientation(), Qt.ItemDataRole.ToolTipRole)
        if need > size + SLACK and not (tip and text in str(tip)):
            out.append(f"en-tête « {text} » élidé ({need} > {size})")
    return out


def audit(top: QWidget) -> list[str]:
    """Problems of the visible widgets of ``top``, as « where: what » strings."""
    problems = []
    for w in [top, *top.findChildren(QWidget)]:
        if not _visible(w, top):
            continue
        where = f"{_name(w.window())} › {_name(w)}"
        if isinstance(w, QLabel):
            p = _label_problem(w)
            if p and not _tooltip_has(w, w.text()):
                problems.append(f"{where} « {w.text()[:40]} » : {p}")
        elif isinstance(w, QAbstractButton):
            p = _button_problem(w)
            if p and not _tooltip_has(w, w.text()):
                problems.append(f"{where} « {w.text()[:40]} » : {p}")
        elif isinstance(w, QComboBox) and not w.isEditable() and w.currentText():
            from PySide6.QtWidgets import QStyleOptionComboBox

            opt = QStyleOptionComboBox()
            opt.initFrom(w)
            field = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                             QStyle.SubControl.SC_ComboBoxEditField, w)
            need = QFontMetrics(w.font()).horizontalAdvance(w.currentText()) + 2
            if need > field.width() + SLACK and not _tooltip_has(w, w.currentText()):
                problems.append(f"{where} « {w.currentText()[:40]} » : coupé ({need} > {field.width()})")
        elif isinstance(w, QHeaderView):
            problems += [f"{where} {p}" for p in _header_problems(w)]
        elif isinstance(w, QAbstractItemView):
            continue
    return problems


SIZES = ((1024, 600), (1366, 768), (1920, 1080))


def _geometry() -> list:
    """Where every visible widget of the visible windows is (what the audit measures)."""
    from PySide6.QtWidgets import QApplication

    return [(w, w.geometry().getRect()) for top in QApplication.topLevelWidgets() if top.isVisible()
            for w in [top, *top.findChildren(QWidget)] if w.isVisible()]


def settle(timeout_ms: int = 2000) -> None:
    """Let the posted layout, resize, show and delete events run until no widget moves any
    more (two rounds in a row without a change) instead of waiting a fixed 50 ms: the pages
    lay out from posted events and zero-delay timers only."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent

    deadline = QDeadlineTimer(timeout_ms)
    before, still = None, 0
    while still < 2 and not deadline.hasExpired():
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as QTest.qWait does
        now = _geometry()
        still = still + 1 if now == before else 0
        before = now


def audit_window(window, size) -> list[str]:
    """Every page of the main window at ``size`` (logical pixels), then the projection."""
    window.resize(*size)
    settle()
    problems = []
    if (window.width(), window.height()) != tuple(size):
        problems.append(f"{size[0]}×{size[1]} : la fenêtre ne tient pas, elle fait {window.width()}×{window.height()}")
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
        problems += [f"{size[0]}×{size[1]} {window.tabs.tabText(i)} : {p}" for p in audit(window)]
    projection = getattr(window, "open_projection", None)
    if projection is not None:
        view = window.open_projection(full_screen=False)
        view.resize(*size)
        for revealed in (False, True):
            if view.revealed != revealed:
                view.toggle_reveal()
            settle()
            problems += [f"{size[0]}×{size[1]} Projection{' révélée' if revealed else ''} : {p}"
                         for p in audit(view.window())]
        view.window().close()
    return problems


def main() -> int:
    """``python -m tests.helpers.layout_audit W H DB UUID``: audit the main window on that
    demo database (with its workshop participants) in a fresh process (for QT_SCALE_FACTOR=2);
    prints one problem a line, exit code 1 if any."""
    import sys
    from pathlib import Path

    from tests.helpers.qt import isolate_settings, open_loaded_window
    from ui.app import install_translators, make_application

    w, h, db_path, uuid = sys.argv[1:5]
    app = make_application(["ptce-toolkit"])
    install_translators(app, "fr")
    isolate_settings(Path(db_path).parent)
    window = open_loaded_window(db_path, uuid)
    problems = audit_window(window, (int(w), int(h)))
    for p in problems:
        print(p)
    window.close()
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
