package io.raftstore.transport.jgroups;

import java.util.Objects;

/**
 * JGroups' DNS_PING beside the static list: at every discovery round (the join, then each MERGE3 round) the
 * A records of {@code query} (a Kubernetes headless Service's name: one record per pod) are looked up anew,
 * and every address found is asked on this node's JGroups port. A node that came back on a new address is
 * found again this way even by nodes that resolved its name in the static list before it moved.
 *
 * @param query  comma-separated DNS names whose A records are the cluster's nodes
 * @param server the DNS server asked, {@code host} or {@code host:port}; null asks through the JVM's resolver,
 *               whose cache (networkaddress.cache.ttl, 30 s by default) then delays seeing a moved node.
 *               Given, every round asks that server directly (JNDI's DNS provider, no cache).
 */
public record DnsDiscovery(String query, String server) {

    public DnsDiscovery {
        Objects.requireNonNull(query, "query");
        // Both go into the stack's XML: only what DNS names and addresses are made of.
        if (!query.matches("[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*")) {
            throw new IllegalArgumentException("DNS query '" + query + "' must be one or more DNS names separated by"
                    + " commas, e.g. raftstore-peers.raftstore.svc.cluster.local");
        }
        if (server != null && server.isBlank()) {
            server = null;
        }
        if (server != null && !server.matches("[A-Za-z0-9._-]+(:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("DNS server '" + server + "' must be host or host:port, e.g. 10.96.0.10");
        }
    }
}
