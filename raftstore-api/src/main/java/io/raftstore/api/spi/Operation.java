package io.raftstore.api.spi;

import java.util.Objects;

/** One write the gateway executes. Only {@link Put}, unconditional {@link Delete} and {@link Increment} may go into a batch. */
public sealed interface Operation {

    String key();

    /** True when the operation may be one of a batch's writes. */
    default boolean batchable() {
        return this instanceof Put || this instanceof Increment || (this instanceof Delete d && d.expectedVersion() == null);
    }

    record Put(String key, byte[] value) implements Operation {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    record PutIfAbsent(String key, byte[] value) implements Operation {
        public PutIfAbsent {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    record CompareAndSet(String key, long expectedVersion, byte[] value) implements Operation {
        public CompareAndSet {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Removes the key; when {@code expectedVersion} is not null only at that version. */
    record Delete(String key, Long expectedVersion) implements Operation {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    record Increment(String key, long delta) implements Operation {
        public Increment {
            Objects.requireNonNull(key, "key");
        }
    }
}
