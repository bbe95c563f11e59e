package io.raftstore.it;

import io.raftstore.harness.LocalCluster;

/**
 * The three-node cluster, with the sample apps, that this module's test classes share but {@link RestSecurityIT}
 * (which restarts its node and reads the audit trail it keeps): {@link SampleAccountsIT},
 * {@link ClusterTransactionsIT}, {@link OperationsIT} and {@link MetricsIT}. A start costs about 25 s of a CI
 * run's two cores, and none of them needs a cluster of its own: each uses keys of its own. Started by the first
 * class that asks; wiped when the test JVM exits (LocalCluster's shutdown hook).
 *
 * <p>Contract for a class that uses it: it asks for it in its {@code @BeforeAll} (which starts any node a class
 * before it left down), leaves no balancer running, and keeps the logs it may need with
 * {@link LocalCluster#keepLogs(String)} under its own label.
 */
final class SharedCluster {

    /** The largest value the nodes take ({@code RAFTSTORE_MAX_VALUE_BYTES}), small so a test can exceed it. */
    static final int MAX_VALUE_BYTES = 2048;

    private static LocalCluster cluster;

    private SharedCluster() {
    }

    /**
     * The cluster with every node up and ready: started the first time; afterwards {@code ./cluster start} starts
     * whatever node is down (nothing when all run, a tenth of a second), so a class that failed before restoring a
     * node it killed fails alone instead of every class after it.
     */
    static synchronized LocalCluster threeNodes() {
        if (cluster == null) {
            cluster = LocalCluster.builder("shared-cluster", 9640, 19640)
                    .env("RAFTSTORE_MAX_VALUE_BYTES", Integer.toString(MAX_VALUE_BYTES)).build();
        }
        cluster.start(3);
        return cluster;
    }
}
