package io.raftstore.ejb.metrics;

import io.raftstore.node.NodeMetrics;
import io.raftstore.node.RunningNode;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.metrics.MetricRegistry;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connects a node to the application's metrics registry. Should registering fail, the node still runs, with
 * its metrics off and a log line saying why: metrics are diagnostics, never a reason to refuse service.
 */
public final class MetricsExport {

    private static final Logger LOG = Logger.getLogger(MetricsExport.class.getName());

    private MetricsExport() {
    }

    /** The metrics the node should report to, and gauges over {@code node} registered; never null. */
    public static NodeMetrics open(Instance<MetricRegistry> registry, Supplier<RunningNode> node) {
        try {
            if (registry.isUnsatisfied()) {
                throw new IllegalStateException("no MetricRegistry bean");
            }
            return MicroProfileNodeMetrics.register(registry.get(), node);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "RaftStore metrics are off (the server needs the mpMetrics-5.1 feature to serve them "
                    + "at /metrics): " + e, e);
            return NodeMetrics.NONE;
        }
    }

    /** The node is running: its members get their gauges (before this the gauges' node was not yet there). */
    public static void started(NodeMetrics metrics, RunningNode node) {
        if (metrics instanceof MicroProfileNodeMetrics m) {
            m.membersOf(node);
        }
    }

    /** Removes this node's metrics from the registry (the application stops; the server may not). */
    public static void close(NodeMetrics metrics) {
        if (metrics instanceof MicroProfileNodeMetrics m) {
            m.unregister();
        }
    }
}
