package io.raftstore.resp.protocol;

/**
 * The client sent bytes that are not a RESP command, or a command beyond a limit. The connection cannot be
 * resynchronised after it (the frame boundaries are lost), so the server answers {@link #reply()} and closes
 * that connection only.
 */
public class RespProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long position;

    /**
     * @param problem  what was wrong, e.g. "expected '$', got 'x'"
     * @param position the offset, from the connection's first byte, of the byte that showed it
     */
    public RespProtocolException(String problem, long position) {
        super("Protocol error: " + problem + " at byte " + position);
        this.position = position;
    }

    /** The offset of the offending byte since the connection opened. */
    public long position() {
        return position;
    }

    /** The error reply to send before closing. */
    public Reply reply() {
        return new Reply.Error("ERR " + getMessage());
    }
}
