package io.raftstore.resp.command;

import java.util.Optional;

/** The keys as a data command sees them; direct ({@link DirectView}) or as part of one atomic batch ({@link BatchView}). */
interface KeyView {

    Optional<byte[]> get(String key);

    void put(String key, byte[] value);

    /** @return true when the key existed */
    boolean delete(String key);

    /**
     * Adds {@code delta} to the decimal number the key holds (0 when absent).
     *
     * @return the new value
     * @throws CommandException when the value is not an integer or the result would overflow
     */
    long increment(String key, long delta);
}
