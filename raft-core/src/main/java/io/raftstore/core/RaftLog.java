package io.raftstore.core;

import io.raftstore.core.storage.CompactedException;
import io.raftstore.core.storage.LogStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's view of the log: what storage holds, plus the "unstable" tail the driver has not yet
 * persisted, plus a received snapshot not yet installed. The engine never writes storage itself; entries
 * become stable when the driver reports them persisted through {@link #stableTo}.
 *
 * <p>Invariant: entries below {@code unstableOffset} are read from storage, entries from it on from
 * {@code unstable}. Storage may still hold stale entries at or after {@code unstableOffset}; the driver's
 * next append replaces them.
 */
final class RaftLog {
    /** Told about every append and truncation, so configuration entries take effect when appended. */
    interface Listener {
        void appended(LogEntry entry);

        void truncatedFrom(long index);
    }

    private final LogStore storage;
    private Listener listener = new Listener() {
        @Override
        public void appended(LogEntry entry) {
        }

        @Override
        public void truncatedFrom(long index) {
        }
    };
    private final List<LogEntry> unstable = new ArrayList<>();
    private long unstableOffset;
    /** A snapshot received from the leader that the driver has not installed yet. */
    private SnapshotMeta pendingSnapshot;
    private long committed;
    private long applied;
    /**
     * First index the driver wrote without forcing it to disk ({@link RaftNode#advanceUnsynced}), not yet
     * reported synced; {@link Long#MAX_VALUE} when everything stable is durable.
     */
    private long unsyncedFrom = Long.MAX_VALUE;
    /** Highest index handed out for applying but not yet acknowledged by advance. */
    private long applying;

    RaftLog(LogStore storage, long committed, long applied) {
        this.storage = storage;
        this.unstableOffset = storage.lastIndex() + 1;
        long floor = storage.firstIndex() - 1;
        if (applied < floor) {
            throw new IllegalStateException("the state machine has applied up to " + applied
                    + " but the log is compacted up to " + floor + ": restore the state machine from the latest"
                    + " snapshot before starting the node");
        }
        // An applied entry is committed even when the saved commit index lags: drivers may save a commit
        // index without forcing it to disk (Ready#mustSync), and a state machine may be durable further.
        this.committed = Math.max(floor, Math.min(Math.max(committed, applied), storage.lastIndex()));
        this.applied = Math.min(applied, this.committed);
        this.applying = this.applied;
    }

    void setListener(Listener listener) {
        this.listener = listener;
    }

    long firstIndex() {
        return pendingSnapshot != null ? pendingSnapshot.index() + 1 : storage.firstIndex();
    }

    long lastIndex() {
        if (!unstable.isEmpty()) {
            return unstableOffset + unstable.size() - 1;
        }
        return pendingSnapshot != null ? pendingSnapshot.index() : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** Term at {@code index}; 0 for index 0; throws CompactedException below the compaction point. */
    long term(long index) {
        if (index == 0) {
            return 0;
        }
        if (index >= unstableOffset && index - unstableOffset < unstable.size()) {
            return unstable.get((int) (index - unstableOffset)).term();
        }
        if (pendingSnapshot != null) {
            if (index == pendingSnapshot.index()) {
                return pendingSnapshot.term();
            }
            throw new CompactedException(index, firstIndex());
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("index " + index + " is beyond the last index " + lastIndex());
        }
        return storage.term(index);
    }

    /** Term at index, or -1 when the log does not hold it (beyond the end or compacted). */
    long termOrNone(long index) {
        if (index == 0) {
            return 0;
        }
        if (index > lastIndex() || index < firstIndex() - 1) {
            return -1;
        }
        return term(index);
    }

    boolean matchTerm(long index, long term) {
        return termOrNone(index) == term;
    }

    /** Raft's up-to-date rule (section 5.4.1): compare last terms, then lengths. */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long myTerm = lastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
    }

    /** Entries {@code [from, to]} bounded by bytes (at least one entry when non-empty). */
    List<LogEntry> entries(long from, long to, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        if (from > to) {
            return out;
        }
        if (from < firstIndex()) {
            throw new CompactedException(from, firstIndex());
        }
        long budget = maxBytes;
        if (from < unstableOffset) {
            List<LogEntry> stored = storage.entries(from, Math.min(to, unstableOffset - 1), maxBytes);
            for (LogEntry e : stored) {
                budget -= e.sizeInBytes();
                out.add(e);
            }
            if (out.isEmpty() || out.get(out.size() - 1).index() < Math.min(to, unstableOffset - 1)) {
                return out;
            }
        }
        long start = Math.max(from, unstableOffset);
        for (long i = start; i <= to && i - unstableOffset < unstable.size(); i++) {
            LogEntry e = unstable.get((int) (i - unstableOffset));
            if (!out.isEmpty() && budget - e.sizeInBytes() < 0) {
                break;
            }
            budget -= e.sizeInBytes();
            out.add(e);
        }
        return out;
    }

    /** Leader side: appends new entries at the end. */
    void append(List<LogEntry> entries) {
        if (!entries.isEmpty()) {
            truncateAndAppend(entries);
        }
    }

    /**
     * Follower side (AppendEntries): if the log matches at (prevIndex, prevTerm), drops any conflicting
     * suffix, appends what is new and advances the commit index. Returns the last index now known to
     * match the leader, or -1 when the log does not match.
     */
    long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<LogEntry> entries) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNew = prevIndex + entries.size();
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            if (!matchTerm(e.index(), e.term())) {
                if (e.index() <= committed) {
                    throw new IllegalStateException("entry " + e.index() + " conflicts with the committed log");
                }
                truncateAndAppend(entries.subList(i, entries.size()));
                break;
            }
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    private void truncateAndAppend(List<LogEntry> entries) {
        long first = entries.get(0).index();
        if (first > lastIndex() + 1) {
            throw new IllegalStateException("gap: appending " + first + " after " + lastIndex());
        }
        if (first <= lastIndex()) {
            listener.truncatedFrom(first);
        }
        if (first == unstableOffset + unstable.size()) {
            unstable.addAll(entries);
        } else if (first <= unstableOffset) {
            unstableOffset = first;
            unstable.clear();
            unstable.addAll(entries);
        } else {
            unstable.subList((int) (first - unstableOffset), unstable.size()).clear();
            unstable.addAll(entries);
        }
        entries.forEach(listener::appended);
    }

    /** First index whose term is {@code term}, scanning back from {@code index} (fast backtracking hint). */
    long firstIndexOfTerm(long index, long term) {
        long i = index;
        long floor = Math.max(firstIndex(), committed + 1);
        while (i > floor && termOrNone(i - 1) == term) {
            i--;
        }
        return i;
    }

    /** Largest index at or below {@code index} whose term is at most {@code term}. */
    long lastIndexWithTermAtMost(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i >= firstIndex()) {
            if (term(i) <= term) {
                return i;
            }
            i--;
        }
        return i;
    }

    List<LogEntry> unstableEntries() {
        return List.copyOf(unstable);
    }

    boolean hasUnstable() {
        return !unstable.isEmpty();
    }

    /** The driver persisted entries up to (index, term): they leave the unstable tail. */
    void stableTo(long index, long term) {
        if (index < unstableOffset || index - unstableOffset >= unstable.size()) {
            return;
        }
        if (unstable.get((int) (index - unstableOffset)).term() != term) {
            return; // replaced by a newer append after the Ready was taken
        }
        unstable.subList(0, (int) (index - unstableOffset + 1)).clear();
        unstableOffset = index + 1;
    }

    /** The driver wrote entries up to (index, term) and will report them synced later ({@link #syncedTo}). */
    void writtenTo(long index, long term, long firstWritten) {
        long before = unstableOffset;
        stableTo(index, term);
        if (unstableOffset != before && unsyncedFrom == Long.MAX_VALUE) {
            unsyncedFrom = firstWritten;
        }
    }

    /** A forced write made everything written so far durable. */
    void allSynced() {
        unsyncedFrom = Long.MAX_VALUE;
    }

    /**
     * The driver's sync covered the log up to (index, term) as it was when asked; ignored when that entry has
     * been replaced since (the write it covered is gone).
     */
    void syncedTo(long index, long term) {
        if (unsyncedFrom > index || index > lastStableIndex() || termOrNone(index) != term) {
            return;
        }
        unsyncedFrom = index >= lastStableIndex() ? Long.MAX_VALUE : index + 1;
    }

    /** True while entries are written here but not yet known durable. */
    boolean hasUnsynced() {
        return unsyncedFrom <= lastStableIndex();
    }

    /** Last index written and known durable here: what a leader counts for itself. */
    long lastDurableIndex() {
        return Math.min(lastStableIndex(), unsyncedFrom - 1);
    }

    /** Last index written to storage (durable unless {@link #hasUnsynced}). */
    long lastStableIndex() {
        if (pendingSnapshot != null) {
            return pendingSnapshot.index();
        }
        return Math.min(unstableOffset - 1, storage.lastIndex());
    }

    long committed() {
        return committed;
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
            }
            committed = index;
        }
    }

    long applied() {
        return applied;
    }

    boolean hasNextCommitted() {
        return applyLimit() > applying && pendingSnapshot == null;
    }

    /**
     * Committed entries are applied only once durable here, or about to be with the Ready that hands them out
     * (a leader may commit entries its followers hold before its own sync): a state machine must never be ahead
     * of its own durable log, which a restart checks.
     */
    private long applyLimit() {
        return unsyncedFrom == Long.MAX_VALUE ? committed : Math.min(committed, unsyncedFrom - 1);
    }

    /** Committed entries not yet handed out for applying, bounded by bytes; marks them as being applied. */
    List<LogEntry> takeCommitted(long maxBytes) {
        if (!hasNextCommitted()) {
            return List.of();
        }
        List<LogEntry> out = entries(applying + 1, applyLimit(), maxBytes);
        if (!out.isEmpty()) {
            applying = out.get(out.size() - 1).index();
        }
        return out;
    }

    /** Highest index the state machine will have applied once the current Ready is done. */
    long applying() {
        return applying;
    }

    void appliedTo(long index) {
        applied = Math.max(applied, index);
        applying = Math.max(applying, applied);
    }

    /** A complete snapshot arrived: the log restarts after it once the driver installs it. */
    void restore(SnapshotMeta meta) {
        pendingSnapshot = meta;
        unstable.clear();
        unstableOffset = meta.index() + 1;
        committed = Math.max(committed, meta.index());
    }

    SnapshotMeta pendingSnapshot() {
        return pendingSnapshot;
    }

    /** The driver installed the pending snapshot (state machine restored, storage reset). */
    void snapshotInstalled(SnapshotMeta meta) {
        if (pendingSnapshot != null && pendingSnapshot.index() == meta.index()) {
            pendingSnapshot = null;
        }
        applied = Math.max(applied, meta.index());
        applying = Math.max(applying, applied);
        unsyncedFrom = Long.MAX_VALUE; // installed durably, over a log reset
    }
}
