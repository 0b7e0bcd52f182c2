"""Screens reload from what a change wrote (the typed Changes of its units of work), not from a word
chosen by whoever made the change."""
from __future__ import annotations

from typing import Any

from hera_desktop.gui.runner import Runner
from hera_desktop.gui.screen import Screen
from hera_desktop.gui.session import Session


class CountingScreen(Screen):
    refresh_on = frozenset({"customer"})

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


def test_a_screen_reloads_only_when_a_change_wrote_its_kind_of_record(qtbot: Any, books: Any) -> None:
    hera, book = books
    session = Session(hera, hera.organization(book.organization_id), Runner(pool=None))
    screen = CountingScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    shown = screen.refreshed
    announced: list[Any] = []
    session.runner.changed.connect(announced.append)
    scope = hera.scope(book.organization_id, actor_id=book.users["manager"])

    session.runner.change(lambda: scope.restaurant.process_order(
        items=[{"menu_item_id": book.menu["Espresso"]}], payment_method="cash"), lambda _r: None)
    assert screen.refreshed == shown and "sale" in announced[-1].records  # an order: no customer was written

    session.runner.change(lambda: scope.customers.onboard(name="Bottega Rossi", email="ordini@bottega.example"),
                          lambda _r: None)
    assert screen.refreshed == shown + 1 and "customer" in announced[-1].records

    session.runner.read(lambda: scope.customers.search("Bottega"), lambda _r: None)
    failed: list[Exception] = []
    session.runner.change(lambda: scope.customers.onboard(name=""), lambda _r: None, failed.append)
    assert failed and len(announced) == 2 and screen.refreshed == shown + 1  # a read, a refusal: nothing written
