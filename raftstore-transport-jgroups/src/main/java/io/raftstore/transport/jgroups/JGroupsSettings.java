package io.raftstore.transport.jgroups;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * How to build this node's JGroups channel.
 *
 * @param clusterName         JGroups cluster name; nodes of one RaftStore cluster share it
 * @param self                where this node listens
 * @param members             every node of the cluster including this one (TCPPING's initial hosts)
 * @param failureTimeoutMillis FD_ALL3 timeout: how long silence makes JGroups suspect a member. It only
 *                            prunes the view; Raft's election timeout decides failover on its own.
 * @param bindAddress         the IP address this node binds to, or null for its host in {@code members}. Needed when
 *                            that host is a DNS name whose record may not exist yet when the node starts (a pod's
 *                            own record in a headless Service): binding must not wait for DNS.
 * @param dns                 DNS_PING beside the static list, or null for the static list alone
 */
public record JGroupsSettings(String clusterName, PeerAddress self, List<PeerAddress> members,
                              int failureTimeoutMillis, String bindAddress, DnsDiscovery dns) {

    public JGroupsSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(self, "self");
        members = List.copyOf(members);
        if (failureTimeoutMillis < 100) {
            throw new IllegalArgumentException("failureTimeoutMillis must be at least 100, was " + failureTimeoutMillis);
        }
        if (bindAddress != null && bindAddress.isBlank()) {
            bindAddress = null;
        }
    }

    /** Static members only, bound to this node's host in the list. */
    public JGroupsSettings(String clusterName, PeerAddress self, List<PeerAddress> members, int failureTimeoutMillis) {
        this(clusterName, self, members, failureTimeoutMillis, null, null);
    }

    /** The host to bind to: the bind address when set, else this node's host in the list (an address or a name). */
    String bindHost() {
        return bindAddress != null ? bindAddress : self.host();
    }

    /**
     * The protocol stack as JGroups XML, bound to {@code bind}: resolved by the caller, so that an unresolvable
     * name fails with a message that says what to set, not deep inside JGroups' configurator.
     */
    String toXml(InetAddress bind) {
        StringBuilder hosts = new StringBuilder();
        for (PeerAddress m : members) {
            hosts.append(hosts.isEmpty() ? "" : ",").append(m.host()).append('[').append(m.port()).append(']');
        }
        int interval = Math.max(50, failureTimeoutMillis / 4);
        // A dead, black-holed, slow or half-open peer must cost the others nothing (issue 11):
        // - TCP_NIO2, not TCP: TCP writes to a socket with a blocking write that holds the connection's stream
        //   while a black-holed peer's window stays full, and the next view change's "graceful close" of that
        //   connection waits on the same stream inside GMS's view installation: the view never installs, and
        //   since JGroups delivers one sender's messages one at a time, nothing more from the coordinator
        //   reached the node (seen on ./cluster --netns: a node cut off a second time left the other two
        //   without a leader for the rest of the cut). TCP_NIO2 never blocks: a connect completes on its
        //   selector, and a write that does not fit max_send_buffers is dropped (Raft resends).
        // - bundler.use_single_sender_thread=false: one sender thread for every destination made frames for
        //   the live peers wait behind the connect() to a black-holed one (the first thing issue 11 found).
        // tcp_nodelay: JGroups leaves Nagle on, which holds a small AppendEntries back until the previous
        // segment is acknowledged; measured, that alone made a write's round trip several ms.
        // diag off and every socket, outgoing ones included (client_bind_addr), on the configured address:
        // nothing listens on 0.0.0.0, and a multi-homed host sends cluster traffic from the cluster's address.
        // TCPPING resolves the members' names when the channel starts and, while any stays unresolved, again at
        // every discovery round (the join, then MERGE3's rounds every 1-3 s): a node whose peers' records do not
        // exist yet runs alone and merges with them once they do. Once all resolved it never looks again, which
        // DNS_PING (an option) does at every round.
        // return_entire_cache: a discovery answer carries every address in the answerer's view, not only its own.
        // When only some members' names resolve (records published one by one), the others know each other only
        // through them; without it two nodes that both reach a never learn each other's address, and a flipped
        // for ever between a view with one and a view with the other (seen in DnsDiscoveryIT, OneKnownMemberIT).
        // No FD_SOCK2: when a healed partition merged, its ring connect to a member could lose JGroups'
        // simultaneous-connect tie-break (the other side kept its own connection and closed this one), wait its
        // 1 s connect timeout on the thread installing the view, try the next ports, then broadcast a suspicion
        // of a live member, which left the view again a second after it rejoined (seen on ./cluster --netns;
        // in PartitionIT it moved the majority's term). A crashed peer's closed TCP connection is reported by
        // JGroupsTransport itself (Raft's peer-loss hint); FD_ALL3 removes it from the view within its timeout.
        return """
                <config xmlns="urn:org:jgroups">
                  <TCP_NIO2 bind_addr="%1$s" bind_port="%2$d" port_range="0" client_bind_addr="%1$s" diag.enabled="false"
                       bundler.use_single_sender_thread="false" max_send_buffers="64"
                       tcp_nodelay="true" sock_conn_timeout="300"
                       thread_pool.min_threads="0" thread_pool.max_threads="16" thread_pool.keep_alive_time="30000"/>
                  <TCPPING initial_hosts="%3$s" port_range="0" return_entire_cache="true"/>%6$s
                  <MERGE3 min_interval="1000" max_interval="3000"/>
                  <FD_ALL3 timeout="%4$d" interval="%5$d"/>
                  <VERIFY_SUSPECT2 timeout="%5$d"/>
                  <pbcast.NAKACK2 use_mcast_xmit="false"/>
                  <UNICAST3/>
                  <pbcast.STABLE/>
                  <pbcast.GMS join_timeout="1000" print_local_addr="false" view_ack_collection_timeout="500"/>
                  <FRAG4 frag_size="60000"/>
                </config>
                """.formatted(bind.getHostAddress(), self.port(), hosts, failureTimeoutMillis, interval, dnsPing());
    }

    /** DNS_PING's element, or nothing; every discovery protocol in the stack is asked at each round. */
    private String dnsPing() {
        if (dns == null) {
            return "";
        }
        return "\n  <dns.DNS_PING dns_query=\"%s\" dns_record_type=\"A\"%s/>".formatted(dns.query(),
                dns.server() == null ? "" : " dns_address=\"" + dns.server() + "\"");
    }
}
