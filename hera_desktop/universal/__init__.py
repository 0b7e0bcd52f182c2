"""The HERA V2 universal API: entities, dynamic fields, relationships and transactions."""
