package io.raftstore.api.spi;

import java.util.Objects;

/** A condition of an atomic batch, checked against the state before any of its writes. */
public sealed interface Precondition {

    String key();

    /** What the condition requires, for messages. */
    String describe();

    record VersionEquals(String key, long version) implements Precondition {
        public VersionEquals {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String describe() {
            return "version " + version;
        }
    }

    record Absent(String key) implements Precondition {
        public Absent {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String describe() {
            return "absent";
        }
    }

    record Exists(String key) implements Precondition {
        public Exists {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String describe() {
            return "exists";
        }
    }
}
