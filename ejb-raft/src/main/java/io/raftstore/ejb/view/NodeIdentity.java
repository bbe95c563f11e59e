package io.raftstore.ejb.view;

import io.raftstore.node.NodeSettings;

import java.util.Optional;
import java.util.function.Function;

/**
 * Who this node is, how long its tick lasts and whether it serves lease reads from its lease, read from the
 * same configuration keys, and validated the same way, as the node reads them at startup; for the console,
 * which needs them before the node answers.
 */
public record NodeIdentity(String nodeId, int tickMillis, boolean leaseReads) {

    /**
     * @param config a configuration key to its value (MicroProfile Config's {@code getOptionalValue})
     * @throws IllegalArgumentException for a setting the node would refuse too
     */
    public static NodeIdentity from(Function<String, Optional<String>> config) {
        NodeSettings s = NodeSettings.from(config::apply);
        return new NodeIdentity(s.nodeId(), s.tickMillis(), s.leaseReads());
    }
}
