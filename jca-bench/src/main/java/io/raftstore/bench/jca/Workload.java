package io.raftstore.bench.jca;

/** One measured call; {@code caller} and {@code n} let callers spread their keys. */
@FunctionalInterface
public interface Workload {
    void call(int caller, long n) throws Exception;
}
