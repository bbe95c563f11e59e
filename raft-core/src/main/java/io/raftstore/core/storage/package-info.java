/**
 * The narrow storage contracts the engine reads from and its driver writes to: the log
 * ({@link io.raftstore.core.storage.LogStore}), the hard state
 * ({@link io.raftstore.core.storage.HardStateStore}) and snapshots
 * ({@link io.raftstore.core.storage.SnapshotStore}). The engine only ever reads; the driver writes what
 * {@link io.raftstore.core.Ready} tells it to, durably, before it sends messages.
 */
package io.raftstore.core.storage;
