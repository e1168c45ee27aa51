-- Profiles: the public face of an account. user_id is the account's id (from leaf, owned by auth).
CREATE TABLE user_profile (
    user_id      BIGINT      NOT NULL,
    username     VARCHAR(32) NOT NULL,
    display_name VARCHAR(64) NOT NULL,
    created_at   BIGINT      NOT NULL,
    PRIMARY KEY (user_id),
    CONSTRAINT uk_user_profile_username UNIQUE (username)
);

-- One request per direction and pair: a repeated request reuses the row.
CREATE TABLE friend_request (
    id           BIGINT      NOT NULL AUTO_INCREMENT,
    from_user_id BIGINT      NOT NULL,
    to_user_id   BIGINT      NOT NULL,
    status       VARCHAR(16) NOT NULL,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_friend_request_pair UNIQUE (from_user_id, to_user_id)
);
CREATE INDEX ix_friend_request_to_status ON friend_request (to_user_id, status);

-- Two rows per friendship, (a, b) and (b, a), so "friends of x" and "are x and y friends" are
-- both primary-key lookups.
CREATE TABLE friendship (
    user_id    BIGINT NOT NULL,
    friend_id  BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, friend_id)
);
