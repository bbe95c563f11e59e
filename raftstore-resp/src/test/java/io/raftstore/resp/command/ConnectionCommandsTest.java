package io.raftstore.resp.command;

import io.raftstore.api.ReadConsistency;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final TestConnection client = new TestConnection(TestConnection.dispatcher(gateway));

    @Test
    void pingEchoSelect() {
        assertEquals("+PONG\r\n", client.send("PING"));
        assertEquals("$2\r\nhi\r\n", client.send("ping", "hi"));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", client.send("PING", "a", "b"));
        assertEquals("$5\r\nhello\r\n", client.send("ECHO", "hello"));
        assertEquals("+OK\r\n", client.send("SELECT", "0"));
        assertTrue(client.send("SELECT", "1").startsWith("-ERR DB index is out of range"));
        assertEquals("-ERR value is not an integer or out of range\r\n", client.send("SELECT", "x"));
    }

    @Test
    void standardErrorTexts() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b c' \r\n", client.send("foo", "a", "b c"));
        assertEquals("-ERR unknown command 'FOO', with args beginning with: \r\n", client.send("FOO"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", client.send("GET"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", client.send("GET", "a", "b"));
    }

    @Test
    void clientSubcommands() {
        assertEquals("$-1\r\n", client.send("CLIENT", "GETNAME"));
        assertEquals("+OK\r\n", client.send("CLIENT", "SETNAME", "worker-1"));
        assertEquals("$8\r\nworker-1\r\n", client.send("CLIENT", "GETNAME"));
        assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                client.send("CLIENT", "SETNAME", "a b"));
        assertEquals(":" + client.session.id() + "\r\n", client.send("CLIENT", "ID"));
        assertEquals("+OK\r\n", client.send("CLIENT", "SETINFO", "LIB-NAME", "jedis"));
        assertEquals("-ERR wrong number of arguments for 'client|id' command\r\n", client.send("CLIENT", "ID", "x"));
        assertEquals("-ERR unknown subcommand 'kill'. Try CLIENT HELP.\r\n", client.send("CLIENT", "kill"));
        assertTrue(client.send("CLIENT", "REDIRECT", "maybe").startsWith("-ERR CLIENT REDIRECT takes ON"));
    }

    @Test
    void helloSwitchesToResp3() {
        String hello = client.send("HELLO", "3", "SETNAME", "lettuce");
        assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$9\r\nraftstore\r\n"), hello);
        assertTrue(hello.contains("$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:" + client.session.id() + "\r\n"), hello);
        assertTrue(hello.contains("$4\r\nrole\r\n$6\r\nmaster\r\n"), hello);
        assertEquals("_\r\n", client.send("GET", "missing"), "RESP3's null");
        assertEquals("$7\r\nlettuce\r\n", client.send("CLIENT", "GETNAME"));
        assertTrue(client.send("HELLO", "2").startsWith("*14\r\n"), "RESP2 answers the map as a flat array");
        assertEquals("-NOPROTO unsupported protocol version\r\n", client.send("HELLO", "4"));
        assertEquals("-ERR Protocol version is not an integer or out of range\r\n", client.send("HELLO", "x"));
        assertEquals("-ERR Syntax error in HELLO option 'bogus'\r\n", client.send("HELLO", "3", "bogus"));
        assertEquals(2, client.session.protocol(), "a failed HELLO changes nothing");
    }

    @Test
    void commandAnswersWhatClientsAsk() {
        int count = TestConnection.dispatcher(gateway).registry().all().size();
        assertEquals(":" + count + "\r\n", client.send("COMMAND", "COUNT"));
        assertEquals("*1\r\n*6\r\n$3\r\nget\r\n:2\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n",
                client.send("COMMAND", "INFO", "get"));
        assertEquals("*1\r\n*-1\r\n", client.send("COMMAND", "INFO", "nosuch"));
        assertEquals("*0\r\n", client.send("COMMAND", "DOCS"));
        assertTrue(client.send("COMMAND").startsWith("*" + count + "\r\n"));
    }

    @Test
    void quitAsksToClose() {
        assertFalse(client.session.closeRequested());
        assertEquals("+OK\r\n", client.send("QUIT"));
        assertTrue(client.session.closeRequested());
    }

    @Test
    void readonlyReadsStale() {
        client.send("GET", "k");
        client.send("READONLY");
        client.send("GET", "k");
        client.send("READWRITE");
        client.send("GET", "k");
        assertEquals("[LINEARIZABLE, STALE, LINEARIZABLE]", gateway.readConsistencies.toString());
        assertEquals(ReadConsistency.LINEARIZABLE, client.session.readConsistency());
    }

    @Test
    void authenticationAndRoles() {
        Map<String, Set<Role>> users = Map.of("alice", EnumSet.of(Role.WRITER), "bob", EnumSet.of(Role.READER));
        Authenticator auth = new Authenticator() {
            @Override
            public Set<Role> anonymousRoles() {
                return Set.of();
            }

            @Override
            public Optional<Set<Role>> authenticate(String user, String password) {
                return password.equals("pw") ? Optional.ofNullable(users.get(user)) : Optional.empty();
            }
        };
        TestConnection c = new TestConnection(TestConnection.dispatcher(gateway, auth, LeaderDirectory.alwaysLeader("h:1")));
        assertEquals("-NOAUTH Authentication required.\r\n", c.send("GET", "k"));
        assertEquals("-NOAUTH Authentication required.\r\n", c.send("PING"));
        assertTrue(c.send("HELLO", "3").startsWith("-NOAUTH HELLO must be called with the client already authenticated"));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.send("AUTH", "bob", "nope"));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.send("AUTH", "pw"));
        assertEquals("+OK\r\n", c.send("AUTH", "bob", "pw"));
        assertEquals("$-1\r\n", c.send("GET", "k"));
        assertEquals("-NOPERM this user has no permissions to run the 'set' command\r\n", c.send("SET", "k", "v"));
        assertTrue(c.send("HELLO", "3", "AUTH", "alice", "pw").startsWith("%7"));
        assertEquals("+OK\r\n", c.send("SET", "k", "v"));
        assertEquals(1, gateway.writes());
    }

    @Test
    void redirectionOnAFollower() {
        String[] leader = {"10.0.0.1:6381"};
        LeaderDirectory follower = new LeaderDirectory() {
            @Override
            public boolean localIsLeader() {
                return false;
            }

            @Override
            public Optional<String> leaderEndpoint() {
                return Optional.ofNullable(leader[0]);
            }
        };
        TestConnection c = new TestConnection(TestConnection.dispatcher(gateway, Authenticator.none(), follower));
        assertEquals("+OK\r\n", c.send("SET", "k", "v"), "forwarded by default");
        assertEquals("+OK\r\n", c.send("CLIENT", "REDIRECT", "on"));
        assertEquals("-MOVED 0 10.0.0.1:6381\r\n", c.send("SET", "k", "w"));
        assertEquals("-MOVED 0 10.0.0.1:6381\r\n", c.send("INCR", "n"));
        assertEquals("$1\r\nv\r\n", c.send("GET", "k"), "reads stay on this node");
        leader[0] = null;
        assertEquals("-CLUSTERDOWN The cluster is down\r\n", c.send("SET", "k", "w"));
        assertEquals("+OK\r\n", c.send("CLIENT", "REDIRECT", "off"));
        gateway.failNext(1);
        assertEquals("-CLUSTERDOWN The cluster is down\r\n", c.send("SET", "k", "w"), "the store found no leader");
        assertEquals("v", gateway.value("k"));
    }

    @Test
    void storeUnavailableWithALeaderKnownSaysWhatToDo() {
        gateway.failNext(1);
        String reply = client.send("GET", "k");
        assertTrue(reply.startsWith("-ERR store unavailable: no leader is known; nothing was written. Retry after"), reply);
    }
}
