package io.raftstore.storage.h2;

import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import io.raftstore.core.codec.BinaryReader;
import io.raftstore.core.codec.BinaryWriter;
import io.raftstore.core.storage.SnapshotSink;
import io.raftstore.core.storage.SnapshotStore;
import io.raftstore.core.storage.StorageException;
import io.raftstore.storage.Disk;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Snapshots as plain files in {@code <dataDir>/snapshots/}, beside the database, with the metadata of the
 * latest one (index, term, membership, file name, length, CRC32C) in the database. Files keep large
 * snapshots out of H2's page cache and can be streamed chunk by chunk to followers; the record in H2 makes
 * the switch to a new snapshot one durable transaction.
 *
 * <p>Commit order: the file is written as {@code *.partial}, fsynced, renamed to its final name, the
 * directory fsynced, then the record committed, then the previous file deleted. A crash at any point leaves
 * the previous snapshot as the latest; files no record points to are deleted on open.
 *
 * <p>File names hold the snapshot's index and term and a number counted up from 1 at each open, skipping
 * names in use: unique, and the same in every run of a seeded simulation (no clock in them).
 */
public final class H2SnapshotStore implements SnapshotStore {
    public static final String DIRECTORY = "snapshots";
    private static final String KEY = "snapshot.latest";

    private final Disk disk;
    private final H2Database db;
    private final Path dir;
    private final MVMap<String, byte[]> meta;
    private volatile SnapshotFile latest;
    private FileSnapshotSink current;
    private long lastNameNumber;

    /** Opens the store on the real disk; see {@link #H2SnapshotStore(Disk, H2Database, Path)}. */
    public H2SnapshotStore(H2Database db, Path dataDir) {
        this(Disk.REAL, db, dataDir);
    }

