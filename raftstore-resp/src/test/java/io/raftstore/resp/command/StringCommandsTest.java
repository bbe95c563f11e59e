package io.raftstore.resp.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StringCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final TestConnection client = new TestConnection(TestConnection.dispatcher(gateway));

    @Test
    void setAndGet() {
        assertEquals("+OK\r\n", client.send("SET", "k", "v"));
        assertEquals("$1\r\nv\r\n", client.send("get", "k"));
        assertEquals("$-1\r\n", client.send("GET", "missing"));
        assertEquals("[execute Put k, read k, read missing]", gateway.requests.toString(), "a plain SET is one put");
    }

    @Test
    void setOptions() {
        assertEquals("$-1\r\n", client.send("SET", "k", "1", "XX"));
        assertEquals(null, gateway.value("k"));
        assertEquals("+OK\r\n", client.send("SET", "k", "1", "NX"));
        assertEquals("$-1\r\n", client.send("SET", "k", "2", "NX"));
        assertEquals("$1\r\n1\r\n", client.send("SET", "k", "3", "XX", "GET"));
        assertEquals("3", gateway.value("k"));
        assertEquals("$1\r\n3\r\n", client.send("SET", "k", "4", "NX", "GET"), "NX GET answers the old value, unset");
        assertEquals("+OK\r\n", client.send("SET", "k", "5", "KEEPTTL"));
        assertEquals("-ERR syntax error\r\n", client.send("SET", "k", "1", "NX", "XX"));
        assertEquals("-ERR syntax error\r\n", client.send("SET", "k", "1", "FOREVER"));
        assertEquals("-ERR keys cannot expire in RaftStore yet: SET with EX is not supported; set the key without an expiry\r\n",
                client.send("SET", "k", "1", "ex", "10"));
        assertEquals("5", gateway.value("k"));
    }

    @Test
    void setnxGetsetAppendStrlen() {
        assertEquals(":1\r\n", client.send("SETNX", "k", "a"));
        assertEquals(":0\r\n", client.send("SETNX", "k", "b"));
        assertEquals("$1\r\na\r\n", client.send("GETSET", "k", "bc"));
        assertEquals("$-1\r\n", client.send("GETSET", "new", "x"));
        assertEquals(":5\r\n", client.send("APPEND", "k", "def"));
        assertEquals(":3\r\n", client.send("APPEND", "fresh", "xyz"));
        assertEquals(":5\r\n", client.send("STRLEN", "k"));
        assertEquals(":0\r\n", client.send("STRLEN", "nothing"));
        assertEquals("bcdef", gateway.value("k"));
    }

    @Test
    void appendRetriesWhenAnotherWriterGetsInBetween() {
        gateway.externalPut("k", "a");
        gateway.beforeNextBatch(() -> gateway.externalPut("k", "XY"));
        assertEquals(":3\r\n", client.send("APPEND", "k", "b"));
        assertEquals("XYb", gateway.value("k"), "the append ran again on the value the other writer left");
    }

    @Test
    void msetIsOneBatchAndMgetReadsEach() {
        assertEquals("+OK\r\n", client.send("MSET", "a", "1", "b", "2"));
        assertEquals(1, gateway.requests.stream().filter(r -> r.equals("batch 0+2")).count());
        assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", client.send("MGET", "a", "zz", "b"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", client.send("MSET", "a", "1", "b"));
    }

    @Test
    void delAndExists() {
        client.send("MSET", "a", "1", "b", "2");
        assertEquals(":3\r\n", client.send("EXISTS", "a", "b", "a", "c"));
        assertEquals(":1\r\n", client.send("DEL", "a"));
        assertEquals(":1\r\n", client.send("DEL", "a", "b", "c"));
        assertEquals(":0\r\n", client.send("EXISTS", "a", "b"));
    }

    @Test
    void theStoresErrorsKeepTheConnectionUsable() {
        String tooLarge = "x".repeat(InMemoryGateway.LIMITS.maxValueBytes() + 1);
        String reply = client.send("SET", "k", tooLarge);
        assertTrue(reply.startsWith("-ERR value of 65 bytes for key 'k' exceeds the store's limit of 64 bytes"), reply);
        reply = client.send("GETSET", "k", tooLarge);
        assertTrue(reply.startsWith("-ERR a value of 65 bytes"), reply);
        reply = client.send("GET", "bad\u0001key");
        assertTrue(reply.startsWith("-ERR invalid key: 'bad?key' holds control character U+0001"), reply);
        reply = client.sendBytes("GET".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xff});
        assertTrue(reply.startsWith("-ERR invalid key: RaftStore keys are UTF-8 text"), reply);
        assertEquals("+PONG\r\n", client.send("PING"));
    }
}
