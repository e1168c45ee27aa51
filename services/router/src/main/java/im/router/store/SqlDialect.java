package im.router.store;

import java.util.Locale;

/**
 * The few statements the router's stores spell differently: MySQL/MariaDB in cluster mode, SQLite
 * in the standalone app. Everything else the router says is the same in both.
 */
public enum SqlDialect {

    MYSQL {
        @Override
        public String lockingRead(String select) {
            return select + " FOR UPDATE";
        }

        @Override
        public String insertUnlessPresent(String insert, String keyColumn) {
            // INSERT IGNORE would also swallow other errors (a too-long value, a NULL).
            return insert + " ON DUPLICATE KEY UPDATE " + keyColumn + " = " + keyColumn;
        }
    },

    SQLITE {
        @Override
        public String lockingRead(String select) {
            // A SQLite write transaction begins IMMEDIATE: it holds the database's one write lock
            // from its first statement, so every row it reads is already its own.
            return select;
        }

        @Override
        public String insertUnlessPresent(String insert, String keyColumn) {
            return insert + " ON CONFLICT DO NOTHING";
        }
    };

    /** The select, made to hold its rows' locks until the transaction ends. */
    public abstract String lockingRead(String select);

    /** The insert, made to do nothing when a row with its key exists ({@code keyColumn} is one of the key's). */
    public abstract String insertUnlessPresent(String insert, String keyColumn);

    /** The dialect of a datasource's {@code db-kind}. */
    public static SqlDialect ofDbKind(String dbKind) {
        return switch (dbKind.toLowerCase(Locale.ROOT)) {
            case "mysql", "mariadb" -> MYSQL;
            case "sqlite" -> SQLITE;
            default -> throw new IllegalStateException(
                    "The router stores messages in MySQL, MariaDB or SQLite, not in " + dbKind);
        };
    }
}
