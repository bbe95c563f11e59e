package io.raftstore.transport.jgroups;

import java.util.Objects;

/** Where one node's JGroups TCP endpoint listens. */
public record PeerAddress(String nodeId, String host, int port) {

    public PeerAddress {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + nodeId + " out of range: " + port);
        }
    }

    /** Parses {@code host:port}. */
    public static PeerAddress parse(String nodeId, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("address of " + nodeId + " must be host:port, was '" + hostPort + "'");
        }
        try {
            return new PeerAddress(nodeId, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port of " + nodeId + " is not a number: '" + hostPort + "'", e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
