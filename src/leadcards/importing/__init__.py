"""Bringing cards in from other tools: Anki packages and text files."""
