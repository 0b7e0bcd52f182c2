"""Sending a table's order to the kitchen from the till, as a waiter does: round by round, a void with a
manager's PIN, and a payment that prints nothing the kitchen already has."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from .test_till import activate, add, open_till, pay_with_keys, press, receipts_dir, ticket_lines, type_text  # noqa: F401


def pages(dialog: Any) -> list[str]:
    return [dialog.text(i) for i in range(dialog.tabs.count())]


def send(qtbot: Any, screen: Any) -> Any:
    press(qtbot, Qt.Key.Key_F7)
    dialog = screen.kitchen_dialog
    assert dialog is not None, screen.message.text()
    return dialog


def back_to(qtbot: Any, screen: Any, dialog: Any) -> None:
    dialog.accept()
    activate(qtbot, screen)


def test_two_rounds_a_void_and_the_payment_each_print_only_what_is_new(
        qtbot: Any, open_till: Any, books: Any, receipts_dir: Path) -> None:
    hera, book = books
    screen = open_till("cashier")
    press(qtbot, Qt.Key.Key_F4)
    type_text(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return)
    add(qtbot, "marg")
    press(qtbot, Qt.Key.Key_F5)
    type_text(qtbot, "extra basil")
    press(qtbot, Qt.Key.Key_Return)
    add(qtbot, "wine")

    first = send(qtbot, screen)

    assert [first.tabs.tabText(i) for i in range(first.tabs.count())] == [
        "Pizza Station — round 1", "Bar — round 1"]
    pizza = pages(first)[0]
    assert "Round 1" in pizza and "Margherita Pizza" in pizza and "» extra basil" in pizza and "Table 5" in pizza
    assert "font-weight: bold;'>» extra basil" in first.pages[0][1]  # the note in bold
    assert ticket_lines(screen) == [("1", "Margherita Pizza  ✓ sent\n» extra basil", "12.50"),
                                    ("1", "House Red Wine  ✓ sent", "7.50")]
    assert screen.panel.title.text() == "Table 5 — open order"
    back_to(qtbot, screen, first)
    press(qtbot, "+")                       # a sent line does not change: the kitchen has it as it was
    assert ticket_lines(screen)[1][0] == "1"

    add(qtbot, "wine")                      # a second glass: a new line, not the sent one
    add(qtbot, "tiramisu")
    second = send(qtbot, screen)

    assert [second.tabs.tabText(i) for i in range(second.tabs.count())] == ["Bar — round 2", "Cold Kitchen — round 2"]
    assert all("Margherita" not in page for page in pages(second))
    assert "1 ×" in pages(second)[0] and "House Red Wine" in pages(second)[0]
    assert screen.orders.statuses()[0].startswith("sent ") and "waiting" not in screen.orders.statuses()[0]
    back_to(qtbot, screen, second)

    add(qtbot, "espresso")
    press(qtbot, Qt.Key.Key_F8)             # kept with one item the kitchen has not been sent
    assert screen.orders.names() == ["Table 5"] and screen.orders.statuses()[0].endswith(", 1 waiting")

    press(qtbot, Qt.Key.Key_F9)
    press(qtbot, Qt.Key.Key_Return)         # back on the ticket, with its sent lines marked
    assert [row[1].split("\n")[0] for row in ticket_lines(screen)] == [
        "Margherita Pizza  ✓ sent", "House Red Wine  ✓ sent", "House Red Wine  ✓ sent", "Tiramisu  ✓ sent",
        "Espresso"]
    screen.panel.select_row(3)
    press(qtbot, Qt.Key.Key_Delete)         # the tiramisu went to the kitchen: a void, not a delete
    void = screen.void_dialog
    activate(qtbot, void)
    void.void_button.click()
    assert "Say why" in void.message.text() and void.isVisible()
    void.reason.setText("guest is full")
    void.approver.setCurrentIndex(void.approver.findText("Maria Bianchi"))
    void.pin.setText("123456")
    void.void_button.click()
    assert void.isVisible() and "Wrong PIN" in void.message.text()
    void.pin.setText("111111")
    void.void_button.click()

    voided = screen.kitchen_dialog
    assert [voided.tabs.tabText(i) for i in range(voided.tabs.count())] == ["Cold Kitchen — VOID"]
    assert "*** VOID ***" in pages(voided)[0] and "Tiramisu" in pages(voided)[0] and "guest is full" in pages(voided)[0]
    assert "Tiramisu" not in [row[1] for row in ticket_lines(screen)]
    back_to(qtbot, screen, voided)

    pay_with_keys(qtbot, screen)
    receipt = screen.receipt_dialog

    assert [receipt.tabs.tabText(i) for i in range(receipt.tabs.count())] == ["Receipt", "Kitchen: Bar"]
    assert "Espresso" in receipt.text(1) and "Wine" not in receipt.text(1)   # only what was never sent
    assert "Tiramisu" not in receipt.text(0) and "Margherita Pizza" in receipt.text(0)
    assert screen.orders.names() == []      # a paid order leaves the open orders
    code = screen.last_order.sales_transaction.transaction_code
    assert sorted(p.name for p in receipts_dir.iterdir() if p.name.startswith(code)) == [
        f"{code}-kitchen-bar.pdf", f"{code}.pdf"]
    assert len([p for p in receipts_dir.iterdir() if "-round-" in p.name]) == 4
    assert len([p for p in receipts_dir.iterdir() if "-void-" in p.name]) == 1


def test_sending_again_with_nothing_new_prints_nothing(qtbot: Any, open_till: Any) -> None:
    screen = open_till("cashier")
    add(qtbot, "marg")
    back_to(qtbot, screen, send(qtbot, screen))
    screen.kitchen_dialog = None

    press(qtbot, Qt.Key.Key_F7)

    assert screen.kitchen_dialog is None and "Nothing new to send" in screen.message.text()


def test_a_manager_voids_a_sent_line_with_a_reason_alone(qtbot: Any, open_till: Any) -> None:
    screen = open_till("manager")
    add(qtbot, "marg")
    add(qtbot, "wine")
    back_to(qtbot, screen, send(qtbot, screen))
    screen.panel.select_row(1)

    press(qtbot, Qt.Key.Key_Delete)
    void = screen.void_dialog
    assert not void.needs_approval and not void.pin.isVisibleTo(void)
    void.reason.setText("wrong wine")
    void.void_button.click()

    assert [row[1] for row in ticket_lines(screen)] == ["Margherita Pizza  ✓ sent"]
    assert "*** VOID ***" in screen.kitchen_dialog.text(0)


def test_a_reprint_brings_back_every_round_and_void_the_kitchen_had(
        qtbot: Any, open_till: Any, receipts_dir: Path) -> None:
    screen = open_till("manager")
    add(qtbot, "marg")
    add(qtbot, "wine")
    back_to(qtbot, screen, send(qtbot, screen))
    add(qtbot, "tiramisu")
    back_to(qtbot, screen, send(qtbot, screen))
    screen.panel.select_row(2)
    press(qtbot, Qt.Key.Key_Delete)
    void = screen.void_dialog
    void.reason.setText("guest is full")
    void.void_button.click()
    back_to(qtbot, screen, screen.kitchen_dialog)
    add(qtbot, "espresso")
    pay_with_keys(qtbot, screen)
    code = screen.last_order.sales_transaction.transaction_code
    screen.receipt_dialog.accept()
    activate(qtbot, screen)

    press(qtbot, Qt.Key.Key_F10)
    activate(qtbot, screen.recent_dialog)
    press(qtbot, Qt.Key.Key_Return)         # reprint the newest sale

    copy = screen.receipt_dialog
    assert [copy.tabs.tabText(i) for i in range(copy.tabs.count())] == [
        "Receipt", "Pizza Station — round 1", "Bar — round 1", "Cold Kitchen — round 2", "Cold Kitchen — VOID",
        "Kitchen: Bar"]
    shown = pages(copy)
    assert all("*** COPY ***" in page for page in shown)
    assert "Round 1" in shown[1] and "Margherita Pizza" in shown[1]
    assert "Round 2" in shown[3] and "Tiramisu" in shown[3]
    assert "*** VOID ***" in shown[4] and "guest is full" in shown[4]
    assert "Espresso" in shown[5] and "Wine" not in shown[5]   # what the payment sent
    copies = sorted(p.name for p in receipts_dir.iterdir() if p.name.startswith(f"{code}-copy-1"))
    assert copies == sorted([f"{code}-copy-1.pdf", f"{code}-copy-1-kitchen-round-1-pizza_station.pdf",
                             f"{code}-copy-1-kitchen-round-1-bar.pdf", f"{code}-copy-1-kitchen-round-2-cold_kitchen.pdf",
                             f"{code}-copy-1-kitchen-void-cold_kitchen.pdf", f"{code}-copy-1-kitchen-bar.pdf"])
