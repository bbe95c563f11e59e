package io.raftstore.transport;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.FailureReason;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.codec.CodecException;
import io.raftstore.core.codec.MessageCodec;

/**
 * The wire form of a {@link Frame}: one kind byte, then the body. Raft batches use the engine's
 * {@link MessageCodec} so the bytes are RaftStore's own versioned encoding, never Java serialization.
 */
public final class FrameCodec {

    private static final int RAFT_BATCH = 1;
    private static final int FORWARD_REQUEST = 2;
    private static final int FORWARD_RESPONSE = 3;
    private static final int FORWARD_MEMBERSHIP = 4;

    private FrameCodec() {
    }

    /** The frame's bytes, in an array of exactly their size (see {@link BinaryWriter#encodeExactly}). */
    public static byte[] encode(Frame frame) {
        return BinaryWriter.encodeExactly(w -> write(frame, w));
    }

    private static void write(Frame frame, BinaryWriter w) {
        if (frame instanceof Frame.RaftBatch b) {
            w.writeByte(RAFT_BATCH);
            MessageCodec.encodeBatch(b.messages(), w);
        } else if (frame instanceof Frame.ForwardRequest r) {
            w.writeByte(FORWARD_REQUEST).writeVarLong(r.correlationId()).writeString(r.origin())
                    .writeBytes(r.command()).writeVarLong(r.clientId()).writeVarLong(r.sequence());
        } else if (frame instanceof Frame.ForwardMembership m) {
            w.writeByte(FORWARD_MEMBERSHIP).writeVarLong(m.correlationId()).writeString(m.origin())
                    .writeByte(m.change().type().ordinal()).writeString(m.change().nodeId())
                    .writeString(m.change().address());
        } else {
            Frame.ForwardResponse r = (Frame.ForwardResponse) frame;
            w.writeByte(FORWARD_RESPONSE).writeVarLong(r.correlationId())
                    .writeByte(r.failure() == null ? 0 : r.failure().ordinal() + 1).writeBytes(r.result())
                    .writeString(r.leaderId() == null ? "" : r.leaderId()).writeString(r.detail());
        }
    }

    /** @throws CodecException on truncated, corrupted or unknown input */
    public static Frame decode(byte[] buf, int offset, int length) {
        if (length < 1) {
            throw new CodecException("empty frame");
        }
        int kind = buf[offset];
        BinaryReader r = new BinaryReader(buf, offset + 1, length - 1);
        Frame frame = switch (kind) {
            case RAFT_BATCH -> new Frame.RaftBatch(MessageCodec.decodeBatch(buf, offset + 1, length - 1));
            case FORWARD_REQUEST -> new Frame.ForwardRequest(r.readVarLong(), r.readString(), r.readBytes(),
                    r.readVarLong(), r.readVarLong());
            case FORWARD_MEMBERSHIP -> {
                long id = r.readVarLong();
                String origin = r.readString();
                int type = r.readByte();
                ConfigChange.Type[] types = ConfigChange.Type.values();
                if (type >= types.length) {
                    throw new CodecException("unknown membership change " + type);
                }
                try {
                    yield new Frame.ForwardMembership(id, origin, new ConfigChange(types[type], r.readString(),
                            r.readString()));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new CodecException("invalid membership change: " + e.getMessage());
                }
            }
            case FORWARD_RESPONSE -> {
                long id = r.readVarLong();
                int failure = r.readByte();
                FailureReason[] reasons = FailureReason.values();
                if (failure < 0 || failure > reasons.length) {
                    throw new CodecException("unknown failure reason " + failure);
                }
                byte[] result = r.readBytes();
                String leader = r.readString();
                yield new Frame.ForwardResponse(id, failure == 0 ? null : reasons[failure - 1], result,
                        leader.isEmpty() ? null : leader, r.readString());
            }
            default -> throw new CodecException("unknown frame kind " + kind);
        };
        if (kind != RAFT_BATCH) {
            r.expectEnd();
        }
        return frame;
    }
}