    /** Opens the store, verifying the latest snapshot's length and checksum, and deleting leftovers. */
    public H2SnapshotStore(Disk disk, H2Database db, Path dataDir) {
        this.disk = disk;
        this.db = db;
        this.dir = dataDir.resolve(DIRECTORY).toAbsolutePath();
        this.meta = db.map(H2LogStore.META_MAP, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        try {
            disk.createDirectoriesDurably(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create snapshot directory " + dir + ": " + e, e);
        }
        this.latest = loadRecord();
        if (latest != null) {
            verifyFile(latest);
        }
        deleteLeftovers();
    }

    /** The file and checksum of one committed snapshot. */
    record SnapshotFile(SnapshotMeta meta, String fileName, long length, int crc) {
        byte[] encode() {
            BinaryWriter w = new BinaryWriter(64).writeVarLong(meta.index()).writeVarLong(meta.term());
            meta.membership().writeTo(w);
            return Checksums.seal(w.writeString(fileName).writeVarLong(length).writeSignedVarLong(crc).toByteArray());
        }

        static SnapshotFile decode(byte[] sealed) {
            BinaryReader r = new BinaryReader(Checksums.open(sealed, "the snapshot record"));
            SnapshotMeta meta = new SnapshotMeta(r.readVarLong(), r.readVarLong(), Membership.readFrom(r));
            SnapshotFile f = new SnapshotFile(meta, r.readString(), r.readVarLong(), (int) r.readSignedVarLong());
            r.expectEnd();
            return f;
        }
    }

    private SnapshotFile loadRecord() {
        byte[] stored = meta.get(KEY);
        if (stored == null) {
            return null;
        }
        try {
            return SnapshotFile.decode(stored);
        } catch (RuntimeException e) {
            throw db.damaged(e.getMessage());
        }
    }

    private void verifyFile(SnapshotFile f) {
        Path path = dir.resolve(f.fileName());
        try {
            if (!disk.exists(path)) {
                throw damagedSnapshot(path, "it is missing");
            }
            if (disk.size(path) != f.length()) {
                throw damagedSnapshot(path, "it has " + disk.size(path) + " bytes, " + f.length() + " were written");
            }
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Channels.newInputStream(disk.openReadOnly(path))) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, n);
                }
            }
            if ((int) crc.getValue() != f.crc()) {
                throw damagedSnapshot(path, "its checksum does not match");
            }
        } catch (IOException e) {
            throw damagedSnapshot(path, e.toString());
        }
    }

    private static StorageException damagedSnapshot(Path path, String what) {
        return new StorageException("snapshot file " + path + " is damaged (" + what + "); the node refuses to "
                + "start. Restore the data directory from a backup (see docs/storage.md), " + H2Database.REJOIN);
    }

    private void deleteLeftovers() {
        try {
            for (Path p : disk.list(dir, "*")) {
                if (latest == null || !p.getFileName().toString().equals(latest.fileName())) {
                    disk.delete(p);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot clean snapshot directory " + dir + ": " + e, e);
        }
    }

    Path directory() {
        return dir;
    }

    /** The latest snapshot's file as recorded in the database (read under the lock by a backup), or null. */
    SnapshotFile recordedFile() {
        return loadRecord();
    }

    @Override
    public Optional<SnapshotMeta> latest() {
        SnapshotFile f = latest;
        return f == null ? Optional.empty() : Optional.of(f.meta());
    }

    @Override
    public long length() {
        SnapshotFile f = latest;
        return f == null ? 0 : f.length();
    }

    @Override
    public byte[] read(SnapshotMeta snapshot, long offset, int maxBytes) {
        SnapshotFile f = require(snapshot);
        if (offset < 0 || offset > f.length() || maxBytes < 0) {
            throw new IllegalArgumentException("offset " + offset + " outside snapshot of " + f.length() + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) Math.min(maxBytes, f.length() - offset));
        try (FileChannel file = disk.openReadOnly(dir.resolve(f.fileName()))) {
            while (out.hasRemaining()) {
                if (file.read(out, offset + out.position()) < 0) {
                    throw new EOFException("the file ends before its recorded length " + f.length());
                }
            }
            return out.array();
        } catch (IOException e) {
            throw new StorageException("cannot read snapshot file " + dir.resolve(f.fileName()) + ": " + e, e);
        }
    }

    @Override
    public InputStream open(SnapshotMeta snapshot) {
        SnapshotFile f = require(snapshot);
        try {
            return new BufferedInputStream(Channels.newInputStream(disk.openReadOnly(dir.resolve(f.fileName()))), 1 << 16);
        } catch (IOException e) {
            throw new StorageException("cannot open snapshot file " + dir.resolve(f.fileName()) + ": " + e, e);
        }
    }

    private SnapshotFile require(SnapshotMeta snapshot) {
        SnapshotFile f = latest;
        if (f == null || !f.meta().equals(snapshot)) {
            throw new StorageException("snapshot " + snapshot + " is not the latest one (" + latest() + ")");
        }
        return f;
    }

    @Override
    public SnapshotSink begin(SnapshotMeta snapshot) {
        if (current != null) {
            current.close();
        }
        String name;
        do {
            name = "snapshot-" + snapshot.index() + "-" + snapshot.term() + "-" + ++lastNameNumber;
        } while (disk.exists(dir.resolve(name + ".partial")) || disk.exists(dir.resolve(name + ".snap")));
        current = new FileSnapshotSink(disk, this, snapshot, dir.resolve(name + ".partial"), dir.resolve(name + ".snap"));
        return current;
    }

    /** Called by a sink once its file is durable under its final name: records it as the latest. */
    void committed(FileSnapshotSink sink, SnapshotFile file) {
        if (db.inTransaction()) {
            // The previous file is deleted below; if an enclosing transaction rolled back afterwards, the
            // record would point at a deleted file.
            throw new IllegalStateException("commit a snapshot outside NodeStorage.atomically");
        }
        SnapshotFile previous = latest;
        db.write(() -> meta.put(KEY, file.encode()));
        latest = file; // only once durable
        if (current == sink) {
            current = null;
        }
        if (previous != null) {
            try {
                // Readers that already opened it keep reading: an unlinked file lives until closed.
                disk.delete(dir.resolve(previous.fileName()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete replaced snapshot " + previous.fileName(), e);
            }
        }
    }
}
