package io.raftstore.jca;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lets the transactions of this server that share a key pass from their check at {@code end()} to the end
 * of their commit one at a time. Without it two transactions that read the same key both pass the check
 * and the second then fails in its commit, where Liberty drops the cause (the application would get a bare
 * RollbackException); with it the second waits for the first and finds the conflict at its own check.
 * Writers elsewhere (other nodes, auto-commit calls) are not held back: the commit's conditions still catch
 * them. A transaction enters with all its keys at once or not at all, so two cannot deadlock. Holders are
 * compared by equality: the XA resource uses the branch's id, so that whichever resource completes the
 * branch (phase two may come through another one) gives its keys back.
 */
final class CommitGate {

    private final Map<String, Object> holders = new HashMap<>();

    /**
     * Waits until no other holder has any of the keys, then takes them all for {@code holder}.
     *
     * @return false when that took longer than the timeout (nothing taken)
     */
    synchronized boolean enter(Collection<String> keys, Object holder, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (heldByAnother(keys, holder)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        keys.forEach(k -> holders.put(k, holder));
        return true;
    }

    /** Gives back every key of {@code holder} (or of a holder equal to it); harmless when it holds none. */
    synchronized void leave(Object holder) {
        if (holders.values().removeIf(holder::equals)) {
            notifyAll();
        }
    }

    synchronized int held() {
        return holders.size();
    }

    private boolean heldByAnother(Collection<String> keys, Object holder) {
        for (String k : keys) {
            Object h = holders.get(k);
            if (h != null && !h.equals(holder)) {
                return true;
            }
        }
        return false;
    }
}
