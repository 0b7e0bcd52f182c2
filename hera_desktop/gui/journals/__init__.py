"""The Journals screens."""
