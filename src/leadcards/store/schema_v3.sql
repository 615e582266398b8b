-- leadcards database, schema version 3: the decks' text, kept by sync, so commands that
-- show cards never parse an unchanged deck. Every column is documented in README.md.
CREATE TABLE notes (
    deck_id TEXT NOT NULL,
    note_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,  -- its place in the deck's learning order
    body    TEXT NOT NULL,     -- JSON: kind, line, tags, fields, each card's text
    PRIMARY KEY (deck_id, note_id)
);
CREATE TABLE decks (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL
);
-- No text yet: every file is read again at the next sync, which writes it.
UPDATE deck_files SET size = -1, sha256 = '';
