"""The Inventory screens."""
