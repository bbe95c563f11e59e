/** The failover history: the nodes' histories merged into one entry per term, charts and a time filter. */
package io.raftstore.web.console.history;
