package io.raftstore.transport.security;

import io.raftstore.core.codec.CodecException;
import io.raftstore.transport.Frame;
import io.raftstore.transport.FrameCodec;

import java.util.logging.Logger;

/**
 * What a transport does to a frame's bytes between nodes: {@link FrameSealer} (the default in production)
 * or {@link #plain} (node-to-node protection switched off). Callable from any thread.
 */
public interface FrameProtection {

    /** The transport's raw send: best effort, never blocking. */
    interface Wire {
        void send(String to, byte[] bytes);
    }

    /** Sends one encoded frame to {@code to}, now or once the two nodes have greeted each other. */
    void send(String to, byte[] frame);

    /**
     * What arrived from {@code from} (the name the sender gave itself on the network).
     *
     * @param authentic run once the bytes are known to come from {@code from} (before any answer is sent), so
     *                  that the transport learns where {@code from} is only from authentic traffic
     * @return the encoded frame to deliver, or null when there is none: a handshake, a refusal, or bytes
     *         that were dropped (and logged)
     */
    byte[] open(String from, byte[] bytes, Runnable authentic);

    /**
     * Opens, decodes and checks what arrived: the frame to hand to the node, or null (dropped and logged) when
     * it was no frame, is malformed, or claims to come from another node than {@code from} (a Raft message's
     * sender or a forwarded request's origin), so that an authenticated node cannot speak for another.
     */
    default Frame receive(String from, byte[] bytes, Runnable authentic) {
        byte[] plain = open(from, bytes, authentic);
        if (plain == null) {
            return null;
        }
        Frame frame;
        try {
            frame = FrameCodec.decode(plain, 0, plain.length);
        } catch (CodecException e) {
            Logger.getLogger(FrameProtection.class.getName()).warning("dropping a malformed frame from " + from + ": " + e);
            return null;
        }
        String claimed = Frame.impersonated(frame, from);
        if (claimed != null) {
            Logger.getLogger(FrameProtection.class.getName()).warning(() -> "node-to-node: dropped a frame from " + from
                    + " that speaks as " + claimed);
            return null;
        }
        return frame;
    }

    /** No protection: frames travel as they are; sealed traffic from protected nodes is dropped with a warning. */
    static FrameProtection plain(Wire wire) {
        Warnings warnings = new Warnings();
        return new FrameProtection() {
            @Override
            public void send(String to, byte[] frame) {
                wire.send(to, frame);
            }

            @Override
            public byte[] open(String from, byte[] bytes, Runnable authentic) {
                if (bytes.length > 0 && FrameSealer.isSealerMessage(bytes[0])) {
                    warnings.warn(from + "/plain", () -> from + " protects node-to-node traffic but this node runs with "
                            + "raftstore.transport.security=off: its frames are dropped"
                            + FrameSealer.refusalReason(bytes).map(r -> "; it reports: " + r).orElse(""));
                    return null;
                }
                authentic.run();
                return bytes;
            }
        };
    }
}
