package io.raftstore.resp.protocol;

import io.raftstore.api.spi.KeyRules;
import io.raftstore.api.spi.StoreLimits;

/**
 * What one command may hold. A client beyond a limit gets a protocol error before the decoder buffers the
 * excess, so a connection cannot make the node allocate more than about {@code maxBulkBytes} at a time.
 *
 * @param maxBulkBytes   the longest argument
 * @param maxArrayLength the most arguments in one command
 * @param maxInlineBytes the longest inline command line (as typed into telnet or sent by redis-cli)
 */
public record DecoderLimits(int maxBulkBytes, int maxArrayLength, int maxInlineBytes) {

    /**
     * Room beyond the store's value limit, so a value slightly too large reaches the store and gets its clear
     * "value too large" error on a connection that stays open, instead of a protocol error that closes it.
     */
    public static final int BULK_SLACK_BYTES = 64 * 1024;

    public DecoderLimits {
        if (maxBulkBytes < 1 || maxArrayLength < 1 || maxInlineBytes < 1) {
            throw new IllegalArgumentException("decoder limits must be positive: bulk " + maxBulkBytes
                    + ", array " + maxArrayLength + ", inline " + maxInlineBytes);
        }
    }

    /** Limits that fit the store: arguments as large as a value plus slack, as many as a batch's writes allow. */
    public static DecoderLimits forStore(StoreLimits store) {
        int bulk = (int) Math.min(Integer.MAX_VALUE - 2L,
                (long) Math.max(store.maxValueBytes(), KeyRules.MAX_KEY_BYTES) + BULK_SLACK_BYTES);
        // MSET k v k v ...: two arguments per write plus the name and options; MGET and DEL get 1024 at least.
        int array = (int) Math.min(Integer.MAX_VALUE, Math.max(1024L, 2L * store.maxBatchSize() + 16));
        return new DecoderLimits(bulk, array, 64 * 1024);
    }
}
