package io.raftstore.storage.h2;

import io.raftstore.core.HardState;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.storage.HardStateStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * Term, vote, commit index and, when the data directory has one, its incarnation and caught-up flag, in one
 * checksummed record of the node's H2 database. Each {@link #save} is one durable transaction (or part of the
 * driver's enclosing one), so a crash leaves the old or the new state, never a vote without its term.
 */
public final class H2HardStateStore implements HardStateStore {
    static final String KEY = "hardState";

    private final H2Database db;
    private final MVMap<String, byte[]> meta;

    public H2HardStateStore(H2Database db) {
        this.db = db;
        this.meta = db.map(H2LogStore.META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        load(); // fail on open, not at the first election, when the record is damaged
    }

    @Override
    public HardState load() {
        byte[] stored = meta.get(KEY);
        if (stored == null) {
            return HardState.EMPTY;
        }
        try {
            BinaryReader r = new BinaryReader(Checksums.open(stored, "the hard state (term and vote)"));
            long term = r.readVarLong();
            String votedFor = r.readString();
            long commitIndex = r.readVarLong();
            // A record without the incarnation predates it (or has none): caught up, as before.
            HardState state = r.remaining() == 0 ? new HardState(term, votedFor, commitIndex)
                    : new HardState(term, votedFor, commitIndex, r.readVarLong(), r.readBoolean());
            r.expectEnd();
            return state;
        } catch (RuntimeException e) {
            throw db.damaged(e.getMessage());
        }
    }

    @Override
    public void save(HardState state) {
        BinaryWriter w = new BinaryWriter(40).writeVarLong(state.term()).writeString(state.votedFor())
                .writeVarLong(state.commitIndex());
        if (state.incarnation() != 0) {
            w.writeVarLong(state.incarnation()).writeBoolean(state.caughtUp());
        }
        byte[] record = Checksums.seal(w.toByteArray());
        db.write(() -> meta.put(KEY, record));
    }
}
