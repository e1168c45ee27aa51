-- Accounts linked to an outside login provider (Gitee, or any OIDC provider configured under
-- im.auth.oidc.providers): the provider's stable id of the user (subject) names one account.
CREATE TABLE oidc_identity (
    provider   VARCHAR(32)  NOT NULL,
    subject    VARCHAR(255) NOT NULL,
    user_id    BIGINT       NOT NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX ix_oidc_identity_user ON oidc_identity (user_id);

-- Logins through a provider that have started and not yet been collected. login_hash is the
-- SHA-256 (hex) of the id the client polls with; state_ref names the login in the provider's
-- redirect, state_hash is the SHA-256 of the state's secret part. Rows live minutes: collected,
-- failed-and-reported or expired rows are deleted.
CREATE TABLE oidc_login (
    login_hash    VARCHAR(64)  NOT NULL,
    state_ref     VARCHAR(32)  NOT NULL,
    state_hash    VARCHAR(64)  NOT NULL,
    provider      VARCHAR(32)  NOT NULL,
    code_verifier VARCHAR(128) NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    failure       VARCHAR(32)  NULL,
    subject       VARCHAR(255) NULL,
    user_id       BIGINT       NULL,
    username      VARCHAR(32)  NULL,
    expires_at    BIGINT       NOT NULL,
    PRIMARY KEY (login_hash),
    CONSTRAINT uk_oidc_login_state UNIQUE (state_ref)
);
CREATE INDEX ix_oidc_login_expires ON oidc_login (expires_at);
