package io.raftstore.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key's value together with its version. Versions are positive and grow with every write of the key
 * (they are positions in the replicated log); {@link StoreConnection#PENDING} marks a value written by the
 * current transaction and not yet committed.
 *
 * @param key     the key
 * @param value   the value's bytes (the array is shared: do not modify it)
 * @param version the version to pass to {@link StoreConnection#compareAndSet} or a batch condition
 */
public record Versioned(String key, byte[] value, long version) {

    public Versioned {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** The value decoded as UTF-8. */
    public String asString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** True when the value was written by the current, uncommitted transaction. */
    public boolean pending() {
        return version == StoreConnection.PENDING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Versioned v && key.equals(v.key) && version == v.version && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, version) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Versioned[" + key + " v" + version + ", " + value.length + " bytes]";
    }
}
