"""The HERA server: HERA Desktop's core behind HERA V2's HTTP API (``hera-desktop serve``).

``app.create_app(hera)`` is the FastAPI application over one set of books; ``running`` starts it under
uvicorn with several worker processes; ``commands`` are the ``serve`` and ``serve-admin`` commands;
``docs/server.md`` says how to deploy it. Nothing is imported here: the desktop's own command line
names these commands without needing FastAPI installed.
"""
