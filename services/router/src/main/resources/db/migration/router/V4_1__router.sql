-- The message store. A conversation's last_seq is bumped in the same transaction that inserts the
-- message with that seq, so seqs are 1, 2, 3, ... without gaps.
CREATE TABLE conversation (
    id         VARCHAR(64) NOT NULL,
    last_seq   BIGINT      NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE conversation_member (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         BIGINT      NOT NULL,
    joined_at       BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX ix_conversation_member_user ON conversation_member (user_id);

-- (sender_id, client_msg_id) is the sender's idempotency key: a resend finds the stored row.
CREATE TABLE message (
    msg_id           BIGINT      NOT NULL,
    conversation_id  VARCHAR(64) NOT NULL,
    seq              BIGINT      NOT NULL,
    sender_id        BIGINT      NOT NULL,
    sender_device_id VARCHAR(64) NOT NULL,
    client_msg_id    VARCHAR(64) NOT NULL,
    body             BLOB        NOT NULL,
    created_at       BIGINT      NOT NULL,
    PRIMARY KEY (msg_id),
    CONSTRAINT uq_message_conversation_seq UNIQUE (conversation_id, seq),
    CONSTRAINT uq_message_sender_client_msg UNIQUE (sender_id, client_msg_id)
);

-- What each device of a user holds of each conversation (moves forward only).
CREATE TABLE delivery_cursor (
    user_id         BIGINT      NOT NULL,
    device_id       VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    last_ack_seq    BIGINT      NOT NULL,
    updated_at      BIGINT      NOT NULL,
    PRIMARY KEY (user_id, device_id, conversation_id)
);
