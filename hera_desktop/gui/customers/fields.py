"""A form field that checks itself with the service's own validator and shows its error beneath it.

An error appears once the person leaves the field (or the service refuses the
value), then follows every keystroke, so nobody is scolded while still typing
an email address. Whether the form may be saved is known at every keystroke.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from .. import theme
from ...domain.errors import ValidationError
from ...services.customers import check_credit_limit
from ..labels import plain_label, plain_tooltip
from ..numbers import parse_money
from ..sizes import px



def error_style() -> str:
    return theme.tone_style("error", f"font-size: {px(12)}px;")


def banner_style() -> str:
    """A problem said above the form."""
    return theme.surface_style("error", f"border: 1px solid {theme.tone('error')}; border-radius: 4px; padding: 8px;")


def note_style() -> str:
    """A good outcome said above the form."""
    return theme.surface_style("note", f"border: 1px solid {theme.tone('ok')}; border-radius: 4px; padding: 8px;")


def invalid_style() -> str:
    return f"QLineEdit {{ border: 1px solid {theme.tone('error')}; border-radius: 3px; padding: 3px; }}"


def check_name(text: str) -> str:
    if not text.strip():
        raise ValidationError("name", "a customer needs a name")
    return text.strip()


def credit_limit_check(currency: str) -> Callable[[str], Decimal]:
    """The credit limit as typed in the user's locale ("1.500,00" in German), then checked as the books check it."""
    def check(text: str) -> Decimal:
        return check_credit_limit(parse_money(text, "credit_limit", currency))
    return check


def plain(exc: ValidationError) -> str:
    """The service's message without the field name it starts with: the field is right above it."""
    text = exc.message
    prefix = f"{exc.field}: "
    if text.startswith(prefix):
        text = text[len(prefix):]
    return text[:1].upper() + text[1:]


class ValidatedField(QObject):
    changed = Signal()

    def __init__(self, name: str, editor: QLineEdit | QComboBox, check: Callable[[str], Any],
                 required: bool = False, reserve: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.editor = editor
        self.line: QLineEdit = editor.lineEdit() if isinstance(editor, QComboBox) else editor
        self.check = check
        self.required = required
        self.touched = False
        self._refused: str | None = None  # the service's word on the current text, until it changes
        # Reserved, the error line keeps its place even when empty, so a form does not jump as errors
        # come and go; unreserved (a long form), it takes room only while it has something to say.
        self.reserve = reserve
        self.error_label = plain_label(objectName=f"{name}Error")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.error_label.setFixedHeight(self.error_label.fontMetrics().height() + 2)
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self._left)
        if isinstance(editor, QComboBox):  # picking a choice from the list is an edit too
            editor.activated.connect(lambda _index: self._edited())

    def text(self) -> str:
        return self.line.text().strip()

    def set_text(self, text: str) -> None:
        """Fill the field (loading a record): no error shown until the person edits it."""
        self.line.setText(text)
        self.touched = False
        self._refused = None
        self._show()

    def error(self) -> str | None:
        if self._refused:
            return self._refused
        if not self.text():
            return "Required" if self.required else None
        try:
            self.check(self.text())
        except ValidationError as exc:
            return plain(exc)
        return None

    @property
    def valid(self) -> bool:
        return self.error() is None

    def refuse(self, message: str) -> None:
        """The service refused this value: say so here, whatever the field's own check thought."""
        self._refused = message
        self.touched = True
        self._show()

    def _edited(self, _text: str = "") -> None:
        self._refused = None
        self._show()
        self.changed.emit()

    def _left(self) -> None:
        self.touched = True
        self._show()

    def _show(self) -> None:
        message = self.error() if self.touched else None
        self.error_label.setText(message or "")
        self.error_label.setToolTip(plain_tooltip(message or ""))
        self.error_label.setVisible(self.reserve or bool(message))
        self.line.setStyleSheet(invalid_style() if message else "")


def add_row(form: QFormLayout, label: str, field: ValidatedField) -> None:
    """The editor with its error line right under it, as one row of the form."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    column.addWidget(field.editor)
    column.addWidget(field.error_label)
    form.addRow(label, box)
