package io.raftstore.api;

/** An increment of a value that is not a decimal number, or one whose result would overflow a long. */
public class NotACounterException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    public NotACounterException(String key, String problem) {
        super("cannot increment key '" + key + "': " + problem + "; nothing was written. Increment only keys"
                + " that hold a decimal number (or are absent).");
    }
}
