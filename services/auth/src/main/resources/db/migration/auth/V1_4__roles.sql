-- Roles and what each may do. An access token carries its user's roles (groups) and the union of
-- their permissions (perms); the permission names are im.common.access.Permissions.
CREATE TABLE role (
    name        VARCHAR(32)  NOT NULL,
    description VARCHAR(255) NOT NULL,
    PRIMARY KEY (name)
);

CREATE TABLE role_permission (
    role_name  VARCHAR(32) NOT NULL,
    permission VARCHAR(64) NOT NULL,
    PRIMARY KEY (role_name, permission),
    CONSTRAINT fk_role_permission_role FOREIGN KEY (role_name) REFERENCES role (name)
);

-- Which roles each account has; every account has 'user' from its registration on.
CREATE TABLE user_role (
    user_id   BIGINT      NOT NULL,
    role_name VARCHAR(32) NOT NULL,
    PRIMARY KEY (user_id, role_name),
    CONSTRAINT fk_user_role_role FOREIGN KEY (role_name) REFERENCES role (name)
);

INSERT INTO role (name, description) VALUES ('user', 'everyone who registered: chat, friends, groups');
INSERT INTO role (name, description) VALUES ('admin', 'operators: what a user may, plus account administration');

INSERT INTO role_permission (role_name, permission) VALUES ('user', 'message:send');
INSERT INTO role_permission (role_name, permission) VALUES ('user', 'message:read');
INSERT INTO role_permission (role_name, permission) VALUES ('user', 'friend:manage');
INSERT INTO role_permission (role_name, permission) VALUES ('user', 'group:use');
INSERT INTO role_permission (role_name, permission) VALUES ('user', 'profile:read');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'message:send');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'message:read');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'friend:manage');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'group:use');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'profile:read');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'admin.users:read');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'admin.roles:write');
INSERT INTO role_permission (role_name, permission) VALUES ('admin', 'admin.users:ban');

-- Accounts that registered before roles existed are users.
INSERT INTO user_role (user_id, role_name) SELECT user_id, 'user' FROM account;
