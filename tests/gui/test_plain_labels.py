"""What people typed is shown as typed: a customer's name with HTML tags is not rendered as HTML."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hera_desktop.gui.customers.screen import CustomersScreen


def test_a_customer_named_with_html_tags_is_shown_as_plain_text(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    name = "<b>Bold</b> & <img src=x> Co"
    session.system.customers.onboard(name=name, credit_limit="10")
    screen = CustomersScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.search, "Bold")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.detail.name_label.text() == name)
    assert screen.detail.name_label.textFormat() == Qt.TextFormat.PlainText
    assert screen.detail.code_label.textFormat() == Qt.TextFormat.PlainText
