-- leadcards database, schema version 6: what `stats` groups cards by, kept where it can
-- be read without parsing every note, and indexes for its lists and counts. Derived data, like the
-- card cache: a note's tags come from its stored text (triggers, made by the migration
-- step, keep them in step with every write of a note), and the per-note tallies of past
-- study days are made again from the log by the next `stats`. Every column is
-- documented in README.md.
CREATE TABLE note_tags (
    deck_id    TEXT NOT NULL,
    note_id    TEXT NOT NULL,
    tag        TEXT NOT NULL,
    from_table INTEGER NOT NULL,  -- 1: one of the three tags a table gives each of its cells
    PRIMARY KEY (deck_id, note_id, tag)
) WITHOUT ROWID;
CREATE INDEX note_tags_grouped ON note_tags (deck_id, tag, note_id) WHERE from_table = 0;
CREATE TABLE stats_notes (
    day_start TEXT NOT NULL,
    deck_id   TEXT NOT NULL,
    note_id   TEXT NOT NULL,
    passed    INTEGER NOT NULL,  -- as stats_retention, per note over every tallied day
    failed    INTEGER NOT NULL,
    PRIMARY KEY (day_start, deck_id, note_id)
) WITHOUT ROWID;
DROP TABLE stats_cards;
DELETE FROM stats_days;
DELETE FROM stats_retention;
DELETE FROM stats_picks;
DELETE FROM stats_cover;
CREATE INDEX cards_lapsed ON cards (deck_id, lapses DESC, key) WHERE lapses > 0 AND removed = 0;
CREATE INDEX cards_coming ON cards (deck_id, due, buried_until)
    WHERE state != 0 AND suspended = 0 AND removed = 0;
CREATE INDEX cards_buried ON cards (deck_id, buried_until) WHERE buried_until IS NOT NULL
