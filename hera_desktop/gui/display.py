"""Whether the window can be seen here: a display to show it on, and the system libraries Qt needs for it.

Asked before Qt starts. Qt itself, without a display or without one of its X11 plugin's libraries,
aborts the process with a message that names the wrong library; and on its ``offscreen`` platform
it draws a window nobody can see, whose first question then waits forever for an answer.
"""
from __future__ import annotations

import ctypes
import os
import sys

# What Qt's X11 plugin (libqxcb.so and libQt6XcbQpa.so.6) links to, by Debian package (readelf -d, PySide6 6.11).
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1", "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1", "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1", "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}
UNSEEN_PLATFORMS = ("offscreen", "minimal")


def platform() -> str:
    """The Qt platform asked for by QT_QPA_PLATFORM ("offscreen", "xcb;wayland", "vnc:size=800x600"): its first."""
    return os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip().lower()


def missing_display() -> str | None:
    """What stops the window being seen here, and how to fix it, in one sentence; None if nothing does."""
    chosen = platform()
    if chosen in UNSEEN_PLATFORMS:
        return (f"QT_QPA_PLATFORM={chosen} draws the window where nobody can see it, so HERA Desktop does not "
                "start; unset QT_QPA_PLATFORM and run it on a desktop (hera-desktop --self-test checks the app "
                "offscreen)")
    if not sys.platform.startswith("linux") or chosen not in ("", "xcb"):
        return None
    if chosen == "" and os.environ.get("WAYLAND_DISPLAY"):
        return None  # Qt chooses Wayland there, which needs none of the X11 libraries
    missing = sorted({package for library, package in XCB_LIBRARIES.items() if not _loads(library)})
    display = os.environ.get("DISPLAY", "")
    problems = []
    if not display:
        problems.append("there is no display (DISPLAY is not set; start it from a desktop session, or over ssh -X)")
    elif not missing and not _reachable(display):
        problems.append(f"the display {display} cannot be reached (is the desktop running, and may this user "
                        "use it?)")
    if missing:
        problems.append("the system libraries Qt needs to show a window are missing: install them with "
                        f"sudo apt install {' '.join(missing)}")
    if not problems:
        return None
    return "The window cannot open: " + "; and ".join(problems)


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def _reachable(display: str) -> bool:
    """Connect to the X server as Qt will (xcb_connect), and let go."""
    xcb = ctypes.CDLL("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        return conn is not None and xcb.xcb_connection_has_error(conn) == 0
    finally:
        if conn is not None:
            xcb.xcb_disconnect(conn)
