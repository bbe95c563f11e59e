package io.raftstore.api;

/** A key is empty, longer than 1024 UTF-8 bytes, or holds a control character or broken Unicode. */
public class InvalidKeyException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyException(String problem) {
        super("invalid key: " + problem + "; nothing was written. Keys are 1-1024 bytes of UTF-8 without control characters.");
    }
}
