package io.raftstore.ejb;

import io.raftstore.ejb.resp.RespEndpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Refuses to start a node that would serve plain HTTP beyond its own machine: HTTP Basic passwords, keys and
 * values would cross the network in clear text. Plain HTTP on loopback (local tools) and HTTPS anywhere are
 * fine; plain HTTP on any other address needs {@value #ALLOWED}{@code =true}, an explicit choice for a network
 * the operator trusts (./cluster's namespaces on 198.18.0.0/15 are one).
 *
 * <p>It reads the settings server.xml's {@code defaultHttpEndpoint} is built from ({@value #HOST},
 * {@value #PORT}), with server.xml's defaults, through MicroProfile Config.
 */
final class PlainHttpGuard {

    static final String HOST = "raftstore.http.host";
    static final String PORT = "raftstore.http.port";
    static final String ALLOWED = "raftstore.http.plain.allowed";
    /** The Redis protocol's own allowance; unset, the plain-HTTP one decides (one switch for a trusted lab). */
    static final String RESP_ALLOWED = "raftstore.resp.plain.allowed";

    private PlainHttpGuard() {
    }

    /** @throws IllegalStateException saying which setting refuses the start, and what to change */
    static void check(Function<String, Optional<String>> config) {
        String allowed = value(config, ALLOWED, "false").toLowerCase(Locale.ROOT);
        if (!allowed.equals("true") && !allowed.equals("false")) {
            throw new IllegalStateException(ALLOWED + " must be true or false, was '" + allowed + "'");
        }
        String port = value(config, PORT, "9081");
        if (allowed.equals("true") || port.equals("-1")) {
            return;
        }
        String host = value(config, HOST, "127.0.0.1");
        String problem = notLoopback(host);
        if (problem != null) {
            throw new IllegalStateException("plain HTTP on " + host + ":" + port + " refused: " + problem
                    + ", and passwords, keys and values would cross the network in clear text. Allow it on a network"
                    + " you trust with " + ALLOWED + "=true (environment RAFTSTORE_HTTP_PLAIN_ALLOWED=true), or serve"
                    + " plain HTTP on loopback only (" + HOST + "=127.0.0.1) or not at all (" + PORT + "=-1) and"
                    + " use HTTPS");
        }
    }

    /**
     * The same rule for the Redis-protocol endpoint, which is always plain text: AUTH's passwords and the values
     * would cross the network in clear. Its own switch ({@value #RESP_ALLOWED}) lets a deployment serve Redis
     * clients on its network while plain HTTP stays refused. Access without AUTH
     * ({@code raftstore.resp.anonymous}) is refused beyond loopback whatever the allowance.
     */
    static void checkResp(Function<String, Optional<String>> config) {
        String allowed = value(config, RESP_ALLOWED, value(config, ALLOWED, "false")).toLowerCase(Locale.ROOT);
        if (!allowed.equals("true") && !allowed.equals("false")) {
            throw new IllegalStateException(RESP_ALLOWED + " must be true or false, was '" + allowed + "'");
        }
        if (RespEndpoint.port(config) == -1) {
            return;
        }
        String host = RespEndpoint.host(config);
        String problem = notLoopback(host);
        if (problem != null && !RespEndpoint.anonymous(config).isEmpty()) {
            // Whatever the plain-text allowance: no password at all is for a developer's own machine.
            throw new IllegalStateException(RespEndpoint.ANONYMOUS + " lets anyone who reaches " + host + " use the"
                    + " store without a password, and " + problem + "; it is allowed on a loopback address only. Set"
                    + " it to none and have clients AUTH with a user of the REST API");
        }
        if (allowed.equals("true")) {
            return;
        }
        if (problem != null) {
            throw new IllegalStateException("the Redis protocol on " + host + ":" + RespEndpoint.port(config)
                    + " refused: " + problem + ", and AUTH passwords, keys and values would cross the network in"
                    + " clear text. Allow it on a network you trust with " + RESP_ALLOWED + "=true (environment"
                    + " RAFTSTORE_RESP_PLAIN_ALLOWED=true), bind it to loopback (" + RespEndpoint.HOST + "=127.0.0.1)"
                    + " or turn it off (" + RespEndpoint.PORT + "=-1)");
        }
    }

    /** Why {@code host} is not loopback only, or null when every address it names is loopback. */
    static String notLoopback(String host) {
        if (host.equals("*")) {
            return "* is every interface";
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return host + " is " + (a.isAnyLocalAddress() ? "every interface" : "not a loopback address");
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return host + " does not resolve, so it cannot be shown to be loopback";
        }
    }

    private static String value(Function<String, Optional<String>> config, String key, String otherwise) {
        return config.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(otherwise);
    }
}
