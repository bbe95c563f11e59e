/**
 * In-memory implementations of the storage contracts, for tests, the simulation and single-process
 * experiments. "Durable" here means: kept by the store object for as long as it lives; each store's
 * {@code reopen()} models a process restart by returning a new store over what a real store would have
 * kept on disk (an unfinished snapshot is dropped, everything written before returning is kept).
 */
package io.raftstore.core.storage.memory;
