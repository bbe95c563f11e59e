package io.raftstore.resp.command;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerCommandsTest {

    private final InMemoryGateway gateway = new InMemoryGateway();

    private static LeaderDirectory follower(Optional<String> leader) {
        return new LeaderDirectory() {
            @Override
            public boolean localIsLeader() {
                return false;
            }

            @Override
            public Optional<String> leaderEndpoint() {
                return leader;
            }

            @Override
            public Map<String, String> replicationInfo() {
                return Map.of("raftstore_term", "7");
            }
        };
    }

    @Test
    void infoOnAFollowerNamesTheLeaderAsMasterAndTheRaftPosition() {
        TestConnection c = new TestConnection(TestConnection.dispatcher(gateway, Authenticator.none(),
                follower(Optional.of("10.0.0.2:6382"))));
        String info = c.send("INFO", "replication");
        assertTrue(info.contains("# Replication\r\nrole:slave\r\nmaster_host:10.0.0.2\r\nmaster_port:6382\r\n"
                + "master_link_status:up\r\nraftstore_term:7\r\n"), info);
        assertFalse(info.contains("# Server"), info);
    }

    @Test
    void infoWithoutALeaderSaysTheLinkIsDownAndOnTheLeaderSaysMaster() {
        TestConnection follower = new TestConnection(TestConnection.dispatcher(gateway, Authenticator.none(),
                follower(Optional.empty())));
        assertTrue(follower.send("INFO").contains("master_link_status:down"));
        TestConnection leader = new TestConnection(TestConnection.dispatcher(gateway));
        String info = leader.send("INFO");
        assertTrue(info.contains("# Server\r\nredis_version:") && info.contains("role:master\r\n"), info);
        assertEquals("$0\r\n\r\n", leader.send("INFO", "keyspace"), "an unknown section gives nothing, as in Redis");
    }

    @Test
    void configGetDescribesTheDurabilityAndConfigSetSaysWhereSettingsLive() {
        TestConnection c = new TestConnection(TestConnection.dispatcher(gateway));
        assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", c.send("CONFIG", "GET", "save"));
        assertEquals("*2\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n", c.send("CONFIG", "GET", "APPENDONLY"));
        assertEquals("*0\r\n", c.send("CONFIG", "GET", "maxmemory"));
        assertTrue(c.send("CONFIG", "SET", "save", "").startsWith("-ERR CONFIG SET is not supported"));
    }
}
