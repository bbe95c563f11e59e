package io.raftstore.web.service.changes;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * The actions taken through this node's console and admin REST endpoints, newest first. The page shows the
 * latest {@value #KEEP}; every entry is also written to the server log (messages.log), which is the
 * durable record.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger("io.raftstore.audit");
    static final int KEEP = 500;

    private final Deque<AuditEntry> entries = new ArrayDeque<>();

    public AuditEntry record(String who, String what, boolean ok, String result) {
        AuditEntry e = new AuditEntry(Instant.now(), who, what, ok, result);
        synchronized (entries) {
            entries.addFirst(e);
            while (entries.size() > KEEP) {
                entries.removeLast();
            }
        }
        LOG.info("AUDIT who=" + who + " what=\"" + what + "\" ok=" + ok + " result=\"" + result + "\"");
        return e;
    }

    public List<AuditEntry> recent() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
