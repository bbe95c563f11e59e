package io.raftstore.storage.h2;

import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvStateMachine;
import io.raftstore.kv.StateDatabase;
import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.raftstore.storage.h2.StorageFixtures.commands;
import static io.raftstore.storage.h2.StorageFixtures.counterAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A checkpoint of the key-value state whose fsync fails, having written back only some of its pages (as Linux
 * may), and a crash after: H2 takes a chunk whose header and footer reached the disk as whole, without checking
 * the pages between them, and then read the state without keys it had synced long before, or keys that failed
 * their checksums (found by {@code NodeStorageCrashTest}'s seeds 1000..2499 on the write-ahead log). Every commit
 * of the state database is now confirmed by its watermark, and a newer, unconfirmed version is rebuilt: whatever
 * the state opens with is the state of the log's first n entries, n its applied index (0 when rebuilt).
 */
class StateDatabaseTornCommitTest {
    private static final Path DIR = Path.of("/sim/node");
    /** Every apply a checkpoint: each one a durable commit of its own. */
    private static final H2StorageConfig CONFIG = H2StorageConfig.DEFAULT.withCheckpointMillis(0);

    @Test
    void afterAFailedCheckpointAndACrashTheStateIsThatOfItsAppliedIndex() {
        List<String> wrong = new ArrayList<>();
        int rebuilt = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            SimDisk disk = new SimDisk(seed);
            KvStateMachine state = StateDatabase.open(disk, () -> 0, DIR, CONFIG).stateMachine();
            long applied = 0;
            for (int batch = 1 + random.nextInt(30); batch > 0; batch--) {
                long next = applied + 1 + random.nextInt(40);
                state.apply(commands(applied + 1, next, 1));
                applied = next;
            }
            disk.failNext(SimDisk.Op.FORCE);
            try {
                state.apply(commands(applied + 1, applied + 1 + random.nextInt(40), 1));
            } catch (RuntimeException expected) {
                // the node stops here; the database was closed without writing anything more
            }
            disk.crash(CrashMode.LOSE_UNSYNCED);

            long at;
            StateDatabase.Opened reopened = StateDatabase.open(disk, () -> 0, DIR, CONFIG);
            try {
                at = reopened.stateMachine().appliedIndex();
                rebuilt += at == 0 ? 1 : 0;
                String problem = stateProblem(reopened.stateMachine(), at);
                if (problem != null) {
                    wrong.add("seed " + seed + ": applied index " + at + " (" + applied + " synced), " + problem);
                    continue;
                }
                // Work goes on after the repair: the torn commit must not come back at the next start.
                reopened.stateMachine().apply(commands(at + 1, at + 20, 1));
                at += 20;
            } finally {
                reopened.db().close();
            }
            StateDatabase.Opened again = StateDatabase.open(disk, () -> 0, DIR, CONFIG);
            try {
                long now = again.stateMachine().appliedIndex();
                String problem = now != at ? "applied index " + now + " after a clean restart" : stateProblem(again.stateMachine(), now);
                if (problem != null) {
                    wrong.add("seed " + seed + ": after the repair, 20 more entries and a clean restart, " + problem);
                }
            } finally {
                again.db().close();
            }
        }
        assertEquals(List.of(), wrong, "states that are not their applied index's (" + rebuilt + " rebuilt)");
    }

    /** What is wrong with {@code state} as the state of entries 1..applied, or null. */
    private static String stateProblem(KvStateMachine state, long applied) {
        for (long i = 1; i <= applied; i += 2) {
            String v = value(state, "k" + i);
            if (!("v" + i).equals(v)) {
                return "k" + i + " is " + v;
            }
        }
        String counter = value(state, "counter");
        long expected = counterAfter(applied);
        return expected == (counter == null ? 0 : Long.parseLong(counter)) ? null : "the counter is " + counter;
    }

    private static String value(KvStateMachine state, String key) {
        try {
            KvResult r = state.read(new KvCommand.Get(key));
            return r instanceof KvResult.Value v ? new String(v.value(), StandardCharsets.UTF_8) : null;
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}
