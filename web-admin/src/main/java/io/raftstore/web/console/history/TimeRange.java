package io.raftstore.web.console.history;

import java.time.Duration;
import java.time.Instant;

/** The history page's time filter: a named span ending now, or everything. */
public enum TimeRange {
    LAST_15_MINUTES("last 15 minutes", Duration.ofMinutes(15)),
    LAST_HOUR("last hour", Duration.ofHours(1)),
    LAST_DAY("last 24 hours", Duration.ofDays(1)),
    LAST_WEEK("last 7 days", Duration.ofDays(7)),
    ALL("everything kept", null);

    private final String label;
    private final Duration span;

    TimeRange(String label, Duration span) {
        this.label = label;
        this.span = span;
    }

    public String getLabel() {
        return label;
    }

    /** The earliest time shown, or null for no limit. */
    public Instant since(Instant now) {
        return span == null ? null : now.minus(span);
    }
}
