package io.raftstore.arquillian.app;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Container-managed transactions (REQUIRED, the default): each method is one JTA transaction that the
 * container commits when it returns and rolls back when it throws a system exception.
 */
@Stateless
public class Transfers {

    @Inject
    StoreConnectionFactory store;

    @EJB
    Interference interference;

    @Resource(lookup = "jdbc/second")
    DataSource database;

    public void putAll(Map<String, String> values) {
        try (StoreConnection c = store.getConnection()) {
            values.forEach(c::put);
        }
    }

    /** Writes, then fails: the container rolls the transaction back. */
    public void putAllThenFail(Map<String, String> values) {
        putAll(values);
        throw new IllegalStateException("the unit of work failed after its writes");
    }

    /** Reads the key, lets another writer change it (outside this transaction), then writes it. */
    public void appendAfterInterference(String key) {
        try (StoreConnection c = store.getConnection()) {
            String seen = c.getString(key).orElse("");
            interference.put(key, "changed by another writer");
            c.put(key, seen + "+");
        }
    }

    /** One transaction over two resources: the store and the H2 XA data source. */
    public void putAndInsert(String key, String value, boolean storeWrites) throws SQLException {
        try (StoreConnection c = store.getConnection()) {
            if (storeWrites) {
                c.put(key, value);
            } else {
                c.get(key);
            }
            insert(key, value);
        }
    }

    private void insert(String key, String value) throws SQLException {
        try (Connection db = database.getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO rows_written (k, v) VALUES (?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, value);
            insert.executeUpdate();
        }
    }
}
