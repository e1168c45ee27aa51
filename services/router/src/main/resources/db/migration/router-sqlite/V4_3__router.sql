-- The router's tables in the standalone app's SQLite database: the schema db/migration/router
-- reaches at its V4_3, written for SQLite. A later router migration comes in both folders, under
-- the same version.
--
-- Tables keyed by their primary key alone are WITHOUT ROWID: the rows live in the key's B-tree,
-- so a cursor move writes one tree, not a row tree and a key index. A message's msg_id is its
-- rowid: leaf ids grow, so new rows go at the end of the table's tree.

CREATE TABLE conversation (
    id         VARCHAR(64) NOT NULL PRIMARY KEY,
    last_seq   BIGINT      NOT NULL,
    created_at BIGINT      NOT NULL
) WITHOUT ROWID;

CREATE TABLE conversation_member (
    conversation_id    VARCHAR(64) NOT NULL,
    user_id            BIGINT      NOT NULL,
    joined_at          BIGINT      NOT NULL,
    last_delivered_seq BIGINT      NOT NULL DEFAULT 0,
    last_read_seq      BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX ix_conversation_member_user ON conversation_member (user_id);

-- (sender_id, client_msg_id) is the sender's idempotency key: a resend finds the stored row.
CREATE TABLE message (
    msg_id           INTEGER     NOT NULL PRIMARY KEY,
    conversation_id  VARCHAR(64) NOT NULL,
    seq              BIGINT      NOT NULL,
    sender_id        BIGINT      NOT NULL,
    sender_device_id VARCHAR(64) NOT NULL,
    client_msg_id    VARCHAR(64) NOT NULL,
    body             BLOB        NOT NULL,
    created_at       BIGINT      NOT NULL,
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
) WITHOUT ROWID;

-- Per device and conversation: the client_seq of the device's last stored numbered send.
CREATE TABLE send_sequence (
    user_id         BIGINT      NOT NULL,
    device_id       VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    last_client_seq BIGINT      NOT NULL,
    updated_at      BIGINT      NOT NULL,
    PRIMARY KEY (user_id, device_id, conversation_id)
) WITHOUT ROWID;
