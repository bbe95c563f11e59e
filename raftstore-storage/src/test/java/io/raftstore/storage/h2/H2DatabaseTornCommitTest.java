package io.raftstore.storage.h2;

import io.raftstore.storage.sim.CrashMode;
import io.raftstore.storage.sim.SimDisk;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A commit torn by a failed fsync (some of its pages written back, as Linux may) or by a power loss in the middle
 * of it, then a restart (docs/storage.md, "Torn commits"). H2 takes a chunk whose header and footer survived as
 * whole, and asking it to roll back from there fails when the torn pages held the chunk list the confirmed version
 * needs ("Unknown version": the whole-node simulation's seeds 700288, 702355, 703049 and 705757, where an
 * {@code h2}-log-store node then refused to start). Every database must open at what its watermark confirmed, or
 * at the torn commit when that was confirmed after all, and keep working: the torn commit must not come back at
 * the next start.
 */
class H2DatabaseTornCommitTest {
    private static final Path DIR = Path.of("/sim/db");

    @Test
    void aTornCommitIsDiscardedAndTheConfirmedVersionOpens() {
        List<String> wrong = new ArrayList<>();
        for (long seed = 1; seed <= 300; seed++) {
            String problem = run(seed);
            if (problem != null) {
                wrong.add("seed " + seed + ": " + problem);
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static String run(long seed) {
        Random random = new Random(seed);
        SimDisk disk = new SimDisk(seed);
        Map<Long, String> confirmed = new TreeMap<>();
        Map<Long, String> torn;
        H2Database db = open(disk);
        for (int commits = 1 + random.nextInt(20); commits > 0; commits--) {
            commit(db, random, confirmed);
        }
        torn = new TreeMap<>(confirmed);
        boolean powerLoss = random.nextBoolean();
        if (powerLoss) {
            disk.crashAfter(1 + random.nextInt(6));
        } else {
            disk.failNext(SimDisk.Op.FORCE);
        }
        try {
            commit(db, random, torn);
            db.close();
            return "the commit meant to fail succeeded";
        } catch (RuntimeException | SimDisk.PowerLoss expected) {
            db.closeWithoutWriting(); // as the node's storage does after a failed write; the node stops
        }
        disk.crash(powerLoss ? CrashMode.values()[random.nextInt(CrashMode.values().length)] : CrashMode.LOSE_UNSYNCED);

        Map<Long, String> after;
        try (H2Database reopened = open(disk)) {
            after = content(reopened);
            if (!after.equals(confirmed) && !after.equals(torn)) {
                return "opened with " + after.size() + " entries, neither the " + confirmed.size() + " confirmed nor the "
                        + torn.size() + " of the torn commit";
            }
            commit(reopened, random, after);
        } catch (RuntimeException e) {
            return "does not open: " + e.getMessage();
        }
        try (H2Database again = open(disk)) {
            Map<Long, String> now = content(again);
            return now.equals(after) ? null : "after the repair and one more commit, a clean restart shows "
                    + now.size() + " entries where " + after.size() + " were committed";
        }
    }

    private static H2Database open(SimDisk disk) {
        return H2Database.open(disk, () -> 0, DIR, H2StorageConfig.DEFAULT, true, "wipe it",
                H2Database.Confirmation.EVERY_COMMIT);
    }

    private static MVMap<Long, String> map(H2Database db) {
        return db.map("m", LongDataType.INSTANCE, StringDataType.INSTANCE);
    }

    /** Puts and removes random keys, with values long enough for a commit to span several pages. */
    private static void commit(H2Database db, Random random, Map<Long, String> model) {
        Map<Long, String> changes = new TreeMap<>();
        for (int n = 1 + random.nextInt(60); n > 0; n--) {
            long key = random.nextInt(400);
            changes.put(key, random.nextInt(5) == 0 ? null : ("v" + random.nextLong()).repeat(1 + random.nextInt(20)));
        }
        db.write(() -> {
            MVMap<Long, String> m = map(db);
            changes.forEach((k, v) -> {
                if (v == null) {
                    m.remove(k);
                } else {
                    m.put(k, v);
                }
            });
        });
        changes.forEach((k, v) -> {
            if (v == null) {
                model.remove(k);
            } else {
                model.put(k, v);
            }
        });
    }

    private static Map<Long, String> content(H2Database db) {
        return db.read(() -> new TreeMap<>(map(db)));
    }
}
