package io.raftstore.api.spi;

/**
 * The node's limits, so the adapter can reject bad input at the call that made it (inside a transaction,
 * long before commit).
 *
 * @param maxValueBytes largest value
 * @param maxBatchSize  most conditions plus writes in one batch (so in one transaction)
 * @param maxScanLimit  most keys one scan returns
 */
public record StoreLimits(int maxValueBytes, int maxBatchSize, int maxScanLimit) {
}
