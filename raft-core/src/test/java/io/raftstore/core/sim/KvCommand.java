package io.raftstore.core.sim;

import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;

import java.util.Objects;

/**
 * A key-value command as carried in a log entry.
 *
 * @param op       what to do
 * @param key      the key it touches (the linearizability check is per key)
 * @param value    the value to write (PUT, CAS), else null
 * @param expected the value CAS requires (null means "absent"), else null
 */
public record KvCommand(Op op, String key, String value, String expected) {

    /** The operations of the simulated store. */
    public enum Op {
        /** Writes {@code value}; the result is the previous value. */
        PUT,
        /** Reads through the log; the result is the current value. */
        GET,
        /** Writes {@code value} if the current value equals {@code expected}; the result says whether it did. */
        CAS,
        /**
         * Writes {@code value} ({@code null}: deletes) and says nothing of the previous value: a blind write,
         * as the REST API's PUT and DELETE are. The simulation's clients never send it; the fault tests on
         * real servers record it.
         */
        WRITE
    }

    public KvCommand {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
    }

    public byte[] encode() {
        BinaryWriter w = new BinaryWriter(16 + key.length() + (value == null ? 0 : value.length()));
        w.writeByte(op.ordinal()).writeString(key).writeString(value).writeString(expected);
        return w.toByteArray();
    }

    public static KvCommand decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        KvCommand c = new KvCommand(Op.values()[r.readByte()], r.readString(), r.readString(), r.readString());
        r.expectEnd();
        return c;
    }

    /**
     * What applying a command returned.
     *
     * @param stale true when the command's session sequence was older than the session's last one, so it
     *              was not applied (the client had moved on; the result means nothing)
     * @param ok    for CAS, whether it wrote; true otherwise
     * @param value PUT: the previous value; GET and CAS: the value after the command
     */
    public record Result(boolean stale, boolean ok, String value) {

        public byte[] encode() {
            BinaryWriter w = new BinaryWriter(16 + (value == null ? 0 : value.length()));
            w.writeBoolean(stale).writeBoolean(ok).writeString(value);
            return w.toByteArray();
        }

        public static Result decode(byte[] bytes) {
            BinaryReader r = new BinaryReader(bytes);
            Result res = new Result(r.readBoolean(), r.readBoolean(), r.readString());
            r.expectEnd();
            return res;
        }
    }
}
