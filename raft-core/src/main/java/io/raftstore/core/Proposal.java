package io.raftstore.core;

/**
 * Where the leader appended a local proposal. It has succeeded when an entry with this index AND this term
 * is applied; an entry of another term at this index means it was lost.
 */
public record Proposal(long index, long term) {
}
