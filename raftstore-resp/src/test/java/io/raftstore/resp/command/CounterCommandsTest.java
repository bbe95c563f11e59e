package io.raftstore.resp.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CounterCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final TestConnection client = new TestConnection(TestConnection.dispatcher(gateway));

    @Test
    void countersAreTheStoresIncrements() {
        assertEquals(":1\r\n", client.send("INCR", "c"));
        assertEquals(":6\r\n", client.send("INCRBY", "c", "5"));
        assertEquals(":5\r\n", client.send("DECR", "c"));
        assertEquals(":-5\r\n", client.send("DECRBY", "c", "10"));
        assertEquals("-5", gateway.value("c"));
        assertEquals(4, gateway.requests.stream().filter(r -> r.equals("execute Increment c")).count(),
                "one store increment each, no read");
    }

    @Test
    void notAnInteger() {
        gateway.externalPut("s", "abc");
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("INCR", "s"));
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("INCRBY", "c", "1.5"));
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("INCRBY", "c", "+1"));
        assertEquals("-ERR decrement would overflow\r\n", client.send("DECRBY", "c", Long.toString(Long.MIN_VALUE)));
        gateway.externalPut("max", Long.toString(Long.MAX_VALUE));
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("INCR", "max"));
        assertEquals("-ERR wrong number of arguments for 'incr' command\r\n", client.send("INCR"));
    }
}
