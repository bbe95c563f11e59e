/**
 * The node's side of the resource adapter's SPI: {@link io.raftstore.ejb.gateway.KvStoreGateway} turns
 * API-level operations into {@link io.raftstore.kv.KvCommand}s for the node ({@link io.raftstore.ejb.gateway.KvNode}),
 * and results and failures back into API results and exceptions
 * ({@link io.raftstore.ejb.gateway.KvResultMapper}).
 */
package io.raftstore.ejb.gateway;
