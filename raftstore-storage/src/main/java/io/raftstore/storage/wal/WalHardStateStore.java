package io.raftstore.storage.wal;

import io.raftstore.core.HardState;
import io.raftstore.core.storage.HardStateStore;

/**
 * Term, vote and commit index as records of the write-ahead log; the newest replayed one is in force.
 * Saved in the same frame as a Ready's entries, so a crash keeps both or neither.
 */
public final class WalHardStateStore implements HardStateStore {
    private final WriteAheadLog wal;
    private HardState current = HardState.EMPTY;

    WalHardStateStore(WriteAheadLog wal) {
        this.wal = wal;
    }

    void replay(WalRecord record) {
        if (record instanceof WalRecord.HardStateSaved saved) {
            current = saved.state();
        }
    }

    @Override
    public HardState load() {
        return current;
    }

    @Override
    public void save(HardState state) {
        wal.write(() -> {
            wal.add(new WalRecord.HardStateSaved(state));
            current = state;
        }, true);
    }

    WalRecord asRecord() {
        return new WalRecord.HardStateSaved(current);
    }
}
