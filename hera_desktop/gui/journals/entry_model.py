"""The lines of the journal entry being typed: account, debit or credit, description.

The grid always ends with one blank line to type into. A line is valid when it
names an active account and has an amount on exactly one side; blank lines are
ignored. The totals and the first problem are what decide whether Post is possible.
Amounts are read in the user's locale; one that cannot be taken as typed (a
minus sign, a third decimal, "1,5" where the comma groups thousands) stays in its
cell, marked, with the reason as the line's problem: it is never dropped or changed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from .. import theme
from ...domain.errors import ValidationError
from ...domain.money import D, ZERO
from ..labels import plain_tooltip
from ..numbers import editable, parse_money
from .table_model import LEFT, RIGHT, Index, money

ACCOUNT, DEBIT, CREDIT, DESCRIPTION = range(4)
HEADERS = ("Account", "Debit", "Credit", "Description")


@dataclass(frozen=True)
class AccountChoice:
    id: str
    code: str
    name: str
    active: bool = True

    @property
    def label(self) -> str:
        return f"{self.code} · {self.name}"


@dataclass(frozen=True)
class Line:
    account_id: str | None = None
    account_text: str = ""
    debit: Decimal | None = None
    credit: Decimal | None = None
    description: str = ""
    refused: tuple[int, str, str] | None = None  # (column, text as typed, why it was not taken)

    @property
    def is_blank(self) -> bool:
        return not (self.account_id or self.account_text.strip() or self.debit or self.credit
                    or self.description.strip() or self.refused)

    def refused_in(self, col: int) -> tuple[int, str, str] | None:
        return self.refused if self.refused is not None and self.refused[0] == col else None


def parse_amount(text: str) -> Decimal | None:
    """A stored amount ("1250.5", as drafts keep it) as an exact Decimal with at most two decimals; "" is none."""
    if not text.strip():
        return None
    amount = D(text, "amount")
    if amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError("amount", "must be a positive amount with at most two decimals")
    return amount if amount > 0 else None


class EntryLinesModel(QAbstractTableModel):
    changed = Signal()  # lines or totals changed (autosave, totals bar, Post button)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[Line] = [Line()]
        self.accounts: dict[str, AccountChoice] = {}
        self.currency = "USD"  # the organization's, set by the editor: it decides how many decimals an amount has

    # ------------------------------------------------------------------ accounts

    def set_accounts(self, accounts: Sequence[AccountChoice]) -> None:
        self.accounts = {a.id: a for a in accounts}
        if self.lines:
            self.dataChanged.emit(self.index(0, ACCOUNT), self.index(len(self.lines) - 1, ACCOUNT))
        self.changed.emit()

    def choices(self) -> list[AccountChoice]:
        return sorted((a for a in self.accounts.values() if a.active), key=lambda a: a.code)

    def resolve(self, text: str) -> AccountChoice | None:
        """The active account a person meant: its label, number or name, or the one account the text is part of."""
        t = text.strip().casefold()
        if not t:
            return None
        active = self.choices()
        for a in active:
            if t in (a.label.casefold(), a.code.casefold(), a.name.casefold()):
                return a
        starts = [a for a in active if a.code.casefold().startswith(t)]
        if len(starts) == 1:
            return starts[0]
        contains = [a for a in active if t in a.label.casefold()]
        return contains[0] if len(contains) == 1 else None

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
                return HEADERS[section]
            if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.lines):
                return str(section + 1)
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return int(RIGHT if section in (DEBIT, CREDIT) else LEFT)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        line, col = self.lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == ACCOUNT:
                account = self.accounts.get(line.account_id or "")
                return account.label if account else line.account_text
            if col in (DEBIT, CREDIT):
                refused = line.refused_in(col)
                if refused:
                    return refused[1]
                amount = line.debit if col == DEBIT else line.credit
                if role == Qt.ItemDataRole.EditRole:
                    return editable(amount, self.currency)
                return money(amount)
            return line.description
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if col in (DEBIT, CREDIT) else LEFT)
        # A wrong account or an amount not taken is marked at once; a missing amount is just not typed yet.
        refused = line.refused_in(col)
        problem = self._account_problem(line) if col == ACCOUNT else refused[2] if refused else None
        if problem:
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_tooltip(problem)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(theme.surface("problem")[1]))
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(theme.surface("problem")[0]))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.row() >= len(self.lines):
            return False
        text = "" if value is None else str(value)
        line, col = self.lines[index.row()], index.column()
        if col == ACCOUNT:
            account = self.resolve(text)
            new = replace(line, account_id=account.id if account else None,
                          account_text="" if account else text.strip())
        elif col in (DEBIT, CREDIT):
            try:
                amount = self._typed_amount(text, col)
            except ValidationError as exc:
                new = replace(line, refused=(col, text.strip(), exc.message),
                              **{"debit" if col == DEBIT else "credit": None})
            else:
                # A line is one side: an amount typed as a debit replaces a credit, and the other way round.
                kept = line.refused if line.refused and line.refused[0] != col and not amount else None
                if col == DEBIT:
                    new = replace(line, debit=amount, credit=None if amount else line.credit, refused=kept)
                else:
                    new = replace(line, credit=amount, debit=None if amount else line.debit, refused=kept)
        else:
            new = replace(line, description=text.strip())
        if new == line:
            return True
        self.lines[index.row()] = new
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        self._keep_blank_line()
        self.changed.emit()
        return True

    def _typed_amount(self, text: str, col: int) -> Decimal | None:
        """An amount as typed in the Debit or Credit column; a ValidationError says why it cannot be taken."""
        side = HEADERS[col]
        amount = parse_money(text, side, self.currency, negative=True)
        if amount is not None and amount < 0:
            other = HEADERS[CREDIT if col == DEBIT else DEBIT]
            raise ValidationError(side, f"cannot be negative ({text.strip()}); to record "
                                        f"{editable(-amount, self.currency)} on the other side, type it as a "
                                        f"{other.lower()}")
        return amount if amount else None

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        if parent.isValid() or row < 0 or count < 1 or row + count > len(self.lines):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self.lines[row:row + count]
        self.endRemoveRows()
        self._keep_blank_line()
        self.changed.emit()
        return True

    def _keep_blank_line(self) -> None:
        if not self.lines or not self.lines[-1].is_blank:
            self.beginInsertRows(QModelIndex(), len(self.lines), len(self.lines))
            self.lines.append(Line())
            self.endInsertRows()

    # ------------------------------------------------------------------ the entry as a whole

    def set_lines(self, lines: Sequence[Line]) -> None:
        self.beginResetModel()
        self.lines = [ln for ln in lines if not ln.is_blank] + [Line()]
        self.endResetModel()
        self.changed.emit()

    def filled(self) -> list[Line]:
        return [ln for ln in self.lines if not ln.is_blank]

    def totals(self) -> tuple[Decimal, Decimal]:
        lines = self.filled()
        return (sum((ln.debit or ZERO for ln in lines), ZERO), sum((ln.credit or ZERO for ln in lines), ZERO))

    def problem_of(self, row: int) -> str | None:
        line = self.lines[row]
        if line.is_blank:
            return None
        found = self._account_problem(line)
        if found:
            return found
        if line.refused:
            return line.refused[2]
        if not line.debit and not line.credit:
            return "Enter a debit or a credit amount"
        return None

    def _account_problem(self, line: Line) -> str | None:
        if line.is_blank:
            return None
        if line.account_id is None:
            typed = line.account_text.strip()
            return f"No account matches “{typed}”" if typed else "Choose an account"
        account = self.accounts.get(line.account_id)
        if account is None and self.accounts:
            return "This account is no longer in the chart of accounts; choose another"
        if account is not None and not account.active:
            return f"{account.label} is inactive; choose another account"
        return None

    def problem(self) -> str | None:
        """The first thing that keeps this entry from being posted, in words, or None."""
        for row in range(len(self.lines)):
            found = self.problem_of(row)
            if found:
                return f"Line {row + 1}: {found}"
        if len(self.filled()) < 2:
            return "An entry needs at least two lines"
        debits, credits = self.totals()
        if debits != credits:
            return f"Debits and credits differ by {money(abs(debits - credits))}"
        return None

    def posting_lines(self) -> list[dict[str, Any]]:
        return [{"gl_account_id": ln.account_id, "amount": ln.debit or ln.credit,
                 "dr_cr": "DR" if ln.debit else "CR", "description": ln.description or None}
                for ln in self.filled()]
