package io.raftstore.api;

/** A value is larger than the store accepts; nothing was written. */
public class ValueTooLargeException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    public ValueTooLargeException(String key, int size, int limit) {
        super("value of " + size + " bytes for key '" + key + "' exceeds the store's limit of " + limit
                + " bytes; nothing was written. Store a smaller value, split it over several keys, or raise"
                + " raftstore.max.value.bytes on every node.");
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
