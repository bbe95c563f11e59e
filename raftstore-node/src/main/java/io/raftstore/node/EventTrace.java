package io.raftstore.node;

import io.raftstore.core.Ready;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import io.raftstore.transport.Frame;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * A diagnostic: when the environment variable {@code RAFTSTORE_TRACE} names a file, every event of the
 * node's critical paths (Ready contents, inbound Raft messages, request routing, shutdown steps) is
 * appended to it as one line, stamped with wall-clock microseconds so the files of several processes on
 * one machine can be merged into one timeline. Off (and free) otherwise. Made to find where a leadership
 * transfer's write pause goes; see docs/benchmarks.md.
 */
public final class EventTrace {

    private static final BufferedWriter OUT = open(System.getenv("RAFTSTORE_TRACE"));
    public static final boolean ON = OUT != null;
    private static final long PID = ProcessHandle.current().pid();

    private EventTrace() {
    }

    private static BufferedWriter open(String file) {
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            return null;
        }
    }

    /** Appends one line: epoch microseconds, process, thread, text (several processes may share the file). */
    public static void log(String text) {
        if (!ON) {
            return;
        }
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        String line = micros + " " + PID + " [" + Thread.currentThread().getName() + "] " + text;
        synchronized (OUT) {
            try {
                OUT.write(line);
                OUT.newLine();
                OUT.flush();
            } catch (IOException e) {
                // a diagnostic: losing a line is acceptable
            }
        }
    }

    static String messages(List<RaftMessage> messages) {
        StringBuilder b = new StringBuilder();
        for (RaftMessage m : messages) {
            b.append(b.isEmpty() ? "" : " ").append(message(m));
        }
        return b.toString();
    }

    static String message(RaftMessage m) {
        String head = m.getClass().getSimpleName() + "(" + m.from() + ">" + m.to() + " t" + m.term();
        if (m instanceof AppendEntries ae) {
            return head + " prev=" + ae.prevLogIndex() + " n=" + ae.entries().size() + " commit=" + ae.leaderCommit() + ")";
        } else if (m instanceof AppendEntriesResponse r) {
            return head + (r.success() ? " ok" : " reject") + " match=" + r.matchIndex() + ")";
        } else if (m instanceof RequestVote rv) {
            return head + (rv.preVote() ? " pre" : "") + (rv.transfer() ? " transfer" : "") + ")";
        } else if (m instanceof RequestVoteResponse r) {
            return head + (r.preVote() ? " pre" : "") + (r.granted() ? " granted" : " refused") + ")";
        }
        return head + ")";
    }

    /** A frame from a peer, in one line. */
    static String frame(Frame frame) {
        return frame instanceof Frame.RaftBatch b ? messages(b.messages())
                : frame instanceof Frame.ForwardResponse r ? "ForwardResponse(" + r.correlationId() + " " + r.failure() + ")"
                : frame instanceof Frame.ForwardRequest r ? "ForwardRequest(" + r.correlationId() + ")"
                : frame.getClass().getSimpleName();
    }

    static String ready(Ready rd) {
        StringBuilder b = new StringBuilder("ready");
        if (rd.hardState() != null) {
            b.append(" hs=").append(rd.hardState().term()).append('/').append(rd.hardState().votedFor())
                    .append('/').append(rd.hardState().commitIndex());
        }
        if (!rd.entries().isEmpty()) {
            b.append(" entries=").append(rd.entries().get(0).index()).append("..")
                    .append(rd.entries().get(rd.entries().size() - 1).index());
        }
        if (!rd.committedEntries().isEmpty()) {
            b.append(" apply=").append(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
        }
        if (rd.softState() != null) {
            b.append(" soft=").append(rd.softState());
        }
        if (!rd.failures().isEmpty()) {
            b.append(" failures=").append(rd.failures().size()).append(':').append(rd.failures().get(0).reason());
        }
        b.append(rd.mustSync() ? " sync" : "").append(rd.messagesMayPrecedePersist() ? " sendFirst" : "");
        b.append(" out=[").append(messages(rd.messages())).append(']');
        return b.toString();
    }
}
