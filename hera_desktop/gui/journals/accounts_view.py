"""The chart of accounts tab: the tree by type, and add, rename, deactivate, reactivate.

Deactivating is offered only for accounts without postings; the service has the
last word and says why when it refuses.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QMessageBox, QPushButton,
                               QTreeView, QVBoxLayout, QWidget)

from .. import theme
from ..errors import show_error
from ..labels import message_box, plain_label
from .account_dialog import AccountDialog
from .accounts_model import BALANCE, CODE, NAME, STATUS, AccountsTreeModel
from .table_model import ROW_ROLE


class ChartOfAccountsView(QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = session.runner
        self.dialog: AccountDialog | None = None
        self.refused: QMessageBox | None = None
        self._select_after: str | None = None
        self.model = AccountsTreeModel(self)
        self.tree = QTreeView(objectName="accountsTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(CODE, 150)
        header.resizeSection(BALANCE, 130)
        header.resizeSection(STATUS, 100)
        self.tree.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.tree.doubleClicked.connect(lambda *_: self.rename())
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, label, slot in (("add", "Add account…", self.add), ("rename", "Rename…", self.rename),
                                 ("deactivate", "Deactivate", self.deactivate),
                                 ("reactivate", "Reactivate", self.reactivate)):
            button = QPushButton(label, objectName=f"{key}Account")
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        self.hint = plain_label(objectName="accountHint", wordWrap=True)
        self.hint.setStyleSheet(theme.tone_style("muted"))
        bar.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        self._update()

    @property
    def can_manage(self) -> bool:
        return self.session.allows("accounts.manage")

    def refresh(self) -> None:
        scope = self.session.scope
        self.runner.read(scope.chart_of_accounts.tree, self._show, self._failed)

    def _show(self, groups: list[Any]) -> None:
        current = self.selected()
        keep = self._select_after or (current.id if current else None)
        self._select_after = None
        self.model.set_groups(groups)
        self.tree.expandAll()
        index = self.model.index_of(keep) if keep else None
        if index is not None:
            self.tree.setCurrentIndex(index)
        self._update()

    def selected(self) -> Any:
        return self.model.account_at(self.tree.currentIndex())

    def _update(self) -> None:
        account = self.selected()
        manage = self.can_manage
        self.buttons["add"].setEnabled(manage)
        self.buttons["rename"].setEnabled(manage and account is not None)
        self.buttons["deactivate"].setEnabled(manage and account is not None and account.active
                                              and not account.has_postings)
        self.buttons["reactivate"].setEnabled(manage and account is not None and not account.active)
        if not manage:
            self.hint.setText("Your role may look at the chart of accounts but not change it.")
        elif account is not None and account.has_postings:
            self.hint.setText(f"{account.code} has postings, so it stays open: the ledger keeps showing them.")
        else:
            self.hint.setText("")

    # ------------------------------------------------------------------ changes

    def add(self) -> AccountDialog:
        index = self.tree.currentIndex()
        kind = index.siblingAtColumn(CODE).data(ROW_ROLE + 1) if index.isValid() else None
        account = self.selected()
        dialog = AccountDialog(self, account_type=account.account_type if account else kind)
        dialog.submitted.connect(lambda code, name, kind: self._change(
            lambda s: s.chart_of_accounts.add(code, name, kind)))
        return self._open(dialog)

    def rename(self) -> AccountDialog | None:
        account = self.selected()
        if account is None or not self.can_manage:
            return None
        dialog = AccountDialog(self, account=account)
        dialog.submitted.connect(lambda _code, name, _kind: self._change(
            lambda s: s.chart_of_accounts.rename(account.id, name)))
        return self._open(dialog)

    def deactivate(self) -> None:
        account = self.selected()
        if account is not None:
            self._change(lambda s: s.chart_of_accounts.deactivate(account.id), f"Cannot deactivate {account.code}")

    def reactivate(self) -> None:
        account = self.selected()
        if account is not None:
            self._change(lambda s: s.chart_of_accounts.reactivate(account.id))

    def _open(self, dialog: AccountDialog) -> AccountDialog:
        self.dialog = dialog
        dialog.finished.connect(lambda _=0: setattr(self, "dialog", None))
        dialog.open()
        return dialog

    def _change(self, fn: Any, refused_title: str | None = None) -> None:
        scope = self.session.scope

        def done(entity: Any) -> None:
            self._select_after = entity.id
            self.refresh()

        def failed(exc: Exception) -> None:
            if refused_title and getattr(exc, "code", "") == "validation_error":
                box = message_box(QMessageBox.Icon.Information, refused_title,
                                  exc.message.split(": ", 1)[-1], QMessageBox.StandardButton.Ok, self)  # type: ignore[attr-defined]
                box.setObjectName("accountRefused")
                box.open()
                self.refused = box
            else:
                self._failed(exc)

        self.runner.change(lambda: fn(scope), done, failed)

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc)
