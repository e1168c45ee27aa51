-- Accounts: who may log in. user_id comes from leaf (biz tag "user") and names the user everywhere.
CREATE TABLE account (
    user_id       BIGINT       NOT NULL,
    username      VARCHAR(32)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (user_id),
    CONSTRAINT uk_account_username UNIQUE (username)
);

-- Ed25519 keys that sign access tokens. Exactly one key is active: active is TRUE for it and NULL
-- (not FALSE) for retired keys, so the unique index admits one TRUE row and any number of NULLs:
-- two auth pods starting at once cannot both install a key.
CREATE TABLE signing_key (
    kid         VARCHAR(64) NOT NULL,
    public_key  BLOB        NOT NULL,
    private_key BLOB        NOT NULL,
    created_at  BIGINT      NOT NULL,
    active      BOOLEAN     NULL,
    PRIMARY KEY (kid),
    CONSTRAINT uk_signing_key_active UNIQUE (active)
);

-- Refresh tokens, stored as the SHA-256 (hex) of the opaque token. A login starts a family:
-- each refresh marks its token used and adds the next one to the family.
CREATE TABLE refresh_token (
    token_hash VARCHAR(64) NOT NULL,
    user_id    BIGINT      NOT NULL,
    family_id  VARCHAR(64) NOT NULL,
    expires_at BIGINT      NOT NULL,
    used_at    BIGINT      NULL,
    revoked    BOOLEAN     NOT NULL,
    PRIMARY KEY (token_hash)
);
CREATE INDEX ix_refresh_token_family ON refresh_token (family_id);
