package io.raftstore.it;

import io.raftstore.harness.LocalCluster;

/**
 * The three-node cluster (no sample apps) that {@link OperationsIT} and {@link MetricsIT} share: a start costs
 * about 25 s of a CI run's two cores, and neither needs a cluster of its own. Started by the first class that
 * asks; wiped when the test JVM exits (LocalCluster's shutdown hook).
 *
 * <p>Contract for a class that uses it: it leaves every node up and ready and no balancer running when it is
 * done (in its {@code @AfterAll}, whatever its tests did), and keeps the logs it may need with
 * {@link LocalCluster#keepLogs(String)} under its own label.
 */
final class SharedCluster {

    private static LocalCluster cluster;

    private SharedCluster() {
    }

    static synchronized LocalCluster threeNodes() {
        if (cluster == null) {
            LocalCluster c = LocalCluster.builder("ops-cluster", 9640, 19640).withoutSamples().build();
            c.start(3);
            cluster = c;
        }
        return cluster;
    }
}
