-- Groups. A group is a conversation ("g:{groupId}") with settings (group_info) and members whose
-- rows say how they belong: role (0 for the two members of a private conversation; 1 member,
-- 2 admin, 3 owner; 0 again once gone), the seq of the system message that let them in
-- (joined_seq: they read from it) and of the one that let them out (left_seq, 0 while in), and
-- whether they may send (muted). A membership change is a system message (message.kind 1, the
-- body an im.client.v1.GroupEvent) stored in the transaction that changes these rows.
CREATE TABLE group_info (
    conversation_id VARCHAR(64)    NOT NULL,
    -- UTF-8 bytes of 1..64 characters: no charset question for the column.
    name            VARBINARY(256) NOT NULL,
    owner_id        BIGINT         NOT NULL,
    join_policy     INT            NOT NULL,
    muted           INT            NOT NULL DEFAULT 0,
    dissolved       INT            NOT NULL DEFAULT 0,
    member_count    INT            NOT NULL,
    created_at      BIGINT         NOT NULL,
    PRIMARY KEY (conversation_id)
);

ALTER TABLE conversation_member ADD COLUMN role INT NOT NULL DEFAULT 0;
ALTER TABLE conversation_member ADD COLUMN joined_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation_member ADD COLUMN left_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation_member ADD COLUMN muted INT NOT NULL DEFAULT 0;

ALTER TABLE message ADD COLUMN kind INT NOT NULL DEFAULT 0;
