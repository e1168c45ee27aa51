-- Whether strangers may ask this user to be friends. Off, a request is refused exactly as one
-- from a user this user blocked, so a blocked user cannot tell the two apart.
ALTER TABLE user_profile ADD COLUMN accept_friend_requests BOOLEAN DEFAULT TRUE NOT NULL;

-- What the user (user_id) calls the friend (friend_id), seen by that user only; it goes with the
-- row when the friendship ends.
ALTER TABLE friendship ADD COLUMN remark VARCHAR(64);

-- blocker_id blocked blocked_id: no friendship, no request and so no private message between
-- them while the row exists. "Has x blocked y" and "whom has x blocked" are primary-key reads.
CREATE TABLE user_block (
    blocker_id BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);

-- Search by username prefix (LIKE 'ab%') reads the unique index uk_user_profile_username of V2_1
-- as a range, in username order: no index of its own.
