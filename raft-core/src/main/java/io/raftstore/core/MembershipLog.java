package io.raftstore.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations found in the log after the snapshot. A configuration takes effect as soon as it is
 * appended (dissertation section 4.1), so the latest one wins even if uncommitted, and truncating the log
 * must also roll configurations back.
 */
final class MembershipLog {
    private Membership base;
    private long baseIndex;
    private final TreeMap<Long, Membership> changes = new TreeMap<>();

    MembershipLog(Membership base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
    }

    Membership current() {
        return changes.isEmpty() ? base : changes.lastEntry().getValue();
    }

    /** Index of the latest configuration entry (or of the snapshot it came from). */
    long currentIndex() {
        return changes.isEmpty() ? baseIndex : changes.lastKey();
    }

    /** The configuration in force at {@code index}. */
    Membership at(long index) {
        Map.Entry<Long, Membership> e = changes.floorEntry(index);
        return e == null ? base : e.getValue();
    }

    void appended(LogEntry entry) {
        if (entry.type() == EntryType.MEMBERSHIP) {
            changes.put(entry.index(), Membership.fromBytes(entry.data()));
        }
    }

    /** Entries at and after {@code index} are being replaced. */
    void truncateFrom(long index) {
        changes.tailMap(index, true).clear();
    }

    /** A snapshot now covers everything up to its index. */
    void restore(SnapshotMeta meta) {
        changes.clear();
        base = meta.membership();
        baseIndex = meta.index();
    }
}
