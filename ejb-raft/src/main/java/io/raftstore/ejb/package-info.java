/**
 * The node inside a Jakarta EE container: {@link io.raftstore.ejb.RaftNodeBean}, a startup singleton that
 * owns one {@link io.raftstore.node.RunningNode}, and its local business interface
 * {@link io.raftstore.ejb.RaftStoreLocal}, which the REST layer (and later the JCA adapter) call.
 */
package io.raftstore.ejb;
