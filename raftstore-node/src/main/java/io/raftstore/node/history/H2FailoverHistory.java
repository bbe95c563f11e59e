package io.raftstore.node.history;

import io.raftstore.core.LeaderChange;
import io.raftstore.core.storage.StorageException;
import org.h2.jdbcx.JdbcDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The failover history in its own small H2 database ({@code history.mv.db} in the node's data directory),
 * so it survives restarts. It is diagnostics, not Raft state: it is written without forcing a sync, and
 * only the latest {@code capacity} rows are kept.
 */
public final class H2FailoverHistory implements FailoverHistory {

    private final Connection connection;
    private final int capacity;

    public H2FailoverHistory(Path dataDir, int capacity) {
        this.capacity = capacity;
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("history") + ";DB_CLOSE_ON_EXIT=FALSE";
        try {
            // Not DriverManager: it keeps the first class loader's H2 driver for the JVM's lifetime and refuses it
            // to a restarted EAR's new class loader ("No suitable driver"), so the node could not start again.
            JdbcDataSource source = new JdbcDataSource();
            source.setURL(url);
            source.setUser("sa");
            source.setPassword("");
            connection = source.getConnection();
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS failover_history (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " at TIMESTAMP WITH TIME ZONE NOT NULL, term BIGINT NOT NULL, old_leader VARCHAR(128),"
                        + " new_leader VARCHAR(128), cause VARCHAR(32) NOT NULL, leaderless_ms BIGINT NOT NULL)");
                // Added later: a history file written before it simply gains the table.
                s.execute("CREATE TABLE IF NOT EXISTS reachability_changes (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " at TIMESTAMP WITH TIME ZONE NOT NULL, peer VARCHAR(128) NOT NULL, reachable BOOLEAN NOT NULL)");
            }
        } catch (SQLException e) {
            throw new StorageException("cannot open the failover history at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void record(FailoverEvent e) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO failover_history"
                + " (at, term, old_leader, new_leader, cause, leaderless_ms) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement trim = connection.prepareStatement(
                     "DELETE FROM failover_history WHERE id <= (SELECT MAX(id) FROM failover_history) - ?")) {
            insert.setTimestamp(1, Timestamp.from(e.time()));
            insert.setLong(2, e.term());
            insert.setString(3, e.oldLeader());
            insert.setString(4, e.newLeader());
            insert.setString(5, e.cause().name());
            insert.setLong(6, e.leaderlessMillis());
            insert.executeUpdate();
            trim.setLong(1, capacity);
            trim.executeUpdate();
        } catch (SQLException ex) {
            throw new StorageException("cannot record a failover event: " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized List<FailoverEvent> recent(int limit) {
        List<FailoverEvent> events = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT at, term, old_leader, new_leader, cause,"
                + " leaderless_ms FROM failover_history ORDER BY id DESC LIMIT ?")) {
            q.setInt(1, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    events.add(new FailoverEvent(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getString(3),
                            rs.getString(4), LeaderChange.Cause.valueOf(rs.getString(5)), rs.getLong(6)));
                }
            }
        } catch (SQLException ex) {
            throw new StorageException("cannot read the failover history: " + ex.getMessage(), ex);
        }
        Collections.reverse(events);
        return events;
    }

    @Override
    public synchronized void recordReachability(ReachabilityEvent e) {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO reachability_changes (at, peer, reachable) VALUES (?, ?, ?)");
             PreparedStatement trim = connection.prepareStatement(
                     "DELETE FROM reachability_changes WHERE id <= (SELECT MAX(id) FROM reachability_changes) - ?")) {
            insert.setTimestamp(1, Timestamp.from(e.time()));
            insert.setString(2, e.peer());
            insert.setBoolean(3, e.reachable());
            insert.executeUpdate();
            trim.setLong(1, capacity);
            trim.executeUpdate();
        } catch (SQLException ex) {
            throw new StorageException("cannot record a reachability change: " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized List<ReachabilityEvent> reachability(int limit) {
        List<ReachabilityEvent> events = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT at, peer, reachable FROM reachability_changes ORDER BY id DESC LIMIT ?")) {
            q.setInt(1, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    events.add(new ReachabilityEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getBoolean(3)));
                }
            }
        } catch (SQLException ex) {
            throw new StorageException("cannot read the reachability changes: " + ex.getMessage(), ex);
        }
        Collections.reverse(events);
        return events;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing on shutdown: nothing left to protect
        }
    }
}
