package io.raftstore.resp.server;

/**
 * Where and how the Redis-protocol server listens.
 *
 * @param host           the address to bind (an IP address or a name)
 * @param port           the TCP port; 0 picks a free one (tests)
 * @param workers        threads that run commands; each blocks while the store answers, so this bounds how
 *                       many connections wait on the store at once (the others' commands queue)
 * @param maxConnections connections beyond this are answered "-ERR max number of clients reached" and
 *                       closed, as Redis does
 */
public record RespServerSettings(String host, int port, int workers, int maxConnections) {

    public RespServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (workers < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("workers and maxConnections must be at least 1");
        }
    }
}
