package io.raftstore.node;

import io.raftstore.storage.LogStoreKind;
import io.raftstore.transport.jgroups.DnsDiscovery;
import io.raftstore.transport.jgroups.PeerAddress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a node is configured with, read from one key/value source (MicroProfile Config in the
 * container: environment variable {@code RAFTSTORE_NODE_ID} is key {@code raftstore.node.id}) and
 * validated at once: a wrong or missing value fails with an {@link InvalidSettingException} naming the key.
 *
 * @param members every voter of the cluster with its JGroups address, this node included; in join mode
 *                the members to contact (TCPPING's initial hosts) and this node's own address
 * @param join    this node joins a running cluster instead of starting one: it begins with no members,
 *                never campaigns, and waits until an admin adds it (the leader then replicates to it)
 * @param logStore where the Raft log lives (docs/storage.md, "Choosing the log store"); write-ahead log by default
 * @param bindAddress the IP address JGroups binds to, or null for this node's host in {@code members}
 * @param dns     JGroups' DNS_PING beside the static list ({@code raftstore.discovery=dns}), or null
 * @param leaseReads a leader serves LEASE reads from its lease ({@link DriverSettings#leaseReads()})
 */
public record NodeSettings(String nodeId, Map<String, PeerAddress> members, Path dataDir, String clusterName,
                           int tickMillis, int heartbeatTicks, int electionTicks, long requestTimeoutMillis,
                           int failureDetectionMillis, int maxValueBytes, long readyMaxLag, long snapshotEntries,
                           boolean join, LogStoreKind logStore, String bindAddress, DnsDiscovery dns,
                           boolean leaseReads) {

    public static final String NODE_ID = "raftstore.node.id";
    public static final String MEMBERS = "raftstore.members";
    public static final String DATA_DIR = "raftstore.data.dir";
    public static final String CLUSTER_NAME = "raftstore.cluster.name";
    public static final String TICK_MS = "raftstore.tick.ms";
    public static final String HEARTBEAT_TICKS = "raftstore.heartbeat.ticks";
    public static final String ELECTION_TICKS = "raftstore.election.ticks";
    public static final String REQUEST_TIMEOUT_MS = "raftstore.request.timeout.ms";
    public static final String FAILURE_DETECTION_MS = "raftstore.failure.detection.ms";
    public static final String MAX_VALUE_BYTES = "raftstore.max.value.bytes";
    public static final String READY_MAX_LAG = "raftstore.ready.max.lag";
    public static final String SNAPSHOT_ENTRIES = "raftstore.snapshot.entries";
    public static final String JOIN = "raftstore.join";
    public static final String LOG_STORE = LogStoreKind.SETTING;
    public static final String BIND_ADDRESS = "raftstore.bind.address";
    public static final String DISCOVERY = "raftstore.discovery";
    public static final String DISCOVERY_DNS_QUERY = "raftstore.discovery.dns.query";
    public static final String DISCOVERY_DNS_SERVER = "raftstore.discovery.dns.server";
    public static final String LEASE_READS = "raftstore.lease.reads";
    /** What a node id may be. */
    public static final String NODE_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

    /** A setting that is missing or wrong; the message starts with the setting's key. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;

        public InvalidSettingException(String key, String problem) {
            super(key + ": " + problem);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** This node's own address. */
    public PeerAddress self() {
        return members.get(nodeId);
    }

    /** Reads and validates every setting; {@code source} answers empty for an unset key. */
    public static NodeSettings from(Function<String, Optional<String>> source) {
        String nodeId = required(source, NODE_ID);
        if (!nodeId.matches(NODE_ID_PATTERN)) {
            throw new InvalidSettingException(NODE_ID, "'" + nodeId + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        Map<String, PeerAddress> members = parseMembers(required(source, MEMBERS));
        if (!members.containsKey(nodeId)) {
            throw new InvalidSettingException(MEMBERS, "does not list this node '" + nodeId + "' (it lists "
                    + members.keySet() + ")");
        }
        Path dataDir = Path.of(required(source, DATA_DIR));
        if (!dataDir.isAbsolute()) {
            throw new InvalidSettingException(DATA_DIR, "'" + dataDir + "' must be an absolute path");
        }
        String cluster = source.apply(CLUSTER_NAME).orElse("raftstore");
        int tick = intIn(source, TICK_MS, 10, 1, 1000);
        int heartbeat = intIn(source, HEARTBEAT_TICKS, 5, 1, 10_000);
        int election = intIn(source, ELECTION_TICKS, 15, heartbeat + 1, 100_000);
        long timeout = intIn(source, REQUEST_TIMEOUT_MS, 5000, tick * election, 600_000);
        int fd = intIn(source, FAILURE_DETECTION_MS, 1000, 100, 600_000);
        int maxValue = intIn(source, MAX_VALUE_BYTES, 1 << 20, 1, 64 << 20);
        long lag = intIn(source, READY_MAX_LAG, 1000, 0, Integer.MAX_VALUE);
        long snapshots = intIn(source, SNAPSHOT_ENTRIES, 100_000, 10, Integer.MAX_VALUE);
        LogStoreKind logStore;
        try {
            logStore = LogStoreKind.parse(source.apply(LOG_STORE).filter(v -> !v.isBlank()).orElse("wal"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(LOG_STORE, e.getMessage());
        }
        return new NodeSettings(nodeId, members, dataDir, cluster, tick, heartbeat, election, timeout, fd, maxValue, lag,
                snapshots, yesOrNo(source, JOIN), logStore, bindAddress(source), dnsDiscovery(source),
                yesOrNo(source, LEASE_READS));
    }

    /** A true/false setting, false when unset. */
    private static boolean yesOrNo(Function<String, Optional<String>> source, String key) {
        String value = source.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse("false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidSettingException(key, "'" + value + "' must be true or false");
        }
        return value.equals("true");
    }

    private static String bindAddress(Function<String, Optional<String>> source) {
        String bind = source.apply(BIND_ADDRESS).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        // An IP address, not a name: the setting exists so that binding never waits for DNS.
        if (bind != null && !bind.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
            throw new InvalidSettingException(BIND_ADDRESS, "'" + bind + "' must be an IP address (e.g. the pod's IP), not a name");
        }
        return bind;
    }

    /** DNS_PING when {@code raftstore.discovery=dns}; the static list is used either way. */
    private static DnsDiscovery dnsDiscovery(Function<String, Optional<String>> source) {
        String kind = source.apply(DISCOVERY).map(String::trim).filter(v -> !v.isEmpty()).orElse("static");
        if (kind.equals("static")) {
            return null;
        }
        if (!kind.equals("dns")) {
            throw new InvalidSettingException(DISCOVERY, "'" + kind + "' must be static (the member list only) or dns"
                    + " (the member list and DNS_PING on " + DISCOVERY_DNS_QUERY + ")");
        }
        String query = required(source, DISCOVERY_DNS_QUERY);
        String server = source.apply(DISCOVERY_DNS_SERVER).map(String::trim).orElse(null);
        try {
            return new DnsDiscovery(query, server);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(server != null && e.getMessage().startsWith("DNS server")
                    ? DISCOVERY_DNS_SERVER : DISCOVERY_DNS_QUERY, e.getMessage());
        }
    }

    private static String required(Function<String, Optional<String>> source, String key) {
        return source.apply(key).map(String::trim).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new InvalidSettingException(key, "is required but not set"));
    }

    private static int intIn(Function<String, Optional<String>> source, String key, int dflt, int min, int max) {
        Optional<String> raw = source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
        if (raw.isEmpty()) {
            return dflt;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "'" + raw.get() + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /** Parses {@code id=host:port,id=host:port,...}. */
    static Map<String, PeerAddress> parseMembers(String spec) {
        Map<String, PeerAddress> members = new LinkedHashMap<>();
        List<String> ports = new ArrayList<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new InvalidSettingException(MEMBERS, "'" + item + "' must be id=host:port");
            }
            String id = item.substring(0, eq).trim();
            PeerAddress address;
            try {
                address = PeerAddress.parse(id, item.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(MEMBERS, e.getMessage());
            }
            if (members.put(id, address) != null) {
                throw new InvalidSettingException(MEMBERS, "lists '" + id + "' twice");
            }
            if (ports.contains(address.toString())) {
                throw new InvalidSettingException(MEMBERS, "gives " + address + " to two members");
            }
            ports.add(address.toString());
        }
        return Map.copyOf(members);
    }
}
