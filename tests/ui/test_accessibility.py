"""Every control a keyboard user can reach has a name a screen reader can say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QWidget

from ui.main_window import PAGE_KEYS


@pytest.fixture
def window(shared_window):
    """One window for this module's tests (each starts on the demo as stored: SharedWindow)."""
    return shared_window


def spoken_name(w: QWidget) -> str:
    if w.accessibleName():
        return w.accessibleName()
    if isinstance(w, QAbstractButton):
        return w.text().replace("&", "")
    # a form label pointing at the field (QLabel.setBuddy) names it too
    for label in w.window().findChildren(QLabel):
        if label.buddy() is w:
            return label.text()
    return ""


def unnamed(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.isVisibleTo(root):
            continue
        if w.parent() is not None and isinstance(w.parent(), (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a spin box or combo box is named by its owner
        if w.objectName().startswith("qt_") or type(w).__name__ in ("QScrollBar", "QTabBar"):
            continue
        if not spoken_name(w):
            out.append(f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}")
    return out


def test_every_page_names_its_controls(window):
    missing = {}
    for i, key in enumerate(PAGE_KEYS):
        window.show_page(i)
        page = window.pages[key]
        found = unnamed(page)
        if found:
            missing[key] = found
    missing_nav = unnamed(window.navigator)
    assert missing == {} and missing_nav == []


def test_walkthrough_tab_order_follows_the_page(window):
    window.show_page(1)
    page = window.pages["walkthrough"]
    card = page.card
    expected = [page.tree, *[card.group.button(i) for i in range(7)], card.comment, card.evidence, card.priority,
                page.prev_button, page.next_button, page.unanswered_button]
    chain, w = [], page.tree
    while len(chain) < 1000:
        chain.append(w)
        w = w.nextInFocusChain()
        if w is page.tree:
            break
    reachable = [x for x in chain if x in expected]
    assert reachable == expected
