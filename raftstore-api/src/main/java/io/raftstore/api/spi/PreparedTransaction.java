package io.raftstore.api.spi;

import java.util.List;
import java.util.Objects;

/**
 * A prepared two-phase transaction of the store: its id, the keys it holds (read or written) and the log
 * index it was prepared at.
 */
public record PreparedTransaction(String id, List<String> keys, long preparedAt) {
    public PreparedTransaction {
        Objects.requireNonNull(id, "id");
        keys = List.copyOf(keys);
    }
}
