"""Words on screen that may hold what people typed: labels, message boxes, tooltips and buttons show it as typed.

Qt guesses whether a label's, a message box's or a tooltip's text is HTML (AutoText), so a
customer named ``<b>Bold</b>`` would come out bold and an ``<img>`` in a product's name would be
fetched. Labels are plain text unless a label is rich on purpose (a bold title, a link to an
entry): then it says so with :func:`rich_label` and every value in it goes through
:func:`html.escape`, whatever it holds.
"""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as TextQt  # mightBeRichText is in QtGui's half of the Qt namespace
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

__all__ = ["button_text", "message_box", "plain_label", "plain_tooltip", "rich_label"]


def plain_label(text: str = "", **options: Any) -> QLabel:
    """A label whose text is shown exactly as given, tags and ampersands included."""
    return QLabel(text, textFormat=Qt.TextFormat.PlainText, **options)


def rich_label(text: str = "", **options: Any) -> QLabel:
    """A label whose markup is ours: every value put into it must be escaped."""
    return QLabel(text, textFormat=Qt.TextFormat.RichText, **options)


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                parent: QWidget | None = None) -> QMessageBox:
    """A message box that shows its text as written (it may quote a name, a reference or a path)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def button_text(text: str) -> str:
    """Words for a button or a tab, shown as typed: there a single "&" would make the next letter a shortcut."""
    return text.replace("&", "&&")


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written.

    A tooltip has no text format of its own: Qt reads it as HTML when it looks like HTML. Text
    that would be read so is escaped inside a paragraph that keeps its line breaks; any other
    text is returned as it is.
    """
    if not text or not TextQt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre'>{escape(text, quote=False)}</p>"
