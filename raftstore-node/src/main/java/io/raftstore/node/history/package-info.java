/**
 * The failover history: each leadership change a node observed, with the wall-clock time the cluster had
 * no known leader, kept across restarts ({@link io.raftstore.node.history.H2FailoverHistory}).
 */
package io.raftstore.node.history;
