package io.raftstore.resp.command;

import io.raftstore.api.spi.ClientRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionWriterTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final Dispatcher dispatcher = TestConnection.dispatcher(gateway);
    private final TestConnection client = new TestConnection(dispatcher);

    @Test
    void everyWriteIsTheNextSequenceOfTheConnectionsClient() {
        client.send("SET", "a", "1");
        client.send("INCR", "n");
        client.send("MSET", "b", "2", "c", "3");
        TestConnection other = new TestConnection(dispatcher);
        other.send("DEL", "a");
        List<ClientRequest> sent = gateway.clientRequests;
        long id = client.session.clientId();
        assertEquals(List.of(new ClientRequest(id, 1), new ClientRequest(id, 2), new ClientRequest(id, 3)), sent.subList(0, 3));
        assertNotEquals(id, other.session.clientId());
        assertEquals(new ClientRequest(other.session.clientId(), 1), sent.get(3));
    }

    @Test
    void aLostAnswerIsResentUnderTheSameSequence() {
        gateway.loseNextAnswers(1);
        assertEquals(":1\r\n", client.send("INCR", "n"));
        assertEquals("1", gateway.value("n"), "applied once");
        assertTrue(gateway.requests.contains("repeated 1"));
    }

    @Test
    void theClientsRetryOfAnUnansweredWriteAppliesOnce() {
        gateway.loseNextAnswers(SessionWriter.SENDS_PER_WRITE);
        String reply = client.send("INCR", "n");
        assertTrue(reply.startsWith("-ERR store unavailable: the leader was lost before it answered; the write may"), reply);
        assertEquals("1", gateway.value("n"));
        assertEquals(":1\r\n", client.send("INCR", "n"), "the retry answers the first outcome");
        assertEquals("1", gateway.value("n"));
        assertEquals(":2\r\n", client.send("INCR", "n"), "a later INCR is a new write");
    }

    @Test
    void aDifferentWriteAfterAnUnansweredOneTakesTheNextSequence() {
        gateway.loseNextAnswers(SessionWriter.SENDS_PER_WRITE);
        client.send("SET", "k", "1");
        assertEquals("+OK\r\n", client.send("SET", "k", "2"));
        assertEquals("2", gateway.value("k"));
        long id = client.session.clientId();
        assertEquals(new ClientRequest(id, 2), gateway.clientRequests.get(gateway.clientRequests.size() - 1));
    }
}
