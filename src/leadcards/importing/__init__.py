"""Bringing cards in from other tools (`leadcards import`): Anki packages, read without
the `anki` library, and text files, into plain values; the conversion to decks and
review history; the deck file writer."""
