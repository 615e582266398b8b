-- leadcards database, schema version 1. Every column is documented in README.md.
CREATE TABLE settings (
    scope TEXT NOT NULL,            -- '' for global, else a deck id
    key   TEXT NOT NULL,
    value TEXT NOT NULL,            -- JSON
    PRIMARY KEY (scope, key)
);

CREATE TABLE deck_files (
    path      TEXT PRIMARY KEY,     -- absolute path of a deck file
    deck_id   TEXT NOT NULL,
    name      TEXT NOT NULL,
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    synced_at INTEGER NOT NULL      -- ms UTC
);

CREATE TABLE cards (
    key          TEXT PRIMARY KEY,  -- deck:note:template
    deck_id      TEXT NOT NULL,
    note_id      TEXT NOT NULL,
    template     TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    position     INTEGER NOT NULL,  -- order new cards are introduced in
    state        INTEGER NOT NULL DEFAULT 0,  -- 0 new, 1 learning, 2 review, 3 relearning
    step         INTEGER,
    stability    REAL,
    difficulty   REAL,
    due          INTEGER,           -- ms UTC; NULL while new
    last_review  INTEGER,           -- ms UTC
    reps         INTEGER NOT NULL DEFAULT 0,
    lapses       INTEGER NOT NULL DEFAULT 0,
    suspended    INTEGER NOT NULL DEFAULT 0,
    leech        INTEGER NOT NULL DEFAULT 0,
    buried_until INTEGER,           -- ms UTC
    removed      INTEGER NOT NULL DEFAULT 0,
    added_at     INTEGER NOT NULL   -- ms UTC
);
CREATE INDEX cards_deck_state_due ON cards (deck_id, state, due);
CREATE INDEX cards_note ON cards (deck_id, note_id);

CREATE TABLE reviews (
    seq          INTEGER PRIMARY KEY,  -- order of the log on this device
    id           TEXT NOT NULL UNIQUE, -- globally unique, time-ordered (ULID)
    card_key     TEXT NOT NULL REFERENCES cards (key),
    kind         TEXT NOT NULL,        -- 'answer' or 'forget'
    rating       INTEGER NOT NULL,     -- 1 Again, 2 Hard, 3 Good, 4 Easy; 0 for forget
    reviewed_at  INTEGER NOT NULL,     -- ms UTC
    duration_ms  INTEGER NOT NULL,
    state_before INTEGER NOT NULL,
    state_after  INTEGER NOT NULL,
    due_after    INTEGER,
    stability_after  REAL,
    difficulty_after REAL,
    before       TEXT NOT NULL         -- JSON: the whole cached card row before, for undo
);
CREATE INDEX reviews_card ON reviews (card_key, seq);
CREATE INDEX reviews_time ON reviews (reviewed_at);
