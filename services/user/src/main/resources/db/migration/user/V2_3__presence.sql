-- Presence: whether the user's friends may see it online and when it was last seen (false: nobody
-- sees either), and when it was last seen, written when its last device leaves.
ALTER TABLE user_profile ADD COLUMN show_presence BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE user_profile ADD COLUMN last_seen_at BIGINT DEFAULT 0 NOT NULL;
