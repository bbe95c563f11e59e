package io.raftstore.kv;

import java.util.Objects;

/** A precondition of a {@link KvCommand.Batch}, checked against the state before any operation runs. */
public sealed interface Condition {

    String key();

    /** The key exists with exactly this version (the log index of its last write). */
    record VersionEquals(String key, long version) implements Condition {
        public VersionEquals {
            Objects.requireNonNull(key, "key");
        }
    }

    /** The key does not exist. */
    record KeyAbsent(String key) implements Condition {
        public KeyAbsent {
            Objects.requireNonNull(key, "key");
        }
    }

    /** The key exists, whatever its version. */
    record KeyExists(String key) implements Condition {
        public KeyExists {
            Objects.requireNonNull(key, "key");
        }
    }
}
