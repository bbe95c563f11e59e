package io.raftstore.ejb;

import io.raftstore.core.Role;
import io.raftstore.node.LocalDrivers;
import io.raftstore.node.NodeDriver;

import java.util.stream.Collectors;

/**
 * A JVM running a real three-node cluster ({@link LocalDrivers}: NodeDrivers over an in-memory network) whose
 * leader's handover {@link TermSignalHandover} runs at SIGTERM, as {@code RaftNodeBean} installs it. It says
 * "ready" and which node leads, then waits; the test sends it SIGTERM and reads what happened: "handover" when
 * the handler starts, then from a shutdown hook (the JVM's own exit) the role and known leader of every node.
 */
public final class SigtermChild {
    private SigtermChild() {
    }

    public static void main(String[] args) throws Exception {
        LocalDrivers cluster = LocalDrivers.start(3, 5_000);
        NodeDriver leader = cluster.awaitLeader();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("exit hook: " + roles(cluster))));
        TermSignalHandover handover = TermSignalHandover.install(() -> {
            System.out.println("handover");
            try {
                leader.handOver(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println(handover == null ? "no handler" : "ready " + leader.nodeId());
        System.out.flush();
        Thread.sleep(60_000); // bounded: the test kills it long before
    }

    /** "n1 FOLLOWER of n2, n2 LEADER of n2, ...", waiting up to a second for a leader to publish its status. */
    private static String roles(LocalDrivers cluster) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (cluster.drivers().stream().noneMatch(d -> d.status().role() == Role.LEADER)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return cluster.drivers().stream()
                .map(d -> d.nodeId() + " " + d.status().role() + " of " + d.status().leaderId())
                .collect(Collectors.joining(", "));
    }
}
