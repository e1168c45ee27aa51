-- Member-level cursors: how far a user holds (the highest of the user's device cursors) and has
-- read each conversation. Both move forward only; receipts are derived from them.
ALTER TABLE conversation_member ADD COLUMN last_delivered_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE conversation_member ADD COLUMN last_read_seq BIGINT DEFAULT 0 NOT NULL;

-- The member-delivered cursor is the highest of a user's device cursors in a conversation.
CREATE INDEX ix_delivery_cursor_user_conversation ON delivery_cursor (user_id, conversation_id, last_ack_seq);

-- Devices that acked before this migration: start the member cursor where their devices are.
UPDATE conversation_member SET last_delivered_seq = COALESCE((
    SELECT MAX(d.last_ack_seq) FROM delivery_cursor d
    WHERE d.user_id = conversation_member.user_id AND d.conversation_id = conversation_member.conversation_id), 0);

-- Per device and conversation: the client_seq of the device's last stored numbered send. Written in
-- the transaction that stores the send, whose row lock orders racing sends of one device.
CREATE TABLE send_sequence (
    user_id         BIGINT      NOT NULL,
    device_id       VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    last_client_seq BIGINT      NOT NULL,
    updated_at      BIGINT      NOT NULL,
    PRIMARY KEY (user_id, device_id, conversation_id)
);
