"""Reading other programs' files for `leadcards import`: Anki packages, read without
the `anki` library into plain values that the conversion to decks and history takes."""
