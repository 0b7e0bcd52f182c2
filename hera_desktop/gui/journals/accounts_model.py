"""The chart of accounts as a tree: one branch per account type, the accounts by number under it."""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont, QStandardItem, QStandardItemModel

from .. import theme
from .table_model import LEFT, RIGHT, ROW_ROLE, money

HEADERS = ("Account", "Name", "Balance", "Status")
CODE, NAME, BALANCE, STATUS = range(4)


def _item(text: str, row: Any = None, right: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(int(RIGHT if right else LEFT), Qt.ItemDataRole.TextAlignmentRole)
    if row is not None:
        item.setData(row, ROW_ROLE)
    return item


class AccountsTreeModel(QStandardItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        for col in (BALANCE,):
            self.setHeaderData(col, Qt.Orientation.Horizontal, int(RIGHT), Qt.ItemDataRole.TextAlignmentRole)

    def set_groups(self, groups: Sequence[Any]) -> None:
        """``groups``: AccountGroup results of ``s.chart_of_accounts.tree()``."""
        self.removeRows(0, self.rowCount())
        bold = QFont()
        bold.setBold(True)
        for group in groups:
            count = len(group.accounts)
            cells = [_item(group.label), _item(f"{count} account{'s' if count != 1 else ''}"),
                     _item(money(group.balance), right=True), _item("")]
            for cell in cells:
                cell.setFont(bold)
                cell.setData(group.account_type, ROW_ROLE + 1)
            for account in group.accounts:
                row = [_item(account.code, account), _item(account.name, account),
                       _item(money(account.balance) if account.has_postings else "", account, right=True),
                       _item("" if account.active else "Inactive", account)]
                if not account.active:
                    for cell in row:
                        cell.setForeground(QBrush(theme.colour("muted")))
                cells[0].appendRow(row)
            self.appendRow(cells)

    def account_at(self, index: Any) -> Any:
        """The AccountRow of an account's row (None on a type's row)."""
        return index.siblingAtColumn(CODE).data(ROW_ROLE) if index.isValid() else None

    def index_of(self, account_id: str) -> Any:
        for g in range(self.rowCount()):
            group = self.item(g, CODE)
            for r in range(group.rowCount()):
                if group.child(r, CODE).data(ROW_ROLE).id == account_id:
                    return group.child(r, CODE).index()
        return None
