"""Persistence: SQLAlchemy Core tables, the engine, units of work and organization scoping."""
