"""The app's colours, chosen for the palette the owner's system gives it: light or dark.

Screens never write a colour of their own. They ask for a *tone* (text that means something: muted,
error, ok, warning, accent) or a *surface* (a tinted background with the text colour that reads on it:
a warning banner, an open-order card, a menu category). Each comes in a light and a dark variant, and
every pair reads at the contrast WCAG asks of body text (4.5:1), so a dark system theme keeps every
screen readable (tests/gui/test_theme.py checks each pair and walks the screens under both palettes).

Printed documents (receipts, PDFs) are on paper and keep their own colours.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

TONES = {  # name: (on a light window, on a dark window)
    "text": ("#1d2329", "#e8eaed"),
    "muted": ("#5b6673", "#aab4bf"),
    "error": ("#b00020", "#ff8a80"),
    "ok": ("#256b29", "#81c784"),
    "warning": ("#8a5300", "#ffcc80"),
    "accent": ("#1f4e79", "#90caf9"),
    "border": ("#9aa5b1", "#6b7785"),
    # Chart marks and lines (drawn on the palette's base colour).
    "grid": ("#e3e6ea", "#3a4048"),
    "axis": ("#6f7680", "#9aa3ad"),
    "bar": ("#3b7dd8", "#6ea8f0"),
    "bar_negative": ("#d9534f", "#f08a86"),
    "bar_hover": ("#1f4f99", "#a9ccf7"),
}

SURFACES = {  # name: ((background, text) light, (background, text) dark)
    "warning": (("#fff3cd", "#664d03"), ("#4a3b0b", "#ffe49a")),
    "error": (("#fdecea", "#8a1c1c"), ("#4d1f1f", "#ffc9c4")),
    "note": (("#eef5ee", "#1e4620"), ("#1f3a22", "#c8e6c9")),
    "ticket": (("#fff4d6", "#1d2329"), ("#3d3421", "#f4ead2")),
    "section": (("#eef1f5", "#1d2329"), ("#2f353d", "#e8eaed")),
    "selected": (("#d6e4f5", "#10263d"), ("#24476b", "#e6f0fb")),
    "pay": (("#2e7d32", "#ffffff"), ("#2e7d32", "#ffffff")),
    "pay_disabled": (("#a5c2a7", "#24402a"), ("#3c5640", "#b9cdbb")),
    "panel": (("#f6f7f9", "#1d2329"), ("#2a2f36", "#e8eaed")),
    "pointer": (("#fffaeb", "#1d2329"), ("#3d3421", "#f4ead2")),
    "low": (("#fff1c2", "#7a1a14"), ("#4a3b0b", "#ffd7a0")),
    "negative": (("#fbd5d2", "#7a1a14"), ("#5a2320", "#ffd0cc")),
    "existing": (("#fff4ce", "#1d2329"), ("#3d3421", "#f4ead2")),
    "problem": (("#fde7e9", "#7a1a14"), ("#4d1f1f", "#ffc9c4")),
    "bar": (("#f4f4f4", "#1d2329"), ("#2a2f36", "#e8eaed")),
    # A receipt on screen looks like the paper it prints on, whatever the system's palette.
    "paper": (("#fffdf7", "#1d2329"), ("#fffdf7", "#1d2329")),
}

# Menu categories: one tint each, light pastels or deep tones, with the text that reads on them.
CATEGORIES = (
    ("#fde2c8", "#5a3212"), ("#d8ecd2", "#24421d"), ("#d6e4f5", "#17324f"), ("#f5d6e6", "#4f1a36"),
    ("#ece0f5", "#3b2352"), ("#f7efc4", "#4a3f0b"), ("#d4efef", "#164545"), ("#eadfd3", "#43321f"),
)
CATEGORY_TEXT_LIGHT = "#1d2329"
CATEGORIES_DARK = (
    ("#5a3212", "#fde2c8"), ("#24421d", "#d8ecd2"), ("#17324f", "#d6e4f5"), ("#4f1a36", "#f5d6e6"),
    ("#3b2352", "#ece0f5"), ("#4a3f0b", "#f7efc4"), ("#164545", "#d4efef"), ("#43321f", "#eadfd3"),
)

STATUSES = {  # a customer's status: (text, tint) light, (text, tint) dark
    "prospect": (("#1f5fa8", "#e6eef8"), ("#9cc3f0", "#1d3350")),
    "active": (("#256b29", "#e7f3e8"), ("#9ed6a1", "#1f3a22")),
    "inactive": (("#565656", "#eeeeee"), ("#c4c4c4", "#3a3a3a")),
    "suspended": (("#8f5200", "#fbefdc"), ("#ffc773", "#4a3b0b")),
    "closed": (("#5f5f5f", "#f2f2f2"), ("#bdbdbd", "#363636")),
}


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark() -> bool:
    """Whether the window the system gives us is dark (its background darker than mid-grey)."""
    return palette().color(QPalette.ColorRole.Window).lightness() < 128


def tone(name: str) -> str:
    """A text colour that means ``name``, readable on the window's background."""
    return TONES[name][is_dark()]


def colour(name: str) -> QColor:
    return QColor(tone(name))


def surface(name: str) -> tuple[str, str]:
    """(background, text) of a tinted surface."""
    return SURFACES[name][is_dark()]


def surface_style(name: str, extra: str = "") -> str:
    """Style sheet declarations for a surface: its background and the text that reads on it."""
    background, text = surface(name)
    return f"background: {background}; color: {text};{(' ' + extra) if extra else ''}"


def tone_style(name: str, extra: str = "") -> str:
    return f"color: {tone(name)};{(' ' + extra) if extra else ''}"


def category(n: int) -> tuple[str, str]:
    """(background, text) of the n-th menu category."""
    if is_dark():
        return CATEGORIES_DARK[n % len(CATEGORIES_DARK)]
    return CATEGORIES[n % len(CATEGORIES)][0], CATEGORY_TEXT_LIGHT


def status(name: str) -> tuple[str, str]:
    """(text, tint) of a customer status."""
    light, dark = STATUSES.get(name, (("#333333", "#eeeeee"), ("#dddddd", "#3a3a3a")))
    return dark if is_dark() else light


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2)."""
    c = QColor(hex_colour)

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def dark_palette() -> QPalette:
    """A dark palette like the ones dark system themes give Qt (for pictures and tests of the dark look)."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, value in ((roles.Window, "#2b2d31"), (roles.WindowText, "#e8eaed"), (roles.Base, "#1f2124"),
                        (roles.AlternateBase, "#2b2d31"), (roles.Text, "#e8eaed"), (roles.Button, "#383a3f"),
                        (roles.ButtonText, "#e8eaed"), (roles.ToolTipBase, "#383a3f"), (roles.ToolTipText, "#e8eaed"),
                        (roles.Highlight, "#3d6fa8"), (roles.HighlightedText, "#ffffff"),
                        (roles.PlaceholderText, "#9aa3ad"), (roles.Link, "#90caf9")):
        p.setColor(role, QColor(value))
    return p
