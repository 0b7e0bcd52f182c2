"""The HERA server: HERA Desktop's core behind HERA V2's HTTP API (``hera-desktop serve``).

``create_app(hera)`` is the FastAPI application over one set of books; ``running`` starts it under
uvicorn with several worker processes; ``docs/server.md`` says how to deploy it.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
