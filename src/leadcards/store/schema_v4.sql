-- leadcards database, schema version 4: the log may hold `practice` events (answers of
-- `cram`, which change no card), which earlier versions cannot read; and a deck's totals
-- (cards, suspended, leeches) are counted without reading every card row: partial
-- indexes hold only the few flagged rows, so no query that asks for unflagged cards
-- (the review's, by deck, state and due) is drawn to them.
CREATE INDEX cards_removed ON cards (deck_id) WHERE removed = 1;
CREATE INDEX cards_suspended ON cards (deck_id) WHERE suspended = 1;
CREATE INDEX cards_leech ON cards (deck_id) WHERE leech = 1
