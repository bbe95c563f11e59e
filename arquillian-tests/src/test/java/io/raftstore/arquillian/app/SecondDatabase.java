package io.raftstore.arquillian.app;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/** The H2 XA data source of the test server, read and set up outside any transaction. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SecondDatabase {

    @Resource(lookup = "jdbc/second")
    DataSource database;

    public void createTable() throws SQLException {
        try (Connection db = database.getConnection(); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS rows_written (k VARCHAR(200) PRIMARY KEY, v VARCHAR(200))");
        }
    }

    /**
     * Closes another connection's H2 session from outside, as a database that fails would: that connection's
     * transaction is lost, and its prepare fails.
     */
    public void abortSession(int sessionId) throws SQLException {
        try (Connection db = database.getConnection();
             PreparedStatement abort = db.prepareStatement("CALL ABORT_SESSION(?)")) {
            abort.setInt(1, sessionId);
            abort.execute();
        }
    }

    public Optional<String> value(String key) throws SQLException {
        try (Connection db = database.getConnection();
             PreparedStatement q = db.prepareStatement("SELECT v FROM rows_written WHERE k = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }
}
