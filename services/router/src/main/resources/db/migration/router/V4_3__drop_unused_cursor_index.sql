-- The member-delivered cursor is now moved directly from the device cursor that moved it, so no
-- query reads delivery_cursor by (user_id, conversation_id) any more; the index only cost every
-- ack a second B-tree write.
DROP INDEX ix_delivery_cursor_user_conversation ON delivery_cursor;
