/**
 * The RaftStore client API for applications deployed next to the store in the same server: inject a
 * {@link io.raftstore.api.StoreConnectionFactory} with {@code @Resource(lookup = "eis/raftstore")}, open a
 * {@link io.raftstore.api.StoreConnection} in try-with-resources, and read or write keys. Inside a JTA
 * transaction the connection's writes are buffered and proposed as one atomic batch at commit.
 *
 * <p>Failures are unchecked {@link io.raftstore.api.StoreException}s whose subclasses say what went wrong
 * and whose messages say what to do about it.
 *
 * <p>Compile against this jar with scope {@code provided}: the server supplies it as a shared library, and a
 * second copy inside an application would be a different class to the adapter.
 */
package io.raftstore.api;
