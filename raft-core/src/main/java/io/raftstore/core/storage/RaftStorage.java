package io.raftstore.core.storage;

import java.util.Objects;

/** The three stores one node persists to, bundled so they travel together. */
public record RaftStorage(LogStore log, HardStateStore hardState, SnapshotStore snapshots) {
    public RaftStorage {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(hardState, "hardState");
        Objects.requireNonNull(snapshots, "snapshots");
    }
}
