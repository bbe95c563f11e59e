package io.raftstore.resp.command;

import io.raftstore.resp.protocol.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final TestConnection client = new TestConnection(TestConnection.dispatcher(gateway));

    /** One SCAN: the cursor it returned, then the keys. */
    private List<String> scan(String... args) {
        Reply.Array reply = (Reply.Array) client.call(args);
        List<String> out = new ArrayList<>();
        out.add(new String(((Reply.Bulk) reply.items().get(0)).value(), StandardCharsets.UTF_8));
        for (Reply key : ((Reply.Array) reply.items().get(1)).items()) {
            out.add(new String(((Reply.Bulk) key).value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void scanPagesThroughAPrefixWithNumericCursors() {
        for (String k : new String[] {"a", "user:1", "user:2", "user:3", "z"}) {
            gateway.externalPut(k, "v");
        }
        List<String> first = scan("SCAN", "0", "MATCH", "user:*", "COUNT", "2");
        assertEquals(List.of("user:1", "user:2"), first.subList(1, 3));
        assertTrue(Long.parseUnsignedLong(first.get(0)) > 0, "a number, as redis-cli parses it: " + first.get(0));
        assertEquals(List.of("0", "user:3"), scan("SCAN", first.get(0), "MATCH", "user:*", "COUNT", "2"));
        assertEquals(List.of("0", "z"), scan("SCAN", "0", "MATCH", "z"));
        assertEquals(List.of("0"), scan("SCAN", "0", "TYPE", "hash"));
        assertEquals(":5\r\n", client.send("DBSIZE"));
    }

    @Test
    void scanGoesOnPastTheStoresScanLimitAndDbsizeCountsEveryKey() {
        int limit = InMemoryGateway.LIMITS.maxScanLimit();
        int keys = limit * 3 + 2;
        for (int i = 0; i < keys; i++) {
            gateway.externalPut(String.format("k%03d", i), "v");
        }
        List<String> seen = new ArrayList<>();
        String cursor = "0";
        for (int round = 0; round < keys + 1; round++) {
            List<String> page = scan("SCAN", cursor, "COUNT", "1000");
            assertTrue(page.size() - 1 <= limit, "a page holds at most the scan limit");
            seen.addAll(page.subList(1, page.size()));
            cursor = page.get(0);
            if (cursor.equals("0")) {
                break;
            }
            gateway.externalPut("k000-new", "written between pages"); // before the cursor: not seen, no harm
        }
        assertEquals("0", cursor);
        assertEquals(keys, seen.size(), "every key once: " + seen);
        assertEquals(":" + (keys + 1) + "\r\n", client.send("DBSIZE"));
    }

    @Test
    void scanErrors() {
        assertTrue(client.send("SCAN", "0", "MATCH", "u?er*").startsWith("-ERR MATCH supports a literal key or a literal prefix"));
        assertTrue(client.send("SCAN", "0", "MATCH", "*user*").startsWith("-ERR MATCH supports"));
        assertTrue(client.send("SCAN", "xyz").startsWith("-ERR invalid cursor"));
        assertTrue(client.send("SCAN", "12345").startsWith("-ERR invalid cursor"), "a cursor this node never gave");
        assertEquals("-ERR syntax error\r\n", client.send("SCAN", "0", "COUNT", "0"));
        assertEquals("-ERR syntax error\r\n", client.send("SCAN", "0", "COUNT"));
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("SCAN", "0", "COUNT", "x"));
    }
}
