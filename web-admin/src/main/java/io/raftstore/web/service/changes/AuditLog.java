package io.raftstore.web.service.changes;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The actions taken through this node's console and admin REST endpoints, newest first, each with who took
 * it and from which address. The page shows the latest {@value #KEEP}; they are kept in the node's data
 * directory ({@value #FILE_NAME}) so the list outlives a restart, and every entry is also written to the
 * server log (messages.log, logger {@value #LOGGER}), the durable record, where failed logins and refused
 * requests go too.
 */
@ApplicationScoped
public class AuditLog {

    /** The logger of every audit line: cluster changes, failed logins, refused requests. */
    public static final String LOGGER = "io.raftstore.audit";
    /** The node's data directory, where the list is kept (the same setting the node reads). */
    static final String DATA_DIR = "raftstore.data.dir";
    static final String FILE_NAME = "console-audit.jsonl";
    static final int KEEP = 500;

    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final Deque<AuditEntry> entries = new ArrayDeque<>();
    /** Null when the node has no data directory configured: the list then lives in memory only. */
    private AuditFile file;

    @Inject
    HttpServletRequest request;

    @PostConstruct
    void open() {
        ConfigProvider.getConfig().getOptionalValue(DATA_DIR, String.class).map(String::trim).filter(s -> !s.isEmpty())
                .ifPresent(dir -> open(new AuditFile(Path.of(dir).resolve(FILE_NAME), KEEP)));
    }

    void open(AuditFile f) {
        try {
            List<AuditEntry> saved = f.load();
            synchronized (entries) {
                saved.forEach(entries::addFirst);
                file = f;
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the audit list could not be read from " + f.path() + "; it starts empty and"
                    + " new entries are kept in memory only: check the file's permissions", e);
        }
    }

    public AuditEntry record(String who, String what, boolean ok, String result) {
        AuditEntry e = new AuditEntry(Instant.now(), who, remoteAddress(), what, ok, result);
        synchronized (entries) {
            entries.addFirst(e);
            while (entries.size() > KEEP) {
                entries.removeLast();
            }
            if (file != null) {
                try {
                    List<AuditEntry> oldestFirst = new ArrayList<>(entries);
                    Collections.reverse(oldestFirst);
                    file.append(e, oldestFirst);
                } catch (IOException failure) {
                    LOG.log(Level.WARNING, "audit entry not saved to " + file.path() + "; it is in the server log", failure);
                }
            }
        }
        LOG.info("AUDIT who=" + quote(who) + " from=" + e.from() + " what=" + quote(what) + " ok=" + ok
                + " result=" + quote(result));
        return e;
    }

    public List<AuditEntry> recent() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    /** The address the current request came from; "-" outside a request. */
    private String remoteAddress() {
        try {
            return request == null ? "-" : request.getRemoteAddr();
        } catch (RuntimeException notInARequest) {
            return "-";
        }
    }

    /**
     * Logs a failed login: {@code user} as sent (null when the credentials could not be read), the remote
     * address, and what was asked.
     */
    public static void loginFailed(String user, String from, String request) {
        LOG.warning("AUDIT login failed user=" + quote(user) + " from=" + from + " request=" + quote(request));
    }

    /** Logs a request refused to an authenticated user who lacks the role it needs. */
    public static void refused(String user, String from, String request, String role) {
        LOG.warning("AUDIT refused user=" + quote(user) + " from=" + from + " request=" + quote(request) + " needs=" + role);
    }

    /**
     * A value for an audit line, quoted, with quotes, backslashes and control characters escaped: user names
     * and paths come from the request, and must not forge a line of their own.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
