package io.raftstore.resp.command;

import io.raftstore.resp.command.CommandSpec.Flag;
import io.raftstore.resp.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * COMMAND, COMMAND COUNT, COMMAND INFO and COMMAND DOCS: what clients ask on connect to learn the commands'
 * arity and key positions. DOCS answers no documentation (an empty map), which clients accept.
 */
final class ServerCommands {

    /** The Redis release whose command behaviour this endpoint follows; tools print it, some compare it. */
    static final String REDIS_COMPATIBLE = "7.2.0";
    private static final SortedMap<String, String> CONFIG = new TreeMap<>(Map.of(
            "appendonly", "yes", "appendfsync", "always", "save", "", "databases", "1"));
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "replication");

    private final CommandRegistry registry;
    private final LeaderDirectory leaders;

    ServerCommands(CommandRegistry registry, LeaderDirectory leaders) {
        this.registry = registry;
        this.leaders = leaders;
    }

    void register() {
        registry.control("command", -1, this::command);
        registry.control("info", -1, this::info);
        registry.control("config", -2, this::config);
    }

    /**
     * CONFIG GET, which redis-benchmark and some tools send on connect: the persistence settings that describe
     * what RaftStore does (every acknowledged write is on a quorum's disks: as "appendonly yes" with
     * "appendfsync always", no snapshots to configure) and one database; any other name gives nothing, as an
     * unknown one does in Redis. Settings are not changed over this protocol.
     */
    private Reply config(CommandCall call) {
        if (!call.option(1).equals("GET")) {
            throw new CommandException("ERR CONFIG " + call.option(1) + " is not supported: RaftStore is"
                    + " configured through its server's settings (MicroProfile Config), not over this protocol");
        }
        List<Reply> pairs = new ArrayList<>();
        for (int i = 2; i < call.count(); i++) {
            String pattern = call.text(i).toLowerCase(Locale.ROOT);
            CONFIG.forEach((name, value) -> {
                if (pattern.equals(name) || pattern.equals("*")) {
                    pairs.add(Reply.bulk(name));
                    pairs.add(Reply.bulk(value));
                }
            });
        }
        return new Reply.Map(pairs);
    }

    /**
     * INFO [section ...]: "server" and "replication" (the default, "all" and "everything" give both); an unknown
     * section gives nothing, as in Redis. Replication: role master on the leader, slave elsewhere with the
     * leader's endpoint as master_host and master_port, and the node's Raft position.
     */
    private Reply info(CommandCall call) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < call.count(); i++) {
            String name = call.text(i).toLowerCase(Locale.ROOT);
            sections.addAll(List.of("all", "everything", "default").contains(name) ? DEFAULT_SECTIONS : List.of(name));
        }
        if (sections.isEmpty()) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        StringBuilder text = new StringBuilder();
        if (sections.contains("server")) {
            text.append("# Server\r\nredis_version:").append(REDIS_COMPATIBLE)
                    .append("\r\nraftstore_version:").append(ConnectionCommands.SERVER_VERSION)
                    .append("\r\nredis_mode:standalone\r\n");
        }
        if (sections.contains("replication")) {
            text.append(text.length() > 0 ? "\r\n" : "").append("# Replication\r\n");
            boolean leader = leaders.localIsLeader();
            text.append("role:").append(leader ? "master" : "slave").append("\r\n");
            if (!leader) {
                Optional<String> endpoint = leaders.leaderEndpoint();
                int colon = endpoint.map(e -> e.lastIndexOf(':')).orElse(-1);
                text.append("master_host:").append(colon > 0 ? endpoint.get().substring(0, colon) : "").append("\r\n")
                        .append("master_port:").append(colon > 0 ? endpoint.get().substring(colon + 1) : "").append("\r\n")
                        .append("master_link_status:").append(endpoint.isPresent() ? "up" : "down").append("\r\n");
            }
            leaders.replicationInfo().forEach((k, v) -> text.append(k).append(':').append(v).append("\r\n"));
        }
        return Reply.bulk(text.toString());
    }

    private Reply command(CommandCall call) {
        if (call.count() == 1) {
            List<Reply> all = new ArrayList<>();
            registry.all().forEach(spec -> all.add(info(spec)));
            return new Reply.Array(all);
        }
        switch (call.option(1)) {
            case "COUNT" -> {
                return new Reply.Integer(registry.all().size());
            }
            case "INFO" -> {
                List<Reply> infos = new ArrayList<>();
                for (int i = 2; i < call.count(); i++) {
                    infos.add(registry.find(call.text(i)).map(ServerCommands::info).orElse(Reply.NULL_ARRAY));
                }
                return new Reply.Array(infos);
            }
            case "DOCS" -> {
                return new Reply.Map(List.of());
            }
            default -> throw Errors.unknownSubcommand("command", call.text(1));
        }
    }

    /** Redis's command entry: name, arity, flags, first key, last key, key step. */
    private static Reply info(CommandSpec spec) {
        List<Reply> flags = new ArrayList<>();
        if (spec.is(Flag.WRITE)) {
            flags.add(new Reply.Simple("write"));
        }
        if (spec.is(Flag.READ)) {
            flags.add(new Reply.Simple("readonly"));
        }
        if (spec.is(Flag.NO_AUTH)) {
            flags.add(new Reply.Simple("no_auth"));
        }
        if (spec.is(Flag.TRANSACTION_CONTROL)) {
            flags.add(new Reply.Simple("no_multi"));
        }
        return new Reply.Array(List.of(Reply.bulk(spec.name().toLowerCase(Locale.ROOT)), new Reply.Integer(spec.arity()),
                new Reply.Array(flags), new Reply.Integer(spec.firstKey()), new Reply.Integer(spec.lastKey()),
                new Reply.Integer(spec.keyStep())));
    }
}
