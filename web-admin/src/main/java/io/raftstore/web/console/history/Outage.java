package io.raftstore.web.console.history;

import io.raftstore.web.console.Durations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A time a node was unreachable, merged from every node that lost sight of it then.
 *
 * @param until     when it was seen again (the latest of its observers' times); null while none saw it again
 * @param observers the nodes that lost sight of it
 */
public record Outage(String node, Instant from, Instant until, List<String> observers) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public Outage {
        observers = List.copyOf(observers);
    }

    public String getNode() { return node; }
    public String getFromText() { return WHEN.format(from); }
    public String getUntilText() { return until == null ? "still unreachable" : WHEN.format(until); }
    public boolean isOngoing() { return until == null; }
    public String getObservers() { return String.join(", ", observers); }

    /** How long it lasted, or has lasted until {@code now}. */
    public String duration(Instant now) {
        return Durations.of(Math.max(0, (until == null ? now : until).toEpochMilli() - from.toEpochMilli()));
    }
}
