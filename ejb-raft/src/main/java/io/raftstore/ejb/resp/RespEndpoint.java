package io.raftstore.ejb.resp;

import io.raftstore.api.spi.StoreGateway;
import io.raftstore.node.NodeSettings;
import io.raftstore.node.RunningNode;
import io.raftstore.resp.command.Dispatcher;
import io.raftstore.resp.command.Role;
import io.raftstore.resp.protocol.DecoderLimits;
import io.raftstore.resp.server.RespServer;
import io.raftstore.resp.server.RespServerSettings;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's Redis-protocol endpoint, read from MicroProfile Config:
 * <ul>
 *   <li>{@value #PORT}: the port (default 6379; -1 turns the endpoint off);</li>
 *   <li>{@value #HOST}: the address to bind (default: {@code raftstore.http.host}, loopback unless set); any
 *       address but loopback needs {@code raftstore.resp.plain.allowed=true} (the ejb module's PlainHttpGuard):
 *       AUTH's passwords and the values cross the network in clear text;</li>
 *   <li>{@value #THREADS}: threads running commands (default 64: each waits for its quorum);</li>
 *   <li>{@value #MAX_CLIENTS}: connections (default 1024);</li>
 *   <li>{@value #ENDPOINTS}: {@code n1=host:port,...}, where each node's endpoint is, for MOVED and INFO;</li>
 *   <li>{@value #ANONYMOUS}: {@code none} (default: AUTH first), {@code reader} or {@code writer}: what a
 *       connection may do without AUTH, as Redis's default user without a password; only on loopback (the
 *       guard refuses it elsewhere).</li>
 * </ul>
 * A bad value is a {@link NodeSettings.InvalidSettingException} naming the setting, as for the node's own.
 */
public final class RespEndpoint {

    public static final String PORT = "raftstore.resp.port";
    public static final String HOST = "raftstore.resp.host";
    public static final String THREADS = "raftstore.resp.threads";
    public static final String MAX_CLIENTS = "raftstore.resp.max.clients";
    public static final String ENDPOINTS = "raftstore.resp.endpoints";
    public static final String ANONYMOUS = "raftstore.resp.anonymous";

    private RespEndpoint() {
    }

    /** The configured host, for the plain-text guard; the HTTP host when unset. */
    public static String host(Function<String, Optional<String>> config) {
        return value(config, HOST).or(() -> value(config, "raftstore.http.host")).orElse("127.0.0.1");
    }

    /** The configured port; -1 when the endpoint is off. */
    public static int port(Function<String, Optional<String>> config) {
        return number(config, PORT, 6379, -1, 65535);
    }

    /**
     * Starts the endpoint, or returns null when it is off.
     *
     * @throws NodeSettings.InvalidSettingException for a bad setting, naming it
     * @throws IOException when the port cannot be bound (the message names it and what to do)
     */
    public static RespServer start(Function<String, Optional<String>> config, StoreGateway gateway,
            Supplier<RunningNode> node, RoleProbe roles, ThreadFactory threads) throws IOException {
        int port = port(config);
        if (port == -1) {
            return null;
        }
        RespServerSettings settings = new RespServerSettings(host(config), port, number(config, THREADS, 64, 1, 4096),
                number(config, MAX_CLIENTS, 1024, 1, 100_000));
        NodeLeaderDirectory leaders = new NodeLeaderDirectory(node, endpoints(config), port);
        Dispatcher dispatcher = new Dispatcher(gateway, new RegistryAuthenticator(roles, anonymous(config)), leaders);
        return RespServer.start(settings, dispatcher, DecoderLimits.forStore(gateway.limits()), threads);
    }

    /** What a connection may do without AUTH ({@value #ANONYMOUS}). */
    public static Set<Role> anonymous(Function<String, Optional<String>> config) {
        String grant = value(config, ANONYMOUS).orElse("none").toLowerCase(Locale.ROOT);
        return switch (grant) {
            case "none" -> Set.of();
            case "reader" -> Set.of(Role.READER);
            case "writer" -> Set.of(Role.READER, Role.WRITER);
            default -> throw new NodeSettings.InvalidSettingException(ANONYMOUS, "'" + grant
                    + "' must be none, reader or writer");
        };
    }

    static Map<String, String> endpoints(Function<String, Optional<String>> config) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<String> spec = value(config, ENDPOINTS);
        if (spec.isEmpty()) {
            return out;
        }
        for (String entry : spec.get().split(",")) {
            String[] pair = entry.trim().split("=", 2);
            int colon = pair.length == 2 ? pair[1].lastIndexOf(':') : -1;
            if (colon <= 0 || !pair[1].substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new NodeSettings.InvalidSettingException(ENDPOINTS, "'" + entry.trim()
                        + "' must be nodeId=host:port, e.g. n1=10.0.0.1:6379");
            }
            out.put(pair[0].trim(), pair[1].trim());
        }
        return out;
    }

    private static int number(Function<String, Optional<String>> config, String key, int otherwise, int min, int max) {
        Optional<String> text = value(config, key);
        if (text.isEmpty()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(text.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NodeSettings.InvalidSettingException(key, "'" + text.get() + "' must be a whole number from " + min
                + " to " + max);
    }

    private static Optional<String> value(Function<String, Optional<String>> config, String key) {
        return config.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }
}
