package io.raftstore.storage.h2;

import io.raftstore.core.EntryType;
import io.raftstore.core.HardState;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.kv.KvCodec;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.node.storage.NodeStorage;
import io.raftstore.storage.LogStoreKind;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of {@link H2CrashSafetyTest}: writes through the real storage until it is killed, and
 * prints what has been acknowledged. Line formats: {@code A <index> <sequence>} once an entry is durable
 * in the log, {@code P <index>} once entries up to it are applied, {@code R <index>} before it installs
 * its latest snapshot again (the applied index may then go back to that index).
 *
 * <p>Every entry is a command of client 1 whose batch increments {@code counter} and writes
 * {@code s<sequence>}. The first entry after each start repeats the last sequence already in the log (a
 * client retrying after a crash): the session must answer it without applying it again, so in the end
 * {@code counter} equals the highest applied sequence.
 */
public final class CrashChild {
    private CrashChild() {
    }

    static byte[] payload(long sequence) {
        return KvCodec.encode(new KvCommand.Batch(List.of(), List.of(new KvCommand.Increment("counter", 1),
                new KvCommand.Put("s" + sequence, Long.toString(sequence).getBytes(StandardCharsets.UTF_8)))));
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        // Small staging commits, so that a kill can land in the middle of a snapshot install.
        H2StorageConfig base = H2StorageConfig.DEFAULT.withRestoreCommitRecords(50)
                .withLogStore(LogStoreKind.parse(args[2]));
        H2StorageConfig config = System.getProperty("crash.retention") == null ? base
                : base.withRetentionMillis(Integer.getInteger("crash.retention"));
        NodeStorage storage = NodeStorage.open(dir, config);
        storage.recover();
        long index = storage.log().lastIndex();
        long sequence = index == 0 ? 0 : index >= storage.log().firstIndex()
                ? storage.log().entries(index, index, Long.MAX_VALUE).get(0).sequence()
                : counter(storage); // a snapshot at the last index compacted every entry: its state holds the sequence
        boolean retry = sequence > 0;
        out.println("READY " + index);
        out.flush();
        // Never outlive the test: stop when the parent stops reading or after a minute, whichever comes first,
        // so that a killed test run cannot leave a writer running on a shared machine.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!out.checkError() && System.nanoTime() < deadline) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 4 : 64);
            List<LogEntry> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                long seq = retry ? sequence : ++sequence;
                retry = false;
                batch.add(new LogEntry(1, ++index, EntryType.COMMAND, 1, seq, payload(seq)));
            }
            long last = index;
            // One transaction, one fsync: the new entries and the commit index that covers them.
            storage.atomically(() -> {
                storage.log().append(batch);
                storage.hardState().save(new HardState(1, "n1", last));
            });
            StringBuilder acked = new StringBuilder();
            for (LogEntry e : batch) {
                acked.append("A ").append(e.index()).append(' ').append(e.sequence()).append('\n');
            }
            out.print(acked);
            out.flush();
            storage.stateMachine().apply(batch);
            out.println("P " + last);
            out.flush();
            if (random.nextInt(20) == 0) {
                snapshotAndCompact(storage);
            } else if (random.nextInt(30) == 0 && storage.snapshots().latest().isPresent()) {
                reinstallSnapshot(storage, out);
            }
        }
        System.exit(3); // without closing: the parent kills, it never expects a clean end
    }

    /**
     * Installs the latest snapshot over the state (as a follower would) and re-applies the log after it.
     * The applied index goes back meanwhile, so the parent is told ({@code R <index>}) first.
     */
    private static void reinstallSnapshot(NodeStorage storage, PrintStream out) {
        SnapshotMeta meta = storage.snapshots().latest().orElseThrow();
        out.println("R " + meta.index());
        out.flush();
        try (InputStream in = storage.snapshots().open(meta)) {
            storage.stateMachine().restore(meta, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage.recover(); // re-applies (snapshot index, commit index]
        out.println("P " + storage.stateMachine().appliedIndex());
        out.flush();
    }

    /** The counter, which every applied sequence incremented once: the last sequence applied. */
    static long counter(NodeStorage storage) {
        KvResult counter = storage.stateMachine().read(new KvCommand.Get("counter"));
        return counter instanceof KvResult.Value v ? Long.parseLong(new String(v.value(), StandardCharsets.US_ASCII)) : 0;
    }

    private static void snapshotAndCompact(NodeStorage storage) {
        try (var capture = storage.stateMachine().capture(); SnapshotSink sink = storage.snapshots().begin(
                new SnapshotMeta(capture.index(), capture.term(), Membership.ofVoters("n1")))) {
            capture.writeTo(sink.stream());
            sink.commit();
            storage.log().compact(capture.index());
        }
    }
}
