"""Exports to other tools (Anki)."""
