package io.raftstore.kv;

/** A command breaks a limit of {@link KvLimits}; the message says which and by how much. */
public class KvValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KvValidationException(String message) {
        super(message);
    }
}
