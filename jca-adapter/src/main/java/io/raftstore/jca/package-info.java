/**
 * The JCA 2.1 glue: {@link io.raftstore.jca.RaftStoreResourceAdapter} (annotations replace ra.xml),
 * {@link io.raftstore.jca.StoreManagedConnectionFactory} with its configuration properties, pooled
 * {@link io.raftstore.jca.StoreManagedConnection}s, the application's
 * {@link io.raftstore.jca.StoreConnectionHandle}s, and the two ways a transaction manager drives a
 * connection's transaction: {@link io.raftstore.jca.StoreXAResource} (the default; one-phase commit when it is the
 * only resource, a real two-phase participant next to others; a conflict becomes the application's
 * RollbackException) and
 * {@link io.raftstore.jca.StoreLocalTransaction} (a last participant next to XA resources, with every
 * failed commit reported as a heuristic outcome). What a connection does lives in
 * {@code io.raftstore.jca.session}, free of JCA.
 */
package io.raftstore.jca;
