-- leadcards database, schema version 2: the review log becomes a log of every event.
-- Every column is documented in README.md.
CREATE TABLE events (
    seq              INTEGER PRIMARY KEY,   -- insertion order on this device; no meaning elsewhere
    id               TEXT NOT NULL UNIQUE,  -- ULID: globally unique, time-ordered
    at               INTEGER NOT NULL,      -- ms UTC; replay order is (at, id)
    kind             TEXT NOT NULL,         -- answer forget suspend unsuspend bury leech setting undo
    card_key         TEXT REFERENCES cards (key),  -- NULL for setting events
    rating           INTEGER,               -- answer: 1 Again, 2 Hard, 3 Good, 4 Easy
    duration_ms      INTEGER,               -- answer: time from showing the card to the rating
    picked           TEXT,                  -- answer: the option or side picked, if any
    target           TEXT,                  -- undo: the undone event; leech: the answer that made it
    data             TEXT,                  -- JSON: bury {"until"}, setting {"scope","key","value"}, answer {"ordered":1}
    state_before     INTEGER,               -- answer: the card's state when answered
    state_after      INTEGER,               -- answer, as computed when logged:
    due_after        INTEGER,               --   state, due (ms UTC), stability, difficulty
    stability_after  REAL,
    difficulty_after REAL
);
CREATE INDEX events_card ON events (card_key, at, id);
CREATE INDEX events_time ON events (at, id);
CREATE INDEX events_settings ON events (at, id) WHERE kind = 'setting';
CREATE INDEX events_undone ON events (target) WHERE kind = 'undo';
-- The events that count: not tombstones, and not taken back by one.
CREATE VIEW live_events AS
    SELECT * FROM events e WHERE kind != 'undo' AND NOT EXISTS
        (SELECT 1 FROM events u WHERE u.kind = 'undo' AND u.target = e.id);
