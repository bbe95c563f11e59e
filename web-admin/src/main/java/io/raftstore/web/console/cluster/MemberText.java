package io.raftstore.web.console.cluster;

import io.raftstore.web.console.Durations;
import io.raftstore.web.service.cluster.ClusterViewBuilder;
import io.raftstore.web.service.cluster.MemberRow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the console words a member's contact, lag and health: durations people read and the time an outage began,
 * not raw milliseconds; a hung node told apart from a dead one, and both from a node that is only behind.
 */
public final class MemberText {

    /** A leader that has not heard from a node for this long no longer calls it a moment ago: an outage began. */
    static final long SILENCE_MILLIS = 5_000;
    /** Heartbeats go every few tens of milliseconds: a leader that heard from a node this recently still does. */
    static final long HEARD_MILLIS = 1_000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private MemberText() {
    }

    /** The leader's last contact with the member, as of {@code at}: "320 ms ago", or "none for 12.0 s, since 05:12:03". */
    static String contact(MemberRow m, Instant at) {
        if (m.leader()) {
            return "is leader";
        }
        Long ms = m.lastContactMillis();
        if (ms == null) {
            return "—";
        }
        if (ms < SILENCE_MILLIS && !m.live() && Long.valueOf(0).equals(m.matchIndex())) {
            return "none since the leader took over, " + Durations.of(ms) + " ago";
        }
        if (ms < SILENCE_MILLIS) {
            return Durations.of(ms) + " ago";
        }
        return "none for " + Durations.of(ms) + ", since " + CLOCK.format(at.minusMillis(ms)) + " UTC";
    }

    /** How far behind the leader: "up to date", "3 entries, 120 ms", or for a silent node "behind by 120 entries". */
    static String lag(MemberRow m) {
        Long entries = m.lagEntries();
        if (entries == null) {
            return "—";
        }
        if (!m.live()) {
            return "behind by " + entries + (entries == 1 ? " entry" : " entries");
        }
        if (entries == 0) {
            return "up to date";
        }
        return entries + (entries == 1 ? " entry" : " entries")
                + (m.lagMillis() == null ? "" : ", " + Durations.of(m.lagMillis()));
    }

    /** Why a node that does not answer the console is shown so, and what the leader still knows of it. */
    static String silence(MemberRow m) {
        if (m.live()) {
            return "";
        }
        String why = ClusterViewBuilder.UNREACHABLE.equals(m.role())
                ? "takes connections but does not answer: hung, paused, or cut off by the network"
                : "refuses connections: its server is not running (" + m.error() + ")";
        Long ms = m.lastContactMillis();
        // Only a leader that has heard from it in its term (match index above 0) counts: a new leader's "last
        // contact" with a node it never heard from is the time since it took over.
        boolean heard = m.matchIndex() != null && m.matchIndex() > 0 && ms != null && ms < HEARD_MILLIS;
        if (heard) {
            return why + "; the leader still hears from it (" + Durations.of(ms) + " ago): only its web side is silent";
        }
        return why;
    }
}
