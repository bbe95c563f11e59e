package io.raftstore.web.service.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditFileTest {

    private static AuditEntry entry(int i) {
        return new AuditEntry(Instant.ofEpochSecond(1_700_000_000L + i), "admin", "127.0.0.1", "change \"" + i + "\"\n",
                i % 2 == 0, i % 3 == 0 ? null : "result " + i);
    }

    @Test
    void whatWasAppendedIsReadBackAfterARestart(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("data/console-audit.jsonl");
        AuditFile file = new AuditFile(path, 10);
        assertEquals(List.of(), file.load());
        List<AuditEntry> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.add(entry(i));
            file.append(entry(i), written);
        }
        assertEquals(written, new AuditFile(path, 10).load());
    }

    @Test
    void theFileIsRewrittenWithTheLatestEntriesSoItStaysSmall(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("console-audit.jsonl");
        AuditFile file = new AuditFile(path, 4);
        List<AuditEntry> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(entry(i));
            file.append(entry(i), all.subList(Math.max(0, all.size() - 4), all.size()));
        }
        assertTrue(Files.readAllLines(path).size() < 8, "rewritten before it holds twice the entries kept");
        assertEquals(all.subList(21, 25), new AuditFile(path, 4).load());
    }

    @Test
    void aTornLastLineIsSkipped(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("console-audit.jsonl");
        AuditFile file = new AuditFile(path, 10);
        file.append(entry(1), List.of(entry(1)));
        Files.writeString(path, "{\"when\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(List.of(entry(1)), new AuditFile(path, 10).load());
    }

    @Test
    void aLineWithoutItsTimeOrOutcomeIsSkipped(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("console-audit.jsonl");
        AuditFile file = new AuditFile(path, 10);
        file.append(entry(1), List.of(entry(1)));
        Files.writeString(path, "{\"who\":\"admin\",\"ok\":true}\n{\"when\":\"2026-12-02T10:00:00Z\"}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(List.of(entry(1)), new AuditFile(path, 10).load());
    }
}
