/**
 * Redis commands over the replicated store: a {@link io.raftstore.resp.command.Dispatcher} takes one decoded
 * command of one connection ({@link io.raftstore.resp.command.ClientSession}) and answers its reply, through
 * the node's {@link io.raftstore.api.spi.StoreGateway}. Commands live in small groups (connection, strings,
 * counters, key space, transactions) that register themselves in a {@link io.raftstore.resp.command.CommandRegistry}.
 *
 * <p>Two ways to run a command: directly, one store call per key operation (GET, plain SET, INCR, one-key
 * DEL), or atomically, as MULTI/EXEC does: reads recorded with their versions, writes buffered, and everything
 * committed as one conditional batch whose conditions are the versions read (retried a bounded number of
 * times when another writer got in between).
 */
package io.raftstore.resp.command;
