"""The menu as large buttons, one colour per category, with a search box that filters them.

Keyboard first: whatever is typed in the search box narrows the buttons to the
items whose name or code contain every word typed; Enter adds the best match
(outlined). Tapping a button adds that item. Category buttons show one category
at a time; searching always looks across the whole menu. An item sold out today ("86")
keeps its place but is greyed and says "Sold out"; it comes back with the menu's next
refresh once it is back on sale. Search puts what can be sold first.
"""
from __future__ import annotations

import textwrap
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from ...domain.money import fmt
from .. import theme
from ..labels import button_text, plain_tooltip
from . import style

BUTTON_W, BUTTON_H = 176, 92  # for the design font; laid out scaled to the user's (style.px)
ALL = "All"
CATEGORY = "category:"  # a category button's object name: the prefix, then the category as typed


def matches(item: Any, words: list[str]) -> bool:
    haystack = f"{item.entity_name} {item.entity_code}".lower()
    return all(w in haystack for w in words)


def rank(item: Any, text: str) -> int:
    """Lower is better: the code typed exactly, then names that start with it, then words that do."""
    name, code = item.entity_name.lower(), item.entity_code.lower()
    if code == text:
        return 0
    if name.startswith(text):
        return 1
    if any(word.startswith(text) for word in name.split()):
        return 2
    return 3


class MenuPanel(QWidget):
    chosen = Signal(object)  # the MenuItem to add

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: dict[str, Any] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.visible: list[Any] = []
        self.search = QLineEdit(objectName="menuSearch", clearButtonEnabled=True,
                                placeholderText="Search the menu by name or code — Enter adds  (F2)")
        self.search.setAccessibleName("Search the menu")
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.add_best_match)
        bar = QWidget(objectName="categoryBar")
        self.category_bar = QHBoxLayout(bar)
        self.category_bar.setContentsMargins(0, 0, 0, 0)
        self.category_bar.setSpacing(6)
        bar_scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.Shape.NoFrame)
        bar_scroll.setWidget(bar)
        bar_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar_scroll.setFixedHeight(62)
        bar_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.categories = QButtonGroup(self)
        self.categories.setExclusive(True)
        self.categories.buttonClicked.connect(lambda _b: self._filter())
        self.grid_host = QWidget(objectName="menuGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(8)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the search box straight to the ticket
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(bar_scroll)
        layout.addWidget(scroll, 1)
        self._columns = 3

    def set_items(self, items: dict[str, Any]) -> None:
        """Show this menu (MenuItems by id); does nothing when the menu is unchanged."""
        if items == self.items:
            return
        self.items = items
        for b in self.buttons.values():
            b.deleteLater()
        for b in self.categories.buttons():
            self.categories.removeButton(b)
            b.deleteLater()
        while self.category_bar.count():  # the buttons above, and the stretch after them
            self.category_bar.takeAt(0)
        names = sorted({i.category for i in items.values()})
        colour = {c: theme.category(n) for n, c in enumerate(names)}
        for n, name in enumerate([ALL, *names]):
            b = QPushButton(button_text(name), checkable=True, checked=n == 0, objectName=CATEGORY + name)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setAccessibleName("Show all categories" if n == 0 else f"Show category {name}")
            b.setStyleSheet(style.category_button(colour.get(name, theme.surface("panel"))))
            self.categories.addButton(b)
            self.category_bar.addWidget(b)
        self.category_bar.addStretch(1)
        self.buttons = {}
        for item in sorted(items.values(), key=lambda i: (i.category, i.entity_name)):
            state = fmt(item.price) if item.available else "Sold out"
            label = "\n".join(textwrap.wrap(item.entity_name, 18)[:2]) + f"\n{state}"
            b = QPushButton(button_text(label), self.grid_host, objectName=f"menuItem:{item.entity_name}")
            # Read out as one phrase, not the wrapped lines of its label.
            b.setAccessibleName(f"{item.entity_name}, {fmt(item.price)}" if item.available
                                else f"{item.entity_name}, sold out today")
            b.setToolTip(plain_tooltip(f"{item.entity_name} ({item.entity_code}) — "
                                       + (fmt(item.price) if item.available else "sold out today")))
            b.setProperty("soldOut", not item.available)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard adds by search
            look = colour[item.category] if item.available else style.sold_out()
            b.setStyleSheet(style.menu_button(look, style.px(BUTTON_W), style.px(BUTTON_H)))
            b.clicked.connect(lambda _=False, i=item: self.chosen.emit(i))
            self.buttons[item.id] = b
        self._filter()

    def category(self) -> str:
        checked = self.categories.checkedButton()
        return checked.objectName().removeprefix(CATEGORY) if checked else ALL  # the text has its & doubled

    def select_category(self, name: str) -> None:
        for b in self.categories.buttons():
            b.setChecked(b.objectName() == CATEGORY + name)
        self._filter()

    def _filter(self, *_: Any) -> None:
        text = self.search.text().strip().lower()
        if text:
            words = text.split()
            shown = [i for i in self.items.values() if matches(i, words)]
            shown.sort(key=lambda i: (not i.available, rank(i, text), i.category, i.entity_name))
        else:
            cat = self.category()
            shown = sorted((i for i in self.items.values() if cat == ALL or i.category == cat),
                           key=lambda i: (i.category, i.entity_name))
        self.visible = shown
        self._lay_out()

    def _lay_out(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)
        shown = {i.id for i in self.visible}
        for item_id, b in self.buttons.items():
            b.setVisible(item_id in shown)
            best = bool(self.search.text().strip()) and bool(self.visible) and item_id == self.visible[0].id
            if bool(b.property("best")) != best:  # unset is not best: new buttons need no repolish
                b.setProperty("best", best)
                b.style().unpolish(b)
                b.style().polish(b)
        for n, item in enumerate(self.visible):
            self.grid.addWidget(self.buttons[item.id], n // self._columns, n % self._columns)

    def add_best_match(self) -> None:
        """Enter in the search box: add the outlined item and clear the search for the next one."""
        if self.search.text().strip() and self.visible:
            item = self.visible[0]
            self.search.clear()
            self.chosen.emit(item)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        columns = max(1, (self.width() - 24) // (style.px(BUTTON_W) + self.grid.spacing()))
        if columns != self._columns:
            self._columns = columns
            self._lay_out()
