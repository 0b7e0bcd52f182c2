"""Settings in the screen's own words: the business day's time zone and start, and messages that name the field."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QApplication

from hera_desktop.gui.settings import SettingsScreen


def open_settings(qtbot: Any, session: Any) -> SettingsScreen:
    screen = SettingsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(900, 700)
    screen.show()
    screen.refresh()
    return screen


def test_manager_sets_the_time_zone_and_the_start_of_the_business_day(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    screen = open_settings(qtbot, session)
    assert screen.day_fields.zone.currentText() == "This computer's time zone"
    assert screen.day_fields.cutoff.time() == QTime(4, 0)
    screen.day_fields.zone.setCurrentText("Europe/Berlin")
    screen.day_fields.cutoff.setTime(QTime(5, 30))
    screen.save_settings()
    assert screen.business_message.text() == "Saved."
    settings = session.scope.organization.settings
    assert (settings["time_zone"], settings["day_cutoff"]) == ("Europe/Berlin", "05:30")
    again = open_settings(qtbot, session)
    assert again.day_fields.zone.currentText() == "Europe/Berlin"
    assert again.day_fields.cutoff.time() == QTime(5, 30)


def test_an_unknown_time_zone_is_named_by_its_label_and_not_saved(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    screen = open_settings(qtbot, session)
    screen.day_fields.zone.setCurrentText("Mars/Olympus")
    screen.save_settings()
    message = screen.business_message.text()
    assert message.startswith("Time zone of the business day: 'Mars/Olympus' is not a time zone name")
    assert "time_zone" not in message
    assert session.scope.organization.settings["time_zone"] is None


def test_a_long_message_leaves_the_save_button_where_it_was(qtbot: Any, session_as: Any) -> None:
    screen = open_settings(qtbot, session_as("manager"))
    QApplication.processEvents()
    before = screen.save_business.geometry()
    screen.day_fields.zone.setCurrentText("Somewhere/" + "Very_Long_Place_Name" * 6)
    screen.save_settings()
    QApplication.processEvents()
    assert len(screen.business_message.text()) > 120
    after = screen.save_business.geometry()
    assert (after.x(), after.width()) == (before.x(), before.width())  # not pushed sideways


def test_a_manager_chooses_to_refuse_sales_when_stock_is_short(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    screen = open_settings(qtbot, session)
    assert not screen.refuse_short.isChecked()
    screen.refuse_short.setChecked(True)
    screen.save_settings()
    assert screen.business_message.text() == "Saved."
    assert session.scope.organization.settings["refuse_sale_when_short"] is True
    assert open_settings(qtbot, session).refuse_short.isChecked()


def test_a_german_manager_types_the_tax_rate_with_a_decimal_comma(qtbot: Any, session_as: Any) -> None:
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        session = session_as("manager")
        screen = open_settings(qtbot, session)
        screen.tax_rate.setText("7,25")
        screen.save_settings()
        assert screen.business_message.text() == "Saved."
        assert str(session.scope.organization.settings["tax_rate"]) == "0.0725"
        assert open_settings(qtbot, session).tax_rate.text() == "7,25"
    finally:
        QLocale.setDefault(before)
