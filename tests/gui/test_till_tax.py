"""The till and its receipt with several tax rates: each rate on its own line, "incl." when prices hold the tax."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from hera_desktop.gui.menu.screen import MenuScreen
from hera_desktop.gui.till.screen import TillScreen

from .test_till import activate, add, pay_with_keys


@pytest.fixture
def taxed_till(qtbot: Any, session_as: Any, books: Any, tmp_path: Path) -> Any:
    """The demo books with food at 7% (the pizzas) and alcohol at 19% (the house wine), and a cashier's till."""
    hera, book = books

    def make(inclusive: bool = False) -> TillScreen:
        system = hera.scope(book.organization_id)
        system.org_settings.set_tax_rate("food", "0.07", label="Food")
        system.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
        system.org_settings.assign_tax_rate("food", category="Pizza")
        system.org_settings.assign_tax_rate("alcohol", item_id=book.menu["House Red Wine"])
        hera.update_settings(book.organization_id, prices_include_tax=inclusive)
        screen = TillScreen(session_as("cashier"))
        screen.receipts_dir = tmp_path / "receipts"
        qtbot.addWidget(screen)
        screen.resize(1180, 780)
        screen.show()
        activate(qtbot, screen)
        return screen
    return make


def shown_totals(screen: TillScreen) -> tuple[str, ...]:
    p = screen.panel
    return p.subtotal.text(), p.tax_label.text(), p.tax.text(), p.total.text()


def test_the_ticket_and_the_receipt_show_each_rates_tax(qtbot: Any, taxed_till: Any) -> None:
    screen = taxed_till()
    add(qtbot, "marg")
    add(qtbot, "wine")
    # 12.50 at 7% = 0.875 -> 0.88; 7.50 at 19% = 1.425 -> 1.43.
    assert shown_totals(screen) == ("20.00 USD", "Food 7%\nAlcohol 19%", "0.88 USD\n1.43 USD", "22.31 USD")
    pay_with_keys(qtbot, screen)
    assert screen.last_order.order_summary.total_amount == Decimal("22.31")
    text = screen.receipt_dialog.text()
    for row in ("Subtotal\n20.00", "Food (7%)\n0.88", "Alcohol (19%)\n1.43", "TOTAL USD\n22.31"):
        assert row in text, text
    assert "incl." not in text


def test_prices_that_include_tax_show_it_as_included(qtbot: Any, taxed_till: Any) -> None:
    screen = taxed_till(inclusive=True)
    add(qtbot, "marg")
    add(qtbot, "wine")
    # 12.50 / 1.07 = 11.68 before tax (0.82 tax); 7.50 / 1.19 = 6.30 (1.20 tax): the guest pays 20.00.
    assert shown_totals(screen) == ("17.98 USD", "incl. Food 7%\nincl. Alcohol 19%", "0.82 USD\n1.20 USD",
                                    "20.00 USD")
    assert [screen.model.data(screen.model.index(r, screen.model.AMOUNT)) for r in range(2)] == ["12.50", "7.50"]
    pay_with_keys(qtbot, screen)
    assert screen.last_order.order_summary.total_amount == Decimal("20.00")
    text = screen.receipt_dialog.text()
    for row in ("Margherita Pizza\n12.50", "House Red Wine\n7.50", "TOTAL USD\n20.00", "incl. Food (7%)\n0.82",
                "incl. Alcohol (19%)\n1.20"):
        assert row in text, text
    assert "Subtotal" not in text


def test_an_empty_ticket_names_the_standard_rate(qtbot: Any, taxed_till: Any) -> None:
    screen = taxed_till()
    assert shown_totals(screen)[1:3] == ("Sales Tax 5%", "0.00 USD")
    add(qtbot, "marg")
    assert shown_totals(screen)[1] == "Food 7%"
    qtbot.keyClick(screen.menu.search, Qt.Key.Key_Delete)
    assert shown_totals(screen)[1:3] == ("Sales Tax 5%", "0.00 USD")


def test_an_item_given_its_own_rate_in_the_menu_screen_is_taxed_at_it_by_the_till(
        qtbot: Any, session_as: Any, books: Any, tmp_path: Path) -> None:
    hera, book = books
    system = hera.scope(book.organization_id)
    system.org_settings.set_tax_rate("food", "0.07", label="Food")
    system.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    system.org_settings.assign_tax_rate("food", category="Drinks")
    menu = MenuScreen(session_as("manager"))
    qtbot.addWidget(menu)
    menu.show()
    menu.select_by_name("House Red Wine")
    editor = menu.editor
    choices = [editor.tax_rate.itemText(i) for i in range(editor.tax_rate.count())]
    assert choices == ["Category's rate (Food 7%)", "Sales Tax 5%", "Food 7%", "Alcohol 19%"]
    assert editor.tax_rate.currentIndex() == 0
    editor.tax_rate.setCurrentIndex(editor.tax_rate.findData("alcohol"))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.message.text() == "House Red Wine saved."
    assert editor.tax_rate.currentText() == "Alcohol 19%"  # as the books now hold it
    assert system.restaurant.menu.items([book.menu["House Red Wine"]])[book.menu["House Red Wine"]].tax_rate \
        == "alcohol"

    till = TillScreen(session_as("cashier"))
    till.receipts_dir = tmp_path / "receipts"
    qtbot.addWidget(till)
    till.resize(1180, 780)
    till.show()
    activate(qtbot, till)
    add(qtbot, "wine")
    assert shown_totals(till) == ("7.50 USD", "Alcohol 19%", "1.43 USD", "8.93 USD")  # 7.50 at 19% = 1.425
    pay_with_keys(qtbot, till)
    assert "Alcohol (19%)\n1.43" in till.receipt_dialog.text()

    editor.tax_rate.setCurrentIndex(0)  # back to its category's rate
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert system.restaurant.menu.items([book.menu["House Red Wine"]])[book.menu["House Red Wine"]].tax_rate is None

