-- The conversation list. A conversation's last_at (the time of its last message) orders a user's
-- list and moves with last_seq in the same statement; each member's own settings of the
-- conversation sit on its member row: notifications_off (what apps call muting a chat, not a
-- group's muting of a member, which stops sending) and pinned_at (0 when not pinned).
ALTER TABLE conversation ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0;
UPDATE conversation SET last_at = COALESCE((
    SELECT m.created_at FROM message m WHERE m.conversation_id = conversation.id AND m.seq = conversation.last_seq),
    created_at);
ALTER TABLE conversation_member ADD COLUMN notifications_off INT NOT NULL DEFAULT 0;
ALTER TABLE conversation_member ADD COLUMN pinned_at BIGINT NOT NULL DEFAULT 0;
