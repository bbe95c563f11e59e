package io.raftstore.node;

/** How a driver makes the writes of one Ready a single storage transaction. */
@FunctionalInterface
public interface ReadyTransaction {

    /** Writes each store on its own, as the stores do by default. */
    ReadyTransaction NONE = (writes, force) -> writes.run();

    /**
     * Runs {@code writes} atomically. When {@code force}, they are on disk when this returns; otherwise they
     * may wait for the next forced transaction, and a crash may take them back.
     */
    void run(Runnable writes, boolean force);
}
