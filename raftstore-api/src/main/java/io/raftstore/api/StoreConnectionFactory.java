package io.raftstore.api;

/**
 * Hands out connections to the RaftStore node running in this server. Obtain it by injection, e.g.
 * {@code @Resource(lookup = "eis/raftstore") StoreConnectionFactory store;}. Connections are pooled by the
 * server, so open one per unit of work and close it.
 */
public interface StoreConnectionFactory {

    /**
     * A connection for the calling thread. Inside a JTA transaction it takes part in that transaction.
     *
     * @throws StoreUnavailableException when the node of this server is not running
     */
    StoreConnection getConnection();
}
