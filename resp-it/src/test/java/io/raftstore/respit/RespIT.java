package io.raftstore.respit;

import io.raftstore.harness.LocalCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.providers.PooledConnectionProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis-protocol endpoint of a real three-node cluster (issue 17), driven by clients nobody here wrote:
 * redis-cli, Jedis and Lettuce. AUTH is required (no anonymous access), as on any network. The tests that
 * kill nodes run last and leave the cluster whole again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RespIT {

    private static LocalCluster cluster;
    private static int leader;
    private static int follower;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = LocalCluster.builder("resp-cluster", 9700, 19700).withoutSamples()
                .env("RAFTSTORE_RESP_ANONYMOUS", "none").build();
        wholeAgain();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RedisCli cli(int node, String user, String password) {
        return new RedisCli(cluster.resp(node), user, password);
    }

    private static JedisClientConfig app() {
        return DefaultJedisClientConfig.builder().user("app").password(cluster.appPassword())
                .socketTimeoutMillis(20_000).build();
    }

    private static Jedis jedis(int node) {
        InetSocketAddress a = cluster.resp(node);
        return new Jedis(new HostAndPort(a.getHostString(), a.getPort()), app());
    }

    @Test
    @Order(1)
    void redisCliRunsEveryCommandOnAFollowerAndTheLeaderSeesTheWrites() throws Exception {
        RedisCli f = cli(follower, "app", cluster.appPassword());
        // command, then redis-cli's raw output (nil is an empty line; errors print their text)
        String[][] script = {
            {"PING", "PONG"}, {"ECHO hello", "hello"}, {"SELECT 0", "OK"},
            {"SET cli:a 1", "OK"}, {"GET cli:a", "1"}, {"SET cli:a 2 NX", ""}, {"SET cli:a 3 XX GET", "1"},
            {"GET cli:a", "3"}, {"SETNX cli:b x", "1"}, {"SETNX cli:b y", "0"}, {"GETSET cli:b z", "x"},
            {"MGET cli:a cli:b cli:none", "3\nz\n"}, {"MSET cli:c 1 cli:d 2", "OK"}, {"DEL cli:c cli:d cli:none", "2"},
            {"EXISTS cli:a cli:a cli:none", "2"}, {"INCR cli:n", "1"}, {"INCRBY cli:n 10", "11"}, {"DECR cli:n", "10"},
            {"DECRBY cli:n 4", "6"}, {"STRLEN cli:b", "1"}, {"APPEND cli:b yz", "3"}, {"GET cli:b", "zyz"},
            {"INCR cli:b", "ERR value is not an integer or out of range"},
            {"GET", "ERR wrong number of arguments for 'get' command"},
            {"SELECT 1", "ERR DB index is out of range"},
        };
        for (String[] step : script) {
            String out = f.run(step[0].split(" "));
            if (step[1].startsWith("ERR")) {
                assertTrue(out.startsWith(step[1]), step[0] + " answered: " + out);
            } else {
                assertEquals(step[1], out, step[0]);
            }
        }
        assertTrue(f.run("SET", "cli:e", "v", "EX", "10").startsWith("ERR keys cannot expire"));
        assertTrue(f.run("FLUSHALL").startsWith("ERR unknown command 'FLUSHALL'"));
        assertTrue(Long.parseLong(f.run("DBSIZE")) >= 3);
        assertTrue(Long.parseLong(f.run("CLIENT", "ID")) > 0);
        assertTrue(Long.parseLong(f.run("COMMAND", "COUNT")) >= 30);
        assertTrue(f.run("SCAN", "0", "MATCH", "cli:*", "COUNT", "100").contains("cli:n"));
        for (int i = 0; i < 25; i++) {
            f.run("SET", "scan:" + i, "v");
        }
        // redis-cli follows the cursors itself (as numbers): 25 keys take three pages of its default 10.
        assertEquals(25, f.run("--scan", "--pattern", "scan:*").lines().distinct().count());
        assertEquals(List.of("cli:a", "cli:b", "cli:n"), f.run("--scan", "--pattern", "cli:*").lines().sorted().toList());

        RedisCli l = cli(leader, "app", cluster.appPassword());
        assertEquals("3", l.run("GET", "cli:a"), "the leader sees the follower's write");
        assertEquals("6", cli(6 - leader - follower, "app", cluster.appPassword()).run("GET", "cli:n"));
        assertTrue(l.run("INFO", "replication").contains("role:master"));
        String info = f.run("INFO", "replication");
        assertTrue(info.contains("role:slave") && info.contains("master_port:" + cluster.resp(leader).getPort()), info);
    }

    @Test
    @Order(2)
    void authUsesTheRestUsersAndTheirRoles() throws Exception {
        RedisCli reader = cli(follower, "reader", cluster.readerPassword());
        assertEquals("OK", cli(follower, "app", cluster.appPassword()).run("SET", "auth:k", "v"));
        assertEquals("v", reader.run("GET", "auth:k"));
        assertEquals("NOPERM this user has no permissions to run the 'set' command", reader.run("SET", "auth:k", "x").strip());
        assertTrue(cli(follower, null, null).run("GET", "auth:k").startsWith("NOAUTH"), "no anonymous access");
        String wrong = cli(follower, "app", "not-the-password").run("GET", "auth:k");
        assertTrue(wrong.contains("WRONGPASS") && wrong.contains("NOAUTH"), wrong);
        // An admin of the console holds neither key-value role.
        assertTrue(cli(follower, "admin", cluster.adminPassword()).run("GET", "auth:k").startsWith("NOPERM"));
    }

    @Test
    @Order(3)
    void jedisPipelinesMultiExecAndWatch() {
        try (Jedis j = jedis(follower); Jedis other = jedis(leader)) {
            Pipeline p = j.pipelined();
            List<Response<String>> sets = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                sets.add(p.set("jedis:p" + i, "v" + i));
            }
            Response<String> last = p.get("jedis:p15");
            p.sync();
            sets.forEach(r -> assertEquals("OK", r.get()));
            assertEquals("v15", last.get());
            assertEquals("v7", other.get("jedis:p7"));

            Transaction t = j.multi();
            t.set("jedis:t1", "1");
            t.incr("jedis:t2");
            t.incr("jedis:p0");
            t.get("jedis:t1");
            List<Object> results = t.exec();
            assertEquals("OK", results.get(0));
            assertEquals(1L, results.get(1));
            assertTrue(results.get(2) instanceof JedisDataException, "INCR of text fails in place: " + results.get(2));
            assertEquals("1", results.get(3));

            j.watch("jedis:w");
            other.set("jedis:w", "theirs");
            Transaction lost = j.multi();
            lost.set("jedis:w", "mine");
            assertNull(lost.exec(), "a WATCHed key changed: EXEC writes nothing");
            assertEquals("theirs", other.get("jedis:w"));
        }
    }

    @Test
    @Order(4)
    void aFollowerForwardsWritesByDefaultAndAnswersMovedWhenAsked() {
        try (Jedis j = jedis(follower)) {
            assertEquals("OK", j.set("moved:k", "forwarded"));
            j.sendCommand(Protocol.Command.CLIENT, "REDIRECT", "on");
            JedisMovedDataException moved = assertThrows(JedisMovedDataException.class, () -> j.set("moved:k", "x"));
            assertEquals(cluster.resp(leader).getPort(), moved.getTargetNode().getPort());
            assertEquals("forwarded", j.get("moved:k"), "reads are served where the client is");
            j.sendCommand(Protocol.Command.READONLY);
            assertEquals("forwarded", j.get("moved:k"));
        }
    }

    @Test
    @Order(5)
    void aMalformedFrameClosesOnlyItsConnection() throws Exception {
        InetSocketAddress a = cluster.resp(follower);
        try (Socket s = new Socket(a.getHostString(), a.getPort()); Jedis j = jedis(follower)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n*2\r\n$x\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("-NOAUTH") && answer.contains("-ERR Protocol error"), answer);
            assertEquals("PONG", j.ping());
        }
    }

    /**
     * Lettuce pipelines SETs and INCRs through a follower while the leader is killed: every acknowledged SET is
     * on the survivors and every INCR applied at most once (an INCR of a fresh key that answered is 1, and no
     * key is ever 2), though clients and the node retried across the failover.
     */
    @Test
    @Order(6)
    void lettucePipelineThroughALeaderKillLosesNoAcknowledgedWriteAndAppliesNoneTwice() throws Exception {
        RedisClient client = RedisClient.create(lettuceUri(follower, Duration.ofSeconds(30)));
        int batches = 40;
        List<RedisFuture<String>> sets = new ArrayList<>();
        List<RedisFuture<Long>> incrs = new ArrayList<>();
        int killedLeader = leader;
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> async = c.async();
            c.setAutoFlushCommands(false);
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < 8; i++) {
                    sets.add(async.set("kill:s" + (b * 8 + i), "v" + b));
                }
                for (int i = 0; i < 8; i++) {
                    incrs.add(async.incr("kill:c" + (b * 8 + i)));
                }
                c.flushCommands();
                if (b == batches / 4) {
                    cluster.kill(killedLeader);
                }
            }
            int ackedSets = 0;
            int ackedIncrs = 0;
            for (int i = 0; i < sets.size(); i++) {
                if (answered(sets.get(i)) != null) {
                    ackedSets++;
                }
                Long n = answered(incrs.get(i));
                if (n != null) {
                    assertEquals(1L, n, "INCR of fresh key kill:c" + i);
                    ackedIncrs++;
                }
            }
            assertTrue(ackedSets > batches * 8 / 4 && ackedIncrs > batches * 8 / 4,
                    "writes before the kill were answered: sets " + ackedSets + " incrs " + ackedIncrs);
            c.setAutoFlushCommands(true);
            int newLeader = cluster.awaitLeader(Duration.ofSeconds(60));
            assertNotEquals(killedLeader, newLeader);
            try (Jedis check = jedis(newLeader)) {
                for (int i = 0; i < sets.size(); i++) {
                    if (answered(sets.get(i)) != null) {
                        assertEquals("v" + i / 8, check.get("kill:s" + i), "acknowledged SET kill:s" + i + " lost");
                    }
                    String counter = check.get("kill:c" + i);
                    assertTrue(counter == null || counter.equals("1"), "kill:c" + i + " applied twice: " + counter);
                    if (answered(incrs.get(i)) != null) {
                        assertEquals("1", counter, "acknowledged INCR kill:c" + i + " lost");
                    }
                }
            }
        } finally {
            client.shutdown();
        }
        wholeAgain();
    }

    /** A node restarts: Lettuce reconnects by itself, a Jedis pool opens a new connection. */
    @Test
    @Order(7)
    void clientsReconnectAfterTheirNodeRestarts() throws Exception {
        RedisClient client = RedisClient.create(lettuceUri(follower, Duration.ofSeconds(60)));
        InetSocketAddress a = cluster.resp(follower);
        try (StatefulRedisConnection<String, String> c = client.connect();
             UnifiedJedis pool = new UnifiedJedis(new PooledConnectionProvider(new HostAndPort(a.getHostString(),
                     a.getPort()), app()), 3, Duration.ofSeconds(60))) {
            assertEquals("OK", c.sync().set("restart:k", "before"));
            assertEquals("before", pool.get("restart:k"));
            cluster.kill(follower);
            cluster.start(3);
            assertEquals("OK", c.sync().set("restart:k", "after"), "Lettuce reconnected and wrote");
            assertEquals("after", pool.get("restart:k"), "the pool replaced its dead connection");
        } finally {
            client.shutdown();
        }
    }

    /** Two of three nodes down: no leader, and a client is told CLUSTERDOWN rather than left waiting. */
    @Test
    @Order(8)
    void withoutAQuorumWritesAnswerClusterDown() throws Exception {
        int survivor = follower;
        int first = leader;
        int second = 6 - leader - follower;
        try (Jedis j = jedis(survivor)) {
            cluster.kill(first);
            cluster.kill(second);
            j.sendCommand(Protocol.Command.CLIENT, "REDIRECT", "on");
            JedisClusterException down = null;
            for (int attempt = 0; attempt < 60 && down == null; attempt++) {
                try {
                    j.set("down:k", "v");
                } catch (JedisMovedDataException stillKnown) {
                    TimeUnit.MILLISECONDS.sleep(500); // the old leader is remembered until an election begins
                } catch (JedisClusterException e) {
                    down = e;
                }
            }
            assertTrue(down != null && down.getMessage().startsWith("CLUSTERDOWN"), "CLUSTERDOWN expected: " + down);
        } finally {
            wholeAgain();
        }
    }

    /** Restarts the nodes that are down and picks the leader and the follower the next tests use. */
    private static void wholeAgain() throws InterruptedException {
        cluster.start(3);
        leader = cluster.awaitLeader(Duration.ofSeconds(60));
        follower = leader % 3 + 1;
    }

    private static RedisURI lettuceUri(int node, Duration timeout) {
        InetSocketAddress a = cluster.resp(node);
        return RedisURI.builder().withHost(a.getHostString()).withPort(a.getPort()).withTimeout(timeout)
                .withAuthentication("app", cluster.appPassword().toCharArray()).build();
    }

    /** The future's value, or null when it failed; bounded. */
    private static <T> T answered(RedisFuture<T> future) throws InterruptedException {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            return null;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer in 60 s", e);
        }
    }
}
