"""What a screen reader says for each control of the till, its pay dialog, sign-in and the main window's
navigation: every button and field has a name in words, and the totals say what they are a total of."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.shell import MainWindow
from hera_desktop.gui.signin import SignInDialog
from hera_desktop.gui.till.pay_dialog import PayDialog
from hera_desktop.gui.till.screen import TillScreen


def spoken(widget: QWidget) -> str:
    """The name assistive technology reads out for the widget (its accessible name, or what Qt gives instead:
    the text, or the label beside it)."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def unnamed(root: QWidget) -> list[str]:
    """Buttons and fields under ``root`` that a screen reader would read as nothing, or as a bare symbol."""
    controls = [*root.findChildren(QPushButton), *root.findChildren(QLineEdit)]
    return [f"{type(w).__name__} {w.objectName() or repr(w.text())}" for w in controls
            if not any(ch.isalnum() for ch in spoken(w))]


def test_every_till_key_menu_button_and_total_has_a_name_in_words(qtbot: Any, session_as: Any) -> None:
    till = TillScreen(session_as("cashier"))
    qtbot.addWidget(till)
    till.show()
    qtbot.waitUntil(lambda: bool(till.menu.buttons))
    assert unnamed(till) == []
    assert spoken(till.panel.minus) == "Decrease quantity" and spoken(till.panel.plus) == "Increase quantity"
    pizza = till.menu.findChild(QPushButton, "menuItem:Margherita Pizza")
    assert spoken(pizza) == "Margherita Pizza, 12.50"
    assert spoken(till.menu.findChild(QPushButton, "category:All")) == "Show all categories"

    till.menu.chosen.emit(till.menu.items[next(iter(till.menu.items))])
    assert spoken(till.panel.total) == f"Total {till.panel.total.text()}"
    assert spoken(till.panel.subtotal) == f"Subtotal {till.panel.subtotal.text()}"
    assert spoken(till.panel.tax) == f"{till.panel.tax_label.text()} {till.panel.tax.text()}"  # Sales Tax 5% 0.63 USD


def test_the_pay_dialog_names_its_methods_amounts_and_quick_cash_keys(qtbot: Any, qapp: Any) -> None:
    from decimal import Decimal

    dialog = PayDialog(Decimal("43.37"), "USD")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []
    names = {b.property("method"): spoken(b) for b in dialog.methods.buttons()}
    assert names == {"cash": "Pay in cash", "card": "Pay by card", "on_account": "Put on account"}
    assert spoken(dialog.findChild(QPushButton, "tender:20")) == "Cash tendered 20"
    assert spoken(dialog.tendered) == "Cash tendered" and spoken(dialog.amount) == "Amount"
    for label in dialog.findChildren(QLabel, "payTotal"):
        assert spoken(label) == "Total 43.37 USD"


def test_the_pin_keys_and_main_navigation_are_named(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    dialog = SignInDialog(Session(hera, hera.organization(book.organization_id), Runner(pool=None)))
    qtbot.addWidget(dialog)
    assert unnamed(dialog) == []
    keys = {b.text(): spoken(b) for b in dialog.findChildren(QPushButton) if b.objectName() != "signInButton"}
    assert keys["⌫"] == "Delete the last digit" and keys["OK"] == "Sign in" and keys["7"] == "7"
    assert spoken(dialog.pin) == "PIN" and spoken(dialog.users) == "Who are you?"

    window = MainWindow(session_as("manager"))
    qtbot.addWidget(window)
    assert spoken(window.nav) == "Screens"
    assert QApplication.instance() is not None
