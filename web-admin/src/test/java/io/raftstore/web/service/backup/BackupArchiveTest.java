package io.raftstore.web.service.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BackupArchiveTest {

    @Test
    void zipsEveryFileWithItsRelativePathThenDeletes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("backup");
        Files.createDirectories(dir.resolve("snapshots"));
        Files.writeString(dir.resolve("backup.properties"), "raftstore.mv.db=3:1");
        Files.write(dir.resolve("raftstore.mv.db"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("snapshots/s-5.snap"), "snap");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(3, BackupArchive.zip(dir, out));

        List<String> names = new ArrayList<>();
        byte[] db = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                byte[] content = zip.readAllBytes();
                if (e.getName().equals("raftstore.mv.db")) {
                    db = content;
                }
            }
        }
        assertEquals(List.of("backup.properties", "raftstore.mv.db", "snapshots/s-5.snap"), names);
        assertArrayEquals(new byte[] {1, 2, 3}, db);

        BackupArchive.delete(dir);
        assertFalse(Files.exists(dir));
        BackupArchive.delete(dir);
    }
}
