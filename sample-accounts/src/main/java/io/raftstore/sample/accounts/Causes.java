package io.raftstore.sample.accounts;

import jakarta.ejb.EJBException;

import java.util.Optional;

/**
 * Finds an exception of a given type in a cause chain: a commit that fails in the container arrives
 * wrapped (EJB exception → transaction exception → resource exception → the store's exception).
 */
final class Causes {

    private Causes() {
    }

    static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            Throwable next = t instanceof EJBException e && e.getCausedByException() != null
                    ? e.getCausedByException() : t.getCause();
            t = next == t ? null : next;
        }
        return Optional.empty();
    }
}
