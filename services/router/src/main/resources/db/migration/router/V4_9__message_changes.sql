-- Changes of messages (recalls, edits): each is a message of its own in the timeline (kind 3, its
-- body column an im.client.v1.MessageChange) and a row here, which what reads changes without
-- reading the timeline uses: the conversation list leaves changes out of the unread count, and a
-- recall finds the edits of its target to remove their content too. A recalled message keeps its
-- row with an empty body column (kind 4).
CREATE TABLE message_change (
    conversation_id VARCHAR(64) NOT NULL,
    seq             BIGINT      NOT NULL,
    target_seq      BIGINT      NOT NULL,
    kind            INT         NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX ix_message_change_target ON message_change (conversation_id, target_seq);

-- Messages a user deleted for itself: that user reads them without body, content or mentions.
CREATE TABLE hidden_message (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         BIGINT      NOT NULL,
    seq             BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, user_id, seq)
);
