"""The Reports screens."""
