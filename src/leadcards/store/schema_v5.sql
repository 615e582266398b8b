-- leadcards database, schema version 5: the tallies `stats` keeps of past study days.
-- The log is append-only, so a day that is over never changes its figures: `stats`
-- tallies each such day once and reads only today's answers afresh. Derived data, like
-- the card cache: any doubt (another day rule, a time zone, an event written into a
-- tallied day) and the tallies of that day rule are made again from the log. Every
-- column is documented in README.md.
CREATE TABLE stats_cover (
    day_start TEXT PRIMARY KEY,  -- the day rule ('04:00') the rows below were cut by
    first_day INTEGER NOT NULL,  -- first study day tallied (proleptic ordinal of its date)
    until_day INTEGER NOT NULL,  -- first study day not tallied (today, when tallied)
    until_ms  INTEGER NOT NULL,  -- its start: every event before it is tallied
    days      TEXT NOT NULL,     -- fingerprint of the tallied days' starts (the time zone)
    seq       INTEGER NOT NULL   -- the log's last seq then: later rows are checked
);
CREATE TABLE stats_days (
    day_start   TEXT NOT NULL,
    deck_id     TEXT NOT NULL,
    day         INTEGER NOT NULL,  -- proleptic ordinal of the study day's date
    answers     INTEGER NOT NULL,  -- live answers and practice answers
    practice    INTEGER NOT NULL,  -- practice answers among them
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (day_start, deck_id, day)
);
CREATE TABLE stats_retention (
    day_start TEXT NOT NULL,
    deck_id   TEXT NOT NULL,
    day       INTEGER NOT NULL,
    mature    INTEGER NOT NULL,  -- 1: the interval before was 21 days or more
    passed    INTEGER NOT NULL,  -- first answers of the day on review cards, not Again
    failed    INTEGER NOT NULL,  -- the same, Again
    PRIMARY KEY (day_start, deck_id, day, mature)
);
CREATE TABLE stats_cards (
    day_start TEXT NOT NULL,
    card_key  TEXT NOT NULL,
    passed    INTEGER NOT NULL,  -- as stats_retention, per card over every tallied day
    failed    INTEGER NOT NULL,
    PRIMARY KEY (day_start, card_key)
);
CREATE TABLE stats_picks (
    day_start TEXT NOT NULL,
    card_key  TEXT NOT NULL,
    picked    TEXT NOT NULL,     -- an option or side picked (answers and practice)
    times     INTEGER NOT NULL,
    PRIMARY KEY (day_start, card_key, picked)
)
