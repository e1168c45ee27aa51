-- The idempotency key's index ordered client_msg_id first. A client that makes time-ordered ids
-- (the SDK makes UUIDv7 since this version) adds every new entry at the index's right edge, so a
-- commit of many senders' messages dirties a few index pages instead of one page per sender.
-- Lookups give both columns, so the order changes nothing else; random ids cost what they did.
ALTER TABLE message
    DROP INDEX uq_message_sender_client_msg,
    ADD CONSTRAINT uq_message_client_msg_sender UNIQUE (client_msg_id, sender_id);
