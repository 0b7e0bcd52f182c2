"""The staff screen: who works here, in which role, and their access (add, role, deactivate, unlock, PIN).

Managers see it to look after cashiers; admins look after everyone. The roles offered when adding
someone are those the signed-in role may give, and the actions on a user are offered only where the
books would allow them; the users service decides in the end either way.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from ..domain.errors import ValidationError
from ..domain.roles import ROLES
from .errors import describe
from .labels import plain_label
from .screen import Screen

COLUMNS = ("Name", "Role", "Active", "Locked")
# What the fields are called on this screen, for messages that name the one that was wrong.
LABELS = {"entity_name": "Name", "name": "Name", "pin": "PIN", "new_pin": "New PIN", "role": "Role",
          "user_id": "User", "reason": "Reason"}
SAME_PIN_TWICE = "The two PINs differ; type the same PIN twice."


def in_words(exc: Exception, labels: dict[str, str]) -> str:
    """The error in a screen's words: the field as the person sees it named, never its internal name."""
    if isinstance(exc, ValidationError) and exc.field in labels:
        prefix = f"{exc.field}: "
        if exc.message.startswith(prefix):
            return f"{labels[exc.field]}: {exc.message[len(prefix):]}"
    return describe(exc)[1]


def pin_field(objectName: str, placeholder: str) -> QLineEdit:  # noqa: N803 - Qt's spelling
    return QLineEdit(objectName=objectName, placeholderText=placeholder, echoMode=QLineEdit.EchoMode.Password)


