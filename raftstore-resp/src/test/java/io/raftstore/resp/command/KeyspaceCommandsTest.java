package io.raftstore.resp.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final TestConnection client = new TestConnection(TestConnection.dispatcher(gateway));

    private static String cursor(String key) {
        return HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void scanPagesThroughAPrefix() {
        for (String k : new String[] {"a", "user:1", "user:2", "user:3", "z"}) {
            gateway.externalPut(k, "v");
        }
        String c = cursor("user:2");
        assertEquals("*2\r\n$" + c.length() + "\r\n" + c + "\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n",
                client.send("SCAN", "0", "MATCH", "user:*", "COUNT", "2"));
        assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$6\r\nuser:3\r\n", client.send("SCAN", c, "MATCH", "user:*", "COUNT", "2"));
        assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nz\r\n", client.send("SCAN", "0", "MATCH", "z"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", client.send("SCAN", "0", "TYPE", "hash"));
        assertEquals(":5\r\n", client.send("DBSIZE"));
    }

    @Test
    void scanErrors() {
        assertTrue(client.send("SCAN", "0", "MATCH", "u?er*").startsWith("-ERR MATCH supports a literal key or a literal prefix"));
        assertTrue(client.send("SCAN", "0", "MATCH", "*user*").startsWith("-ERR MATCH supports"));
        assertTrue(client.send("SCAN", "xyz").startsWith("-ERR invalid cursor"));
        assertEquals("-ERR syntax error\r\n", client.send("SCAN", "0", "COUNT", "0"));
        assertEquals("-ERR syntax error\r\n", client.send("SCAN", "0", "COUNT"));
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("SCAN", "0", "COUNT", "x"));
    }

    @Test
    void scanSaysWhenItReachesTheStoresScanLimit() {
        int limit = InMemoryGateway.LIMITS.maxScanLimit();
        for (int i = 0; i <= limit; i++) {
            gateway.externalPut("k" + i, "v");
        }
        String first = client.send("SCAN", "0", "COUNT", Integer.toString(limit));
        String c = cursor("k" + (limit - 1));
        assertTrue(first.startsWith("*2\r\n$" + c.length() + "\r\n" + c + "\r\n*" + limit + "\r\n"), first);
        String next = client.send("SCAN", c);
        assertTrue(next.startsWith("-ERR SCAN reached the store's scan limit of 5 keys for prefix ''"), next);
        assertEquals(":" + limit + "\r\n", client.send("DBSIZE"), "DBSIZE counts at most the scan limit");
    }
}
