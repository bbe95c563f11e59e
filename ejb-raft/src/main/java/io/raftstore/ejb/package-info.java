/**
 * The node inside a Jakarta EE container: {@link io.raftstore.ejb.RaftNodeBean}, a startup singleton that
 * owns one {@link io.raftstore.node.RunningNode}, and its local business interface
 * {@link io.raftstore.ejb.RaftStoreLocal}, which the web module calls: its whole view of the node, in API
 * types and the records of {@link io.raftstore.ejb.view}. The JCA adapter reaches the node through
 * {@link io.raftstore.ejb.gateway.KvStoreGateway} instead.
 */
package io.raftstore.ejb;
