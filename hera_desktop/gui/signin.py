"""Sign-in: pick your name, type your PIN (keyboard or the on-screen keypad).

The person who last signed in on this computer is picked already; the first time, nobody is, unless the books
hold only one person (a new business: its owner), who then types only the PIN.

The PIN is checked on a thread of its own: its slow hash (scrypt) runs outside
Python's lock, so the GUI thread stays free, and ``checking`` tells whoever
opened the dialog that now is a good moment to prepare what needs no user.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout)

from . import theme
from .errors import describe
from .labels import plain_label


SPOKEN_KEYS = {"⌫": "Delete the last digit", "OK": "Sign in"}  # what a screen reader says for the keypad's symbols


class SignInDialog(QDialog):
    checking = Signal()  # a PIN is being checked off the GUI thread; the answer comes as accept() or a message

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._checking = False
        self.setWindowTitle(f"Sign in — {session.organization.organization_name}")
        self.setObjectName("signIn")
        self.users = QListWidget(objectName="userList")
        self.users.setMinimumWidth(260)
        self.pin = QLineEdit(objectName="pin", echoMode=QLineEdit.EchoMode.Password, placeholderText="PIN")
        self.pin.setAccessibleName("PIN")
        self.users.setAccessibleName("Who are you?")
        self.pin.setValidator(QRegularExpressionValidator(r"\d{0,8}"))
        self.pin.returnPressed.connect(self.try_sign_in)
        self.message = plain_label(objectName="signInMessage", wordWrap=True)
        self.message.setStyleSheet(theme.tone_style("error"))
        self.ok = QPushButton("Sign in", objectName="signInButton", default=True)
        self.ok.clicked.connect(self.try_sign_in)
        pad = QGridLayout()
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            b = QPushButton(key)
            b.setMinimumSize(64, 52)
            b.setAccessibleName(SPOKEN_KEYS.get(key, key))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, k=key: self._key(k))
            pad.addWidget(b, i // 3, i % 3)
        right = QVBoxLayout()
        right.addWidget(QLabel("PIN"))
        right.addWidget(self.pin)
        right.addLayout(pad)
        right.addWidget(self.message)
        right.addWidget(self.ok)
        left = QVBoxLayout()
        left.addWidget(QLabel("Who are you?"))
        left.addWidget(self.users)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right)
        self.load_users()

    def load_users(self) -> None:
        self.users.clear()
        last = self.session.last_user_id
        users = self.session.system.users.list()
        if len(users) == 1:
            last = users[0]["id"]  # nobody else's tries can be spent: the only name there is
        for u in users:
            label = f"{u['name']} — {u['role']}" + ("  (locked)" if u["locked"] else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, u["id"])
            self.users.addItem(item)
            if u["id"] == last:
                self.users.setCurrentItem(item)
        if last is None or self.users.currentItem() is None:
            self.users.setCurrentRow(-1)  # nobody: a PIN typed now would spend someone else's tries
        self.pin.setFocus()

    def select_user(self, name: str) -> None:
        for i in range(self.users.count()):
            if self.users.item(i).text().startswith(name):
                self.users.setCurrentRow(i)
                return
        raise LookupError(name)

    def _key(self, key: str) -> None:
        if key == "⌫":
            self.pin.backspace()
        elif key == "OK":
            self.try_sign_in()
        else:
            self.pin.insert(key)

    def try_sign_in(self) -> None:
        if self._checking:  # one PIN at a time: pressing again must not count as another try
            return
        item = self.users.currentItem()
        if item is None:
            self.message.setText("Choose your name first.")
            return
        user_id = item.data(Qt.ItemDataRole.UserRole)
        pin = self.pin.text()
        self.pin.clear()
        users = self.session.system.users
        self._checking = True
        self.session.runner.front(lambda: users.authenticate(user_id, pin), self._signed_in,
                                   lambda exc: self._refused(exc, user_id))
        if self._checking:  # still on the thread pool (a runner without one answers at once)
            self.checking.emit()

    def _signed_in(self, user: Any) -> None:
        self._checking = False
        self.session.sign_in(user)
        self.message.clear()
        self.accept()

    def _refused(self, exc: Exception, user_id: str) -> None:
        self._checking = False
        self.message.setText(describe(exc)[1])  # in words beside the PIN, never as a traceback
        self.load_users_keep(user_id)

    def reject(self) -> None:
        if not self._checking:  # the answer is a moment away; closing now would drop it
            super().reject()

    def load_users_keep(self, user_id: str) -> None:
        self.load_users()
        for i in range(self.users.count()):
            if self.users.item(i).data(Qt.ItemDataRole.UserRole) == user_id:
                self.users.setCurrentRow(i)
