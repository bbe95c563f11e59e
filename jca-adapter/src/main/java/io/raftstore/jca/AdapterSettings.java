package io.raftstore.jca;

import io.raftstore.api.ReadConsistency;

import java.util.Locale;

/**
 * The validated configuration of one connection factory.
 *
 * @param requestTimeoutMillis how long a call may keep retrying while the store is unavailable (no leader,
 *                             node not yet started) before it fails with StoreUnavailableException
 * @param readConsistency      what {@code get(key)} and {@code scan(prefix, limit)} use
 */
record AdapterSettings(long requestTimeoutMillis, ReadConsistency readConsistency) {

    static AdapterSettings of(Long requestTimeoutMillis, String defaultReadConsistency) {
        long timeout = requestTimeoutMillis == null ? 5000 : requestTimeoutMillis;
        if (timeout < 0) {
            throw new IllegalArgumentException("requestTimeoutMillis must be 0 or more, not " + timeout);
        }
        ReadConsistency consistency;
        try {
            consistency = defaultReadConsistency == null || defaultReadConsistency.isBlank() ? ReadConsistency.LINEARIZABLE
                    : ReadConsistency.valueOf(defaultReadConsistency.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("defaultReadConsistency must be LINEARIZABLE, LEASE or STALE, not '"
                    + defaultReadConsistency + "'");
        }
        return new AdapterSettings(timeout, consistency);
    }
}
