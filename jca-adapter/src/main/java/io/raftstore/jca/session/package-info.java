/**
 * What a connection does, free of JCA so that it can be tested with a fake gateway:
 * {@link io.raftstore.jca.session.AutoCommitOperations} (outside a transaction: one gateway call per
 * operation) and {@link io.raftstore.jca.session.BufferedTransaction} (inside one: buffered writes,
 * read-your-writes, reads as commit conditions, one atomic batch at commit), both behind
 * {@link io.raftstore.jca.session.KeyValueOperations}, chosen per call by
 * {@link io.raftstore.jca.session.StoreSession}.
 */
package io.raftstore.jca.session;
