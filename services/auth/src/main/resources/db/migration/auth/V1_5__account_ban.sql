-- A banned account may not log in or refresh (Bans); banning also revokes its refresh-token
-- families, found by user.
ALTER TABLE account ADD COLUMN banned BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX ix_refresh_token_user ON refresh_token (user_id);
