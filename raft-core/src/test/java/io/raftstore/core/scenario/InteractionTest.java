package io.raftstore.core.scenario;

import io.raftstore.core.ConfigChange;
import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.core.RaftConfig;
import io.raftstore.core.RaftException;
import io.raftstore.core.ReadConsistency;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden-file interaction tests, in the manner of etcd's raft {@code testdata/}: each file under
 * {@value #DIRECTORY} is a script of commands for a {@link TestCluster}, each followed by {@code ----} and
 * what the cluster printed while running it — every message as it is delivered ({@link MessageLine}), role
 * changes, entries applied, reads released — then a blank line. The test runs every script and compares
 * the whole output with the file ({@code tick N} shows each distinct line once). After a deliberate change of behaviour, rewrite the files and read the
 * diff: {@code mvn -o -q -pl raft-core test -Dtest=InteractionTest -Dinteraction.rewrite=true}.
 *
 * <p>Commands: {@code cluster N [no-prevote] [no-checkquorum]}, {@code campaign ID}, {@code tick N} (every
 * live node, delivering between ticks), {@code tick ID N} (one node, nothing delivered), {@code propose ID
 * VALUE...}, {@code read ID}, {@code stabilize}, {@code isolate ID}, {@code partition ID...} (those against
 * the rest), {@code heal}, {@code crash ID}, {@code restart ID}, {@code transfer ID TARGET}, {@code compact
 * ID} (snapshot and compact the whole log), {@code join ID} (start a node with no membership),
 * {@code add-learner ID NEW}, {@code promote ID LEARNER}, {@code remove ID MEMBER}, {@code status}. Lines
 * starting with {@code #} are comments, kept as they are.
 */
class InteractionTest {

    static final String DIRECTORY = "src/test/resources/interaction";

    @TestFactory
    Stream<DynamicTest> everyScriptPrintsWhatItsGoldenFileSays() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(Path.of(DIRECTORY))) {
            scripts = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        if (scripts.isEmpty()) {
            throw new AssertionError("no scripts in " + Path.of(DIRECTORY).toAbsolutePath());
        }
        return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
    }

    private static void run(Path script) throws IOException {
        String expected = Files.readString(script, StandardCharsets.UTF_8);
        String actual = new Interpreter().run(expected);
        if (Boolean.getBoolean("interaction.rewrite")) {
            Files.writeString(script, actual, StandardCharsets.UTF_8);
        } else {
            assertEquals(expected, actual, script + " differs; if the change is meant, rewrite it with"
                    + " -Dinteraction.rewrite=true and read the diff");
        }
    }

    /** Runs a script's commands, replacing what follows each {@code ----} with what the cluster printed. */
    static final class Interpreter {
        private TestCluster cluster;
        private final List<String> out = new ArrayList<>();
        private long nextRead = 1;

        String run(String script) {
            StringBuilder result = new StringBuilder();
            List<String> lines = script.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    result.append(line).append('\n');
                    continue;
                }
                out.clear();
                try {
                    execute(line.trim().split("\\s+"));
                } catch (RaftException | IllegalArgumentException | IllegalStateException e) {
                    out.add("error: " + e.getMessage());
                }
                result.append(line).append("\n----\n");
                out.forEach(o -> result.append(o).append('\n'));
                if (out.isEmpty()) {
                    result.append("ok\n");
                }
                // Skip the old output: up to the blank line that ends it.
                if (i + 1 < lines.size() && lines.get(i + 1).equals("----")) {
                    i++;
                    while (i + 1 < lines.size() && !lines.get(i + 1).isBlank()) {
                        i++;
                    }
                }
            }
            return result.toString();
        }

        private void execute(String[] c) {
            switch (c[0]) {
                case "cluster" -> {
                    List<String> flags = Arrays.asList(c).subList(2, c.length);
                    Function<RaftConfig, RaftConfig> tune = cfg -> cfg.withPreVoteAndCheckQuorum(
                            !flags.contains("no-prevote"), !flags.contains("no-checkquorum"));
                    cluster = new TestCluster(Integer.parseInt(c[1]), tune);
                    cluster.trace = out::add;
                }
                case "campaign" -> {
                    cluster.tick(c[1], 2 * cluster.node(c[1]).config.electionTicks());
                    cluster.stabilize();
                }
                case "tick" -> {
                    if (c.length == 3) {
                        cluster.tick(c[1], Integer.parseInt(c[2]));
                    } else {
                        cluster.tick(Integer.parseInt(c[1]));
                    }
                    dropRepeats();
                }
                case "propose" -> {
                    for (int v = 2; v < c.length; v++) {
                        cluster.node(c[1]).raft.propose(TestCluster.bytes(c[v]));
                    }
                    cluster.stabilize();
                }
                case "read" -> {
                    cluster.node(c[1]).raft.read(nextRead++, ReadConsistency.LINEARIZABLE);
                    cluster.stabilize();
                }
                case "stabilize" -> cluster.stabilize();
                case "isolate" -> cluster.isolate(c[1]);
                case "partition" -> cluster.partition(Arrays.asList(c).subList(1, c.length));
                case "heal" -> cluster.heal();
                case "crash" -> cluster.crash(c[1]);
                case "restart" -> {
                    cluster.restart(c[1]);
                    cluster.stabilize();
                }
                case "transfer" -> {
                    cluster.node(c[1]).raft.transferLeadership(c[2]);
                    cluster.stabilize();
                }
                case "compact" -> {
                    TestCluster.Node n = cluster.node(c[1]);
                    n.persister.snapshotAndCompact(n.raft, 0);
                    out.add(c[1] + " log now " + n.log.firstIndex() + ".." + n.log.lastIndex() + ", snapshot at "
                            + n.snapshots.latest().map(s -> s.index() + "@" + s.term()).orElse("none"));
                }
                case "join" -> {
                    cluster.add(c[1], RaftConfig.defaults(c[1], Membership.EMPTY).withTimeouts(1, 10, 100));
                    cluster.stabilize();
                }
                case "add-learner" -> change(c[1], new ConfigChange(ConfigChange.Type.ADD_LEARNER, c[2]));
                case "promote" -> change(c[1], new ConfigChange(ConfigChange.Type.PROMOTE_LEARNER, c[2]));
                case "remove" -> change(c[1], new ConfigChange(ConfigChange.Type.REMOVE_MEMBER, c[2]));
                case "status" -> cluster.nodes.values().forEach(n -> out.add(n.raft == null ? n.id + " down"
                        : status(n.raft.status())));
                default -> throw new IllegalArgumentException("unknown command " + c[0]);
            }
        }

        /**
         * Many ticks repeat the same heartbeats: each line is shown the first time only, and how many were
         * left out is said at the end.
         */
        private void dropRepeats() {
            Set<String> seen = new HashSet<>();
            List<String> kept = out.stream().filter(seen::add).toList();
            int repeated = out.size() - kept.size();
            out.clear();
            out.addAll(kept);
            if (repeated > 0) {
                out.add("(" + repeated + " repeated lines not shown)");
            }
        }

        private void change(String leader, ConfigChange change) {
            cluster.node(leader).raft.proposeMembership(change);
            cluster.stabilize();
        }

        private static String status(NodeStatus s) {
            return s.nodeId() + " " + s.role() + " term " + s.term() + " leader " + s.leaderId() + " commit "
                    + s.commitIndex() + " log " + s.firstIndex() + ".." + s.lastIndex() + " voters "
                    + s.membership().voters() + (s.membership().learners().isEmpty() ? ""
                    : " learners " + s.membership().learners());
        }
    }
}
