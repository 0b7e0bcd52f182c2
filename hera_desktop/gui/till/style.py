"""How the till looks: big touch targets, large totals, one green Pay. Set on the till, inherited by its dialogs.

Sizes live here rather than in setMinimumHeight calls, because the application's
own style sheet sets button heights and a style sheet wins over a size set in code.
They are drawn for a 14px application font and scaled to the user's (``till()``,
``px``, from gui/sizes.py), so someone who set a larger font on their computer gets a larger till.
"""
from __future__ import annotations

from .. import theme
from ..sizes import DESIGN_PX, factor, px, scaled

__all__ = ["DESIGN_PX", "category_button", "factor", "menu_button", "px", "scaled", "till"]


def till() -> str:
    """The till's style sheet, in the colours of the system's palette (light or dark), for the user's font."""
    t, pay, pay_off = theme.tone, theme.surface("pay"), theme.surface("pay_disabled")
    warning, ticket, selected = theme.surface("warning"), theme.surface("ticket"), theme.surface("selected")
    paper = theme.surface("paper")
    return scaled(f"""
QPushButton {{ min-height: 44px; font-size: 15px; padding: 0 12px; }}
QPushButton#pay, QPushButton#confirmPay {{
    min-height: 60px; font-size: 22px; font-weight: bold; color: {pay[1]};
    background: {pay[0]}; border: 1px solid {t('ok')}; border-radius: 8px; }}
QPushButton#pay:disabled, QPushButton#confirmPay:disabled {{ background: {pay_off[0]}; color: {pay_off[1]}; border-color: {pay_off[0]}; }}
QPushButton#holdOrder, QPushButton#cancelOrder {{ min-height: 60px; }}
QPushButton#quantityDown, QPushButton#quantityUp {{ min-width: 52px; max-width: 52px; font-size: 24px; }}
QLineEdit#menuSearch {{ font-size: 18px; padding: 8px; }}
QLineEdit#payAmount, QLineEdit#tendered {{ font-size: 22px; padding: 6px; }}
QLabel#ticketTitle {{ font-size: 22px; font-weight: bold; }}
QLabel#subtotal, QLabel#tax, QLabel#caption {{ font-size: 17px; }}
QLabel#total, QLabel#totalCaption {{ font-size: 32px; font-weight: bold; }}
QLabel#payTotal, QLabel#payDue, QLabel#receiptHeadline {{ font-size: 26px; font-weight: bold; }}
QLabel#changeDue {{ font-size: 26px; font-weight: bold; color: {t('accent')}; }}
QLabel#payMessage[error="true"], QLabel#receiptSaved[error="true"] {{ color: {t('error')}; }}
QLabel#payMessage {{ font-size: 15px; color: {t('text')}; }}
QLabel#tillMessage {{ font-size: 15px; color: {t('accent')}; }}
QLabel#stockWarning {{ font-size: 15px; color: {warning[1]}; background: {warning[0]}; padding: 4px 8px; }}
QLabel#keyHints, QLabel#customerDetail, QLabel#noOpenOrders {{ color: {t('muted')}; font-size: 12px; }}
QLabel#openOrdersCaption {{ font-weight: bold; color: {t('text')}; }}
QTableView#ticketLines {{ font-size: 16px; }}
QTableView#ticketLines QHeaderView::section {{ font-size: 13px; }}
QPushButton[method] {{ font-size: 17px; min-height: 56px; padding: 0 4px; }}
QPushButton[method]:checked {{ font-weight: bold; border: 3px solid {t('accent')}; background: {selected[0]}; color: {selected[1]}; }}
QListWidget#openOrders {{ border: none; background: transparent; font-size: 15px; }}
QListWidget#openOrders::item {{ border: 1px solid {t('border')}; border-radius: 8px; background: {ticket[0]}; color: {ticket[1]}; padding: 4px; }}
QListWidget#openOrders::item:selected {{ border: 3px solid {t('accent')}; color: {ticket[1]}; }}
QListWidget#recentSalesList {{ font-size: 16px; }}
QListWidget#recentSalesList::item {{ padding: 8px; }}
QTextBrowser {{ background: {paper[0]}; color: {paper[1]}; }}
""")


def menu_button(colour: tuple[str, str], width: int, height: int) -> str:
    """A menu item's button in its category's (background, text); ``width`` and ``height`` already scaled."""
    background, text = colour
    accent, border = theme.tone("accent"), theme.tone("border")
    return (f"QPushButton {{ font-size: {px(15)}px; font-weight: 600; background: {background}; color: {text};"
            f" min-width: {width}px; max-width: {width}px; min-height: {height}px; max-height: {height}px;"
            f" border: 1px solid {border}; border-radius: 8px; padding: 2px; }}"
            f"QPushButton[best=\"true\"] {{ border: 3px solid {accent}; }}"
            f"QPushButton:pressed {{ background: {text}; color: {background}; }}")


def sold_out() -> tuple[str, str]:
    """A menu button's (background, text) while its item is sold out today: greyed, still readable."""
    return theme.surface("panel")[0], theme.tone("muted")


def category_button(colour: tuple[str, str]) -> str:
    background, text = colour
    accent, border = theme.tone("accent"), theme.tone("border")
    return (f"QPushButton {{ font-size: {px(15)}px; padding: 6px 16px; border: 1px solid {border}; border-radius: 6px;"
            f" background: {background}; color: {text}; }}"
            f"QPushButton:checked {{ border: 3px solid {accent}; font-weight: bold; }}")
