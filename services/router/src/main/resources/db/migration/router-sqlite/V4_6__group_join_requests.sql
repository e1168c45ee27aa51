-- Users who asked to join a group whose policy wants approval, until the owner or an admin
-- approves (they join: a system message) or rejects (the row goes, nothing else).
CREATE TABLE group_join_request (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         BIGINT      NOT NULL,
    requested_at    BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
