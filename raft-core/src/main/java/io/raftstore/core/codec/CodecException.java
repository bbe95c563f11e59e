package io.raftstore.core.codec;

/** Input that is not a valid encoding: truncated, corrupted, or of an unknown version or kind. */
public class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }
}
