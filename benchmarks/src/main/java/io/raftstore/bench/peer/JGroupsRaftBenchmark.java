package io.raftstore.bench.peer;

import io.raftstore.bench.ClosedLoopLoad;
import org.jgroups.JChannel;
import org.jgroups.Version;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.blocks.ReplicatedStateMachine;
import org.jgroups.raft.util.LogCache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The peer RaftStore is measured against (shared/ANCHORS.md), under exactly the load of
 * {@link io.raftstore.bench.LocalApiBenchmark}, so that the two can be run side by side in one session
 * ({@code benchmarks/side-by-side.sh}) and compared as ratios.
 *
 * <p>The same shape as {@code LocalApiBenchmark}, which is what makes the comparison fair: three jgroups-raft
 * members in this one JVM (three {@link JChannel}s over TCP on 127.0.0.1, TCPPING on a static list, ports
 * {@code basePort+1..3}), each a {@link ReplicatedStateMachine} (jgroups-raft's replicated key→value map) on
 * RAFT with its default log, {@code FileBasedLog}, in a fresh temporary directory with
 * {@code log_use_fsync=true} (RAFT's default is false), deleted at the end. Once a leader is elected, the
 * closed-loop clients of {@link ClosedLoopLoad} (16-byte keys over 10,000 keys, 100-byte values, a warm-up
 * then a measured window per client count) call the leader's {@code put}, which returns once the write is
 * committed and applied on the leader, the same contract as RaftStore's local write on its leader. The
 * table is {@link ClosedLoopLoad.Result}'s.
 *
 * <p>What differs from the ANCHORS runs: those had one member per JVM; here the three share one, as our
 * nodes do in {@code LocalApiBenchmark}. The stack is jgroups-raft's own default (raft.xml) with UDP and
 * multicast discovery replaced by TCP and TCPPING on loopback, Nagle off ({@code tcp_nodelay}, as RaftStore
 * has it), diagnostics off, and no CLIENT protocol (no client goes over the network).
 *
 * <p>jgroups-raft needs the JGroups it was released against (5.4), not the node's, so this class runs in its
 * own JVM on {@code benchmarks/target/classes} plus {@code benchmarks/target/peer-lib/*}, which the build's
 * package phase fills; nothing of RaftStore but {@link ClosedLoopLoad} (JDK only) is loaded.
 *
 * <p>Usage: {@code java -cp 'benchmarks/target/classes:benchmarks/target/peer-lib/*'
 * io.raftstore.bench.peer.JGroupsRaftBenchmark 1,16,64 5 20 19950}
 */
public final class JGroupsRaftBenchmark {

    private static final String[] IDS = {"A", "B", "C"};
    /** FD_SOCK2 listens at its member's port plus this, which keeps every listening port within 100 of the base. */
    private static final int FD_SOCK_OFFSET = 20;

    private JGroupsRaftBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ClosedLoopLoad.Plan plan = ClosedLoopLoad.Plan.fromArgs(args, 0);
        int basePort = args.length > 3 ? Integer.parseInt(args[3]) : 19950;
        Path dir = Files.createTempDirectory("jgroups-raft-bench");
        List<JChannel> channels = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable cleanup = () -> {
            if (closed.compareAndSet(false, true)) {
                for (int i = channels.size() - 1; i >= 0; i--) {
                    channels.get(i).close();
                }
                deleteTree(dir);
            }
        };
        // A run stopped by a signal (the side-by-side script's time limit) still closes and deletes.
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "jgroups-raft-bench-cleanup"));
        try {
            List<ReplicatedStateMachine<String, byte[]>> machines = new ArrayList<>();
            for (int i = 0; i < IDS.length; i++) {
                Path logDir = Files.createDirectories(dir.resolve(IDS[i]));
                JChannel ch = new JChannel(new ByteArrayInputStream(
                        stack(basePort, i, logDir).getBytes(StandardCharsets.UTF_8)));
                channels.add(ch);
                ch.name(IDS[i]);
                // Registers itself as RAFT's state machine; must exist before the channel connects.
                machines.add(new ReplicatedStateMachine<String, byte[]>(ch).raftId(IDS[i]));
            }
            for (JChannel ch : channels) {
                ch.connect("jgroups-raft-bench-" + basePort);
            }
            int leader = awaitLeader(channels);
            RAFT raft = raft(channels.get(leader));
            Log log = raft.log() instanceof LogCache cache ? cache.log() : raft.log(); // RAFT wraps its log in a cache
            System.out.println("jgroups-raft " + raftVersion() + " on JGroups " + Version.printVersion() + ", log "
                    + log.getClass().getSimpleName() + ", fsync " + (log.useFsync() ? "on" : "off"));
            if (!log.useFsync()) {
                throw new IllegalStateException("the log does not fsync: the comparison would not be fair");
            }
            System.out.println("clients on " + IDS[leader] + " (the leader)");
            ReplicatedStateMachine<String, byte[]> rsm = machines.get(leader);
            ClosedLoopLoad.Write put = (key, value) -> {
                rsm.put(key, value);
                return true;
            };
            plan.runAndPrint(put);
        } finally {
            cleanup.run();
        }
    }

    /** jgroups-raft's default stack (its raft.xml), on TCP and TCPPING over 127.0.0.1. */
    static String stack(int basePort, int index, Path logDir) {
        StringBuilder hosts = new StringBuilder();
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < IDS.length; i++) {
            hosts.append(i == 0 ? "" : ",").append("127.0.0.1[").append(basePort + 1 + i).append(']');
            members.append(i == 0 ? "" : ",").append(IDS[i]);
        }
        return """
                <config xmlns="urn:org:jgroups">
                  <TCP bind_addr="127.0.0.1" bind_port="%1$d" port_range="0" diag.enabled="false" tcp_nodelay="true"/>
                  <TCPPING initial_hosts="%2$s" port_range="0"/>
                  <MERGE3 min_interval="10000" max_interval="30000"/>
                  <FD_SOCK2 bind_addr="127.0.0.1" offset="%3$d" port_range="0"/>
                  <FD_ALL3/>
                  <VERIFY_SUSPECT2 timeout="1500"/>
                  <pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="500"/>
                  <UNICAST3 xmit_interval="500" conn_expiry_timeout="0"/>
                  <pbcast.STABLE desired_avg_gossip="50000" max_bytes="4M"/>
                  <raft.NO_DUPES/>
                  <pbcast.GMS print_local_addr="false" join_timeout="2000"/>
                  <UFC max_credits="2M" min_threshold="0.4"/>
                  <MFC max_credits="2M" min_threshold="0.4"/>
                  <FRAG4 frag_size="60000"/>
                  <raft.ELECTION/>
                  <raft.RAFT members="%4$s" raft_id="%5$s" log_dir="%6$s" log_use_fsync="true"/>
                  <raft.REDIRECT/>
                </config>
                """.formatted(basePort + 1 + index, hosts, FD_SOCK_OFFSET, members, IDS[index], logDir);
    }

    private static RAFT raft(JChannel ch) {
        return ch.getProtocolStack().findProtocol(RAFT.class);
    }

    /** The member that leads once all three agree on it; 30 s at most. */
    private static int awaitLeader(List<JChannel> channels) throws InterruptedException {
        for (int waited = 0; waited < 300; waited++) {
            int leader = -1;
            boolean agreed = true;
            for (int i = 0; i < channels.size(); i++) {
                RAFT r = raft(channels.get(i));
                if (r.isLeader()) {
                    leader = i;
                }
                agreed &= r.leader() != null;
            }
            if (leader >= 0 && agreed) {
                return leader;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no jgroups-raft leader within 30 s");
    }

    /** From the jar's Maven metadata (its manifest has no version). */
    private static String raftVersion() {
        try (InputStream in = RAFT.class.getResourceAsStream("/META-INF/maven/org.jgroups/jgroups-raft/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
