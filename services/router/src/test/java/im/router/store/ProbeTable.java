package im.router.store;

import java.sql.SQLException;
import java.sql.Statement;

/** A table of a store test's own on the router's datasource, made empty before each test. */
final class ProbeTable {

    private ProbeTable() {
    }

    /** Drops {@code name} if it is there and creates it with {@code columns}. */
    static void recreate(Transactions transactions, String name, String columns) throws SQLException {
        transactions.write(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + name);
                statement.execute("CREATE TABLE " + name + " (" + columns + ")");
            }
            return null;
        });
    }
}
