package io.raftstore.storage.wal;

import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * What a write-ahead log holds, as a value: the compaction point, the entries after it and the hard state. The
 * crash test keeps one per frame it wrote and compares what a reopened log holds against them.
 */
record WalImage(long compactedIndex, long compactedTerm, List<LogEntry> entries, HardState hardState) {

    static final WalImage EMPTY = new WalImage(0, 0, List.of(), HardState.EMPTY);

    WalImage {
        entries = List.copyOf(entries);
    }

    /** What {@code wal} holds now. */
    static WalImage of(WalStorage wal) {
        WalLogStore log = wal.log();
        List<LogEntry> entries = log.lastIndex() < log.firstIndex() ? List.of()
                : log.entries(log.firstIndex(), log.lastIndex(), Long.MAX_VALUE);
        return new WalImage(log.firstIndex() - 1, log.term(log.firstIndex() - 1), entries, wal.hardState().load());
    }

    long lastIndex() {
        return compactedIndex + entries.size();
    }

    long term(long index) {
        return index == compactedIndex ? compactedTerm : entries.get((int) (index - compactedIndex - 1)).term();
    }

    /** After appending {@code more}, which first cuts every entry from its first index on. */
    WalImage append(List<LogEntry> more) {
        List<LogEntry> kept = new ArrayList<>(entries.subList(0, (int) (more.get(0).index() - compactedIndex - 1)));
        kept.addAll(more);
        return new WalImage(compactedIndex, compactedTerm, kept, hardState);
    }

    WalImage compact(long upTo) {
        return new WalImage(upTo, term(upTo), entries.subList((int) (upTo - compactedIndex), entries.size()), hardState);
    }

    WalImage reset(long index, long term) {
        return new WalImage(index, term, List.of(), hardState);
    }

    WalImage save(HardState state) {
        return new WalImage(compactedIndex, compactedTerm, entries, state);
    }

    @Override
    public String toString() {
        return "compacted " + compactedIndex + "@" + compactedTerm + ", entries " + (compactedIndex + 1) + ".."
                + lastIndex() + (entries.isEmpty() ? "" : " (last term " + term(lastIndex()) + ")") + ", " + hardState;
    }
}
