"""The Tax rates box of the settings screen: the rates with their accounts, adding and changing one, a menu
category's rate, and whether prices include the tax."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from hera_desktop.gui.tax_rates import TaxRatesBox, TaxRatesModel
from hera_desktop.domain.pricing import tax_rules


@pytest.fixture
def box(qtbot: Any, session_as: Any) -> TaxRatesBox:
    widget = TaxRatesBox(session_as("manager"))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    return widget


def rows(box: TaxRatesBox) -> list[tuple[str, ...]]:
    m = box.model
    return [tuple(m.data(m.index(r, c)) for c in range(m.columnCount())) for r in range(m.rowCount())]


def books_rules(box: TaxRatesBox) -> Any:
    return tax_rules(box.session.hera.organization(box.session.organization.id).settings)


def add_rate(qtbot: Any, box: TaxRatesBox, name: str, label: str, percent: str) -> None:
    for field, text in ((box.name, name), (box.label, label), (box.percent, percent)):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(box.save_rate, Qt.MouseButton.LeftButton)


def test_it_lists_the_standard_rate_and_the_menus_categories(box: TaxRatesBox) -> None:
    assert rows(box) == [("standard", "Sales Tax", "5%", "2100")]
    categories = [box.category.itemText(i) for i in range(box.category.count())]
    assert categories == ["Desserts", "Drinks", "Pasta", "Pizza", "Starters"]
    assert "every item is taxed at the standard rate" in box.categories.text()
    assert not box.included.isChecked()


def test_a_new_rate_is_added_with_its_own_account_and_can_be_changed(qtbot: Any, box: TaxRatesBox) -> None:
    add_rate(qtbot, box, "alcohol", "Alcohol", "19")
    assert rows(box)[1] == ("alcohol", "Alcohol", "19%", "2101")
    assert "Alcohol 19% saved (its tax goes to account 2101)" in box.message.text()
    box.view.selectRow(1)
    assert (box.name.text(), box.label.text(), box.percent.text()) == ("alcohol", "Alcohol", "19")
    box.percent.clear()
    qtbot.keyClicks(box.percent, "20")
    qtbot.mouseClick(box.save_rate, Qt.MouseButton.LeftButton)
    assert rows(box)[1] == ("alcohol", "Alcohol", "20%", "2101")
    assert books_rules(box).rates["alcohol"].rate == Decimal("0.2")


def test_a_category_is_taxed_at_the_rate_chosen(qtbot: Any, box: TaxRatesBox) -> None:
    add_rate(qtbot, box, "alcohol", "Alcohol", "19")
    box.category.setCurrentText("Drinks")
    box.category_rate.setCurrentIndex(box.category_rate.findData("alcohol"))
    qtbot.mouseClick(box.assign, Qt.MouseButton.LeftButton)
    assert box.message.text() == "Drinks is taxed at Alcohol 19%."
    assert box.categories.text() == "Drinks: Alcohol 19%"
    assert books_rules(box).categories == {"Drinks": "alcohol"}


def test_prices_including_tax_and_the_rounding_are_saved(qtbot: Any, box: TaxRatesBox) -> None:
    box.included.click()
    assert books_rules(box).prices_include_tax is True
    box.rounding.setCurrentIndex(box.rounding.findData("line"))
    box.rounding.activated.emit(box.rounding.currentIndex())
    assert books_rules(box).rounding == "line"
    assert box.included.isChecked() and box.rounding.currentData() == "line"


@pytest.mark.parametrize("name, percent, words", [
    ("Food!", "7", "one short word in lower case"),
    ("food", "", "Type the rate in percent"),
    ("food", "100", "Type the rate in percent"),
    ("food", "seven", "Rate: must be a number"),
])
def test_a_wrong_rate_is_refused_with_what_to_type(qtbot: Any, box: TaxRatesBox, name: str, percent: str,
                                                   words: str) -> None:
    add_rate(qtbot, box, name, "Food", percent)
    assert words in box.message.text()
    assert rows(box) == [("standard", "Sales Tax", "5%", "2100")]


def test_the_rates_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TaxRatesModel()
    model.set_rules(tax_rules({"tax_rate": "0.05", "tax_rates": {"food": {"rate": "0.07", "label": "Food",
                                                                          "account": "2101"}}}))
    qtmodeltester.check(model)


def test_a_rate_is_removed_once_no_category_uses_it_and_its_account_stays(qtbot: Any, box: TaxRatesBox) -> None:
    add_rate(qtbot, box, "alcohol", "Alcohol", "19")
    box.category.setEditText("Drinks")
    box.category_rate.setCurrentIndex(box.category_rate.findData("alcohol"))
    qtbot.mouseClick(box.assign, Qt.MouseButton.LeftButton)
    box.view.selectRow(1)
    qtbot.mouseClick(box.remove_rate, Qt.MouseButton.LeftButton)
    assert box.message.text() == ("name: Alcohol cannot be removed while the category Drinks is taxed at it; give "
                                  "them another rate first")
    assert [r[0] for r in rows(box)] == ["standard", "alcohol"]

    box.category_rate.setCurrentIndex(box.category_rate.findData("standard"))
    qtbot.mouseClick(box.assign, Qt.MouseButton.LeftButton)
    box.view.selectRow(1)
    qtbot.mouseClick(box.remove_rate, Qt.MouseButton.LeftButton)
    assert box.message.text() == "Alcohol removed; its account stays in the chart with the tax it collected."
    assert rows(box) == [("standard", "Sales Tax", "5%", "2100")]
    assert list(books_rules(box).rates) == ["standard"]
    chart = box.session.scope.chart_of_accounts.tree()
    assert "2101" in {a.code for g in chart for a in g.accounts if a.active}
