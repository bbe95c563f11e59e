package io.raftstore.resp.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final TestConnection client = new TestConnection(TestConnection.dispatcher(gateway));

    @Test
    void execRunsTheQueueAsOneBatch() {
        gateway.externalPut("b", "x");
        assertEquals("+OK\r\n", client.send("MULTI"));
        assertEquals("+QUEUED\r\n", client.send("SET", "a", "1"));
        assertEquals("+QUEUED\r\n", client.send("INCR", "a"));
        assertEquals("+QUEUED\r\n", client.send("GET", "a"));
        assertEquals("+QUEUED\r\n", client.send("DEL", "b", "c"));
        assertEquals(0, gateway.writes(), "nothing runs before EXEC");
        assertEquals("*4\r\n+OK\r\n:2\r\n$1\r\n2\r\n:1\r\n", client.send("EXEC"));
        assertEquals(1, gateway.writes(), "one atomic batch");
        assertEquals("2", gateway.value("a"));
        assertEquals(null, gateway.value("b"));
    }

    @Test
    void aCommandFailingInsideExecFailsAlone() {
        client.send("MULTI");
        client.send("SET", "s", "abc");
        client.send("INCR", "s");
        client.send("SET", "t", "1");
        assertEquals("*3\r\n+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", client.send("EXEC"));
        assertEquals("1", gateway.value("t"));
    }

    @Test
    void queueingErrorsDiscardTheTransaction() {
        client.send("MULTI");
        client.send("SET", "a", "1");
        assertTrue(client.send("NOSUCH").startsWith("-ERR unknown command"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", client.send("EXEC"));
        client.send("MULTI");
        assertTrue(client.send("SCAN", "0").startsWith("-ERR 'scan' cannot be queued in MULTI"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", client.send("EXEC"));
        client.send("MULTI");
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", client.send("GET"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", client.send("EXEC"));
        assertEquals(0, gateway.writes());
    }

    @Test
    void controlErrors() {
        assertEquals("-ERR EXEC without MULTI\r\n", client.send("EXEC"));
        assertEquals("-ERR DISCARD without MULTI\r\n", client.send("DISCARD"));
        client.send("MULTI");
        assertEquals("-ERR MULTI calls can not be nested\r\n", client.send("MULTI"));
        assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", client.send("WATCH", "k"));
        client.send("SET", "k", "v");
        assertEquals("+OK\r\n", client.send("DISCARD"));
        assertEquals("*0\r\n", sendEmptyTransaction());
        assertEquals(0, gateway.writes());
    }

    private String sendEmptyTransaction() {
        client.send("MULTI");
        return client.send("EXEC");
    }

    @Test
    void aWatchedKeyChangedBeforeExecAborts() {
        gateway.externalPut("k", "old");
        assertEquals("+OK\r\n", client.send("WATCH", "k", "absent"));
        gateway.externalPut("k", "theirs");
        client.send("MULTI");
        client.send("SET", "k", "mine");
        assertEquals("*-1\r\n", client.send("EXEC"));
        assertEquals("theirs", gateway.value("k"));
        client.send("MULTI");
        client.send("SET", "k", "mine");
        assertEquals("*1\r\n+OK\r\n", client.send("EXEC"), "EXEC ended the WATCH");
    }

    @Test
    void aWatchedKeyChangedDuringExecAborts() {
        client.send("WATCH", "k");
        client.send("MULTI");
        client.send("SET", "k", "mine");
        gateway.beforeNextBatch(() -> gateway.externalPut("k", "theirs"));
        assertEquals("*-1\r\n", client.send("EXEC"));
        assertEquals("theirs", gateway.value("k"));
        assertTrue(gateway.requests.contains("batch 1+1"), "the watched key was a condition of the batch");
    }

    @Test
    void aKeyOnlyReadIsRetriedOnConflict() {
        gateway.externalPut("c", "1");
        client.send("MULTI");
        client.send("INCR", "c");
        gateway.beforeNextBatch(() -> gateway.externalPut("c", "10"));
        assertEquals("*1\r\n:11\r\n", client.send("EXEC"));
        assertEquals("11", gateway.value("c"));
    }

    @Test
    void unwatchForgets() {
        client.send("WATCH", "k");
        gateway.externalPut("k", "theirs");
        client.send("UNWATCH");
        client.send("MULTI");
        client.send("SET", "k", "mine");
        assertEquals("*1\r\n+OK\r\n", client.send("EXEC"));
    }

    @Test
    void aTransactionLargerThanABatchIsRefused() {
        client.send("MULTI");
        for (int i = 0; i <= InMemoryGateway.LIMITS.maxBatchSize(); i++) {
            client.send("SET", "k" + i, "v");
        }
        String reply = client.send("EXEC");
        assertTrue(reply.startsWith("-ERR this needs 0 conditions (keys read or watched) and 11 writes"), reply);
        assertEquals(0, gateway.writes());
    }
}