class StaffScreen(Screen):
    title = "Staff"
    permission = "users.manage_cashiers"
    refresh_on = frozenset({"user", "security_event"})

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(session, parent)
        self.rows: list[dict[str, Any]] = []
        self.table = QTableWidget(0, len(COLUMNS), objectName="staffTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._offer_actions)
        self.message = plain_label(objectName="staffMessage", wordWrap=True)

        self.adding = QGroupBox("Add a user")
        self.new_name = QLineEdit(objectName="newUserName", placeholderText="Name")
        self.new_role = QComboBox(objectName="newUserRole")
        self.new_pin = pin_field("newUserPin", "PIN (4–8 digits)")
        self.new_pin_again = pin_field("newUserPinAgain", "The PIN again")
        self.add_user = QPushButton("Add user", objectName="addUser")
        self.add_user.clicked.connect(self.create_user)
        row = QHBoxLayout(self.adding)
        for w in (self.new_name, self.new_role, self.new_pin, self.new_pin_again, self.add_user):
            row.addWidget(w)

        self.chosen = QGroupBox("The chosen user")
        self.role = QComboBox(objectName="changeRoleTo")
        self.role.addItems(list(ROLES))
        self.change_role = QPushButton("Change role", objectName="changeRole")
        self.change_role.clicked.connect(self.set_role)
        self.unlock = QPushButton("Unlock", objectName="unlockUser")
        self.unlock.clicked.connect(self.unlock_selected)
        self.reason = QLineEdit(objectName="deactivateReason", placeholderText="Why (they left, a lost badge…)")
        self.deactivate = QPushButton("Deactivate", objectName="deactivateUser")
        self.deactivate.clicked.connect(self.deactivate_selected)
        self.reactivate = QPushButton("Reactivate", objectName="reactivateUser")
        self.reactivate.clicked.connect(self.reactivate_selected)
        self.reset_pin = pin_field("resetPin", "New PIN")
        self.reset_pin_again = pin_field("resetPinAgain", "The new PIN again")
        self.reset = QPushButton("Reset PIN", objectName="resetPinButton")
        self.reset.clicked.connect(self.reset_selected)
        chosen = QVBoxLayout(self.chosen)
        for widgets in ((self.role, self.change_role, None, self.unlock), (self.reason, self.deactivate, self.reactivate),
                        (self.reset_pin, self.reset_pin_again, self.reset)):
            line = QHBoxLayout()
            for w in widgets:
                if w is None:
                    line.addStretch(1)  # the buttons keep their size whether or not the role is offered
                else:
                    line.addWidget(w)
            chosen.addLayout(line)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chosen)
        layout.addWidget(self.adding)
        layout.addWidget(self.message)
        session.user_changed.connect(self.apply_role)
        self.apply_role()

    def apply_role(self) -> None:
        """Offer the roles the signed-in user may give: every role to an admin, cashier to a manager."""
        s = self.session
        self.new_role.clear()
        self.new_role.addItems(list(ROLES) if s.allows("users.manage") else ["cashier"])
        for w in (self.role, self.change_role):
            w.setVisible(s.allows("users.manage"))
        self._offer_actions()

    def refresh(self) -> None:
        if self.session.user is None:
            return
        self.read(lambda: self.session.scope.users.list(include_inactive=True), self._show)

    def _show(self, users: list[dict[str, Any]]) -> None:
        chosen = self.selected()
        self.rows = users
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            texts = (u["name"], u["role"] or "", "yes" if u["active"] else "deactivated", "locked" if u["locked"] else "")
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if chosen is not None and u["id"] == chosen["id"]:
                self.table.selectRow(r)
        self._offer_actions()

    def select(self, name: str) -> None:
        """Choose the user called ``name`` in the table."""
        for r, u in enumerate(self.rows):
            if u["name"] == name:
                self.table.selectRow(r)
                return
        raise LookupError(name)

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _offer_actions(self) -> None:
        """Actions on the chosen user, where the signed-in role may take them (managers: cashiers only)."""
        u = self.selected()
        manageable = u is not None and u["id"] != getattr(self.session.user, "id", None) and (
            u["role"] == "cashier" or self.session.allows("users.manage"))
        self.change_role.setEnabled(manageable)
        self.unlock.setEnabled(u is not None and self.session.allows("users.unlock"))
        self.deactivate.setEnabled(manageable and bool(u and u["active"]))
        self.reactivate.setEnabled(manageable and bool(u and not u["active"]))
        self.reset.setEnabled(manageable and bool(u and u["active"]))
        if u is not None:
            self.role.setCurrentText(u["role"] or "")

    def _on_chosen(self, act: Any, said: str, clear: tuple[QLineEdit, ...] = ()) -> None:
        """Run ``act(user_id)`` on the chosen user as a change; once done, say ``said`` (with {name}) and
        empty the ``clear`` fields."""
        u = self.selected()
        if u is None:
            self.message.setText("Choose a user in the table first.")
            return

        def done(_: Any) -> None:
            for w in clear:
                w.clear()
            self.message.setText(said.format(name=u["name"]))

        self.change(lambda: act(u["id"]), done, lambda exc: self.message.setText(in_words(exc, LABELS)))

    def create_user(self) -> None:
        name, role, pin = self.new_name.text(), self.new_role.currentText(), self.new_pin.text()
        if pin != self.new_pin_again.text():
            self.message.setText(SAME_PIN_TWICE)
            return

        def done(user: Any) -> None:
            for w in (self.new_name, self.new_pin, self.new_pin_again):
                w.clear()
            self.message.setText(f"{user.entity_name} added as {role}.")

        self.change(lambda: self.session.scope.users.create(name, role, pin), done,
                    lambda exc: self.message.setText(in_words(exc, LABELS)))

    def set_role(self) -> None:
        role = self.role.currentText()
        self._on_chosen(lambda user_id: self.session.scope.users.set_role(user_id, role), f"{{name}} is now {role}.")

    def unlock_selected(self) -> None:
        self._on_chosen(self.session.scope.users.unlock, "{name} can sign in again.")

    def deactivate_selected(self) -> None:
        reason = self.reason.text()
        self._on_chosen(lambda user_id: self.session.scope.users.deactivate(user_id, reason),
                        "{name} is deactivated and can no longer sign in.", (self.reason,))

    def reactivate_selected(self) -> None:
        self._on_chosen(self.session.scope.users.reactivate, "{name} can sign in again, with their old PIN.")

    def reset_selected(self) -> None:
        pin = self.reset_pin.text()
        if pin != self.reset_pin_again.text():
            self.message.setText(SAME_PIN_TWICE)
            return
        self._on_chosen(lambda user_id: self.session.scope.users.reset_pin(user_id, pin),
                        "{name}'s PIN is reset; they sign in with the new one.", (self.reset_pin, self.reset_pin_again))
