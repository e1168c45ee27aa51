-- Who a message mentions, one row per mentioned user: the conversation list answers a user's
-- unread mentions (seq above the user's read cursor) from it. The message row keeps the mentions
-- too (kind 2: its body column holds an im.router.v1.StoredContent), so readers get them without
-- this table.
CREATE TABLE mention (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         BIGINT      NOT NULL,
    seq             BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, user_id, seq)
);
