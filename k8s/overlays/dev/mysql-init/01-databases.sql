-- One database per service (docs/architecture.md); the account im (MARIADB_USER) owns all four.
-- Each service's Flyway migrates its own at start.
CREATE DATABASE IF NOT EXISTS im_auth CHARACTER SET utf8mb4;
CREATE DATABASE IF NOT EXISTS im_user CHARACTER SET utf8mb4;
CREATE DATABASE IF NOT EXISTS im_leaf CHARACTER SET utf8mb4;
CREATE DATABASE IF NOT EXISTS im_router CHARACTER SET utf8mb4;
GRANT ALL PRIVILEGES ON im_auth.* TO 'im'@'%';
GRANT ALL PRIVILEGES ON im_user.* TO 'im'@'%';
GRANT ALL PRIVILEGES ON im_leaf.* TO 'im'@'%';
GRANT ALL PRIVILEGES ON im_router.* TO 'im'@'%';
