"""Change my PIN: the signed-in person types their current PIN and the new one twice.

A wrong current PIN counts as a wrong sign-in (the users service counts it), so a till left signed in
cannot be used to guess the PIN behind it.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout

from .labels import plain_label
from .staff import SAME_PIN_TWICE, in_words, pin_field

LABELS = {"old_pin": "Current PIN", "new_pin": "New PIN"}


class PinChangeDialog(QDialog):
    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Change my PIN")
        self.setObjectName("changePin")
        self.old_pin = pin_field("currentPin", "Your PIN now")
        self.new_pin = pin_field("newPin", "4–8 digits; managers and admins 6–8")
        self.new_pin_again = pin_field("newPinAgain", "The new PIN again")
        for field in (self.old_pin, self.new_pin, self.new_pin_again):
            field.setValidator(QRegularExpressionValidator(r"\d{0,8}"))
        self.message = plain_label(objectName="changePinMessage", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change PIN")
        self.buttons.accepted.connect(self.change_pin)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Current PIN", self.old_pin)
        form.addRow("New PIN", self.new_pin)
        form.addRow("New PIN again", self.new_pin_again)
        form.addRow(self.message)
        form.addRow(self.buttons)

    def change_pin(self) -> None:
        old, new = self.old_pin.text(), self.new_pin.text()
        if new != self.new_pin_again.text():
            self.message.setText(SAME_PIN_TWICE)
            return
        for field in (self.old_pin, self.new_pin, self.new_pin_again):
            field.clear()
        self.buttons.setEnabled(False)  # one try at a time: the check is slow and a wrong one counts

        def done(_: Any) -> None:
            self.buttons.setEnabled(True)
            self.message.setText("Your PIN is changed; use the new one from now on.")
            self.accept()

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            self.message.setText(in_words(exc, LABELS))

        self.session.runner.change(lambda: self.session.scope.users.change_own_pin(old, new), done, failed)
