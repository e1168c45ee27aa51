-- The idempotency key's index ordered client_msg_id first (see db/migration/router, V4_4). A
-- table's UNIQUE constraint cannot be dropped in SQLite, so the message table is rebuilt: its rows
-- are copied once, in this migration's transaction (the first start after the upgrade takes a few
-- seconds per million messages), under the same msg_id rowids.
CREATE TABLE message_rebuilt (
    msg_id           INTEGER     NOT NULL PRIMARY KEY,
    conversation_id  VARCHAR(64) NOT NULL,
    seq              BIGINT      NOT NULL,
    sender_id        BIGINT      NOT NULL,
    sender_device_id VARCHAR(64) NOT NULL,
    client_msg_id    VARCHAR(64) NOT NULL,
    body             BLOB        NOT NULL,
    created_at       BIGINT      NOT NULL,
    CONSTRAINT uq_message_conversation_seq UNIQUE (conversation_id, seq),
    CONSTRAINT uq_message_client_msg_sender UNIQUE (client_msg_id, sender_id)
);

INSERT INTO message_rebuilt (msg_id, conversation_id, seq, sender_id, sender_device_id, client_msg_id, body,
        created_at)
    SELECT msg_id, conversation_id, seq, sender_id, sender_device_id, client_msg_id, body, created_at
    FROM message ORDER BY msg_id;

DROP TABLE message;
ALTER TABLE message_rebuilt RENAME TO message;
