package io.raftstore.web.service.changes;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterAuditTest {

    private static AuditEntry at(int second, String what) {
        return new AuditEntry(Instant.parse("2026-12-03T05:00:00Z").plusSeconds(second), "admin", "127.0.0.1", what,
                true, "ok");
    }

    @Test
    void everyNodesEntriesMergeNewestFirstEachWithTheNodeItWentThrough() {
        Map<String, List<AuditEntry>> lists = new LinkedHashMap<>();
        lists.put("n1", List.of(at(30, "snapshot now on n1"), at(10, "add n4")));
        lists.put("n2", List.of(at(20, "transfer leadership to n3")));
        lists.put("n3", List.of());
        List<ClusterAudit.Through> merged = ClusterAudit.merge(lists, 10);
        assertEquals(List.of("n1:snapshot now on n1", "n2:transfer leadership to n3", "n1:add n4"),
                merged.stream().map(t -> t.node() + ":" + t.entry().what()).toList());
        assertEquals(2, ClusterAudit.merge(lists, 2).size(), "the limit counts all nodes together");
    }

    @Test
    void anEntryReadsBackAsItWasKept() {
        AuditEntry e = new AuditEntry(Instant.parse("2026-12-03T05:00:00.123Z"), "admin", "198.18.0.1", "remove n9",
                false, "n9 is not a member");
        assertEquals(e, AuditEntry.fromJson(e.toJson()));
        AuditEntry anonymous = new AuditEntry(e.when(), null, null, "x", true, null);
        assertEquals(anonymous, AuditEntry.fromJson(anonymous.toJson()));
    }
}
