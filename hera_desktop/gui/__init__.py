"""The PySide6 desktop app. Screens talk to the Hera facade only, never to the database layer."""
