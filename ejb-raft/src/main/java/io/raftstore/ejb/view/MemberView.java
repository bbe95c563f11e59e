package io.raftstore.ejb.view;

import io.raftstore.node.MemberAddress;

import java.net.URI;

/**
 * One member's addresses: replicated with the membership, else as configured.
 *
 * @param raftAddress host:port of its Raft (JGroups) channel; empty when unknown
 * @param httpUrl     base URL of its HTTP API, or null when unknown
 */
public record MemberView(String id, String raftAddress, URI httpUrl) {

    public MemberView {
        raftAddress = raftAddress == null ? "" : raftAddress;
    }

    /**
     * Checks a new member's id, Raft address (host:port) and optional HTTP URL as the node will, so a form
     * can report a typo before anything is asked of the cluster.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static void check(String nodeId, String raftAddress, String httpUrl) {
        MemberAddress.of(nodeId, raftAddress, httpUrl);
    }
}
