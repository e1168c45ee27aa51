-- The idempotency key's index ordered client_msg_id first. A client that makes time-ordered ids
-- (the SDK makes UUIDv7 since this version) adds every new entry at the index's right edge, so a
-- commit of many senders' messages dirties a few index pages instead of one page per sender.
-- Lookups give both columns, so the order changes nothing else; random ids cost what they did.
-- The new key is added before the old one goes, so the table is never without one. DROP
-- CONSTRAINT: MariaDB, MySQL 8 and H2 (the engines benchmark runs these scripts on it) all take it.
ALTER TABLE message ADD CONSTRAINT uq_message_client_msg_sender UNIQUE (client_msg_id, sender_id);
ALTER TABLE message DROP CONSTRAINT uq_message_sender_client_msg;
