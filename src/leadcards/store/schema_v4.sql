-- leadcards database, schema version 4: the log may hold `practice` events (answers of
-- `cram`, which change no card), which earlier versions cannot read; and each deck's
-- totals (cards, suspended, leeches) come from one index instead of every card row.
CREATE INDEX cards_counts ON cards (deck_id, removed, suspended, leech);
