package io.raftstore.node;

import io.raftstore.transport.jgroups.PeerAddress;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach one member: its Raft (JGroups) endpoint {@code host:port} and, when known, the base URL of
 * its HTTP API and console. It travels in the replicated membership as one string, {@code host:port} or
 * {@code host:port http://host:port} ({@link io.raftstore.core.Membership#addresses()}), so every node,
 * including one added later, shows it and keeps it across restarts.
 *
 * @param http null when not known (the members configured at start get theirs from the console's peers)
 */
public record MemberAddress(String raft, URI http) {

    public MemberAddress {
        Objects.requireNonNull(raft, "raft");
    }

    /**
     * Validates and builds an address as an admin typed it.
     *
     * @param http empty or null for none
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MemberAddress of(String nodeId, String raft, String http) {
        PeerAddress peer = PeerAddress.parse(nodeId, raft == null ? "" : raft.trim());
        if (peer.host().isBlank() || peer.host().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("address of " + nodeId + " must be host:port, was '" + raft + "'");
        }
        if (http == null || http.isBlank()) {
            return new MemberAddress(peer.toString(), null);
        }
        URI url;
        try {
            url = URI.create(http.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HTTP URL of " + nodeId + " is not a URL: '" + http + "'");
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("HTTP URL of " + nodeId + " must look like http://host:port, was '"
                    + http + "'");
        }
        String text = url.toString();
        return new MemberAddress(peer.toString(), URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text));
    }

    /** Reads the replicated form; a malformed one keeps its text as the Raft address. */
    public static MemberAddress parse(String replicated) {
        String[] parts = replicated.trim().split("\\s+", 2);
        URI http = null;
        if (parts.length == 2) {
            try {
                http = URI.create(parts[1]);
            } catch (IllegalArgumentException e) {
                return new MemberAddress(replicated, null);
            }
        }
        return new MemberAddress(parts[0], http);
    }

    /** The replicated form. */
    @Override
    public String toString() {
        return http == null ? raft : raft + " " + http;
    }
}
