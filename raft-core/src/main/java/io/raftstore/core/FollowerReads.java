package io.raftstore.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * A follower's reads that need the leader's read index, asked for together: every read that arrived before a
 * Ready is taken shares one {@code ReadIndexRequest} sent in it, named by the first read's request id, and one
 * answer gives them all their index. Sharing is safe because the request leaves after each of them arrived, so
 * the index the leader confirms after receiving it covers every write acknowledged before any of them began.
 * One request per read made the leader decode, queue and answer a message per read.
 */
final class FollowerReads {

    private List<Long> unsent = new ArrayList<>();
    /** Requests sent and not answered: the batch's id (its first read's) to its reads. */
    private final Map<Long, List<Long>> asked = new HashMap<>();

    void add(long requestId) {
        unsent.add(requestId);
    }

    boolean hasUnsent() {
        return !unsent.isEmpty();
    }

    /** The reads queued since the last call that are still {@code pending} (the others failed meanwhile). */
    List<Long> takeUnsent(LongPredicate pending) {
        List<Long> batch = unsent;
        unsent = new ArrayList<>();
        batch.removeIf(r -> !pending.test(r));
        return batch;
    }

    /** {@code batch} is asked for now, under its first read's id. */
    void asked(List<Long> batch) {
        asked.put(batch.get(0), batch);
    }

    /** The reads an answer to request {@code batchId} is for; none once they were failed or timed out. */
    List<Long> answered(long batchId) {
        List<Long> batch = asked.remove(batchId);
        return batch != null ? batch : List.of();
    }

    /** Forgets requests none of whose reads is still {@code pending} (they timed out: the answer was lost). */
    void prune(LongPredicate pending) {
        if (!asked.isEmpty()) {
            asked.values().removeIf(batch -> batch.stream().noneMatch(pending::test));
        }
    }

    /** Forgets every read, asked for or not: they were failed (leadership changed before their index was known). */
    void clear() {
        unsent = new ArrayList<>();
        asked.clear();
    }
}
