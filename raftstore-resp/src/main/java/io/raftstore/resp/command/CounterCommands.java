package io.raftstore.resp.command;

import io.raftstore.resp.protocol.Reply;

import java.util.function.ToLongFunction;

/**
 * INCR, INCRBY, DECR and DECRBY over the store's counters (decimal text). Outside MULTI each is the store's
 * own increment, atomic in the log, so concurrent increments never conflict.
 */
final class CounterCommands {

    private final CommandRegistry registry;

    CounterCommands(CommandRegistry registry) {
        this.registry = registry;
    }

    void register() {
        counter("incr", 2, call -> 1);
        counter("decr", 2, call -> -1);
        counter("incrby", 3, call -> call.integer(2));
        counter("decrby", 3, call -> {
            long delta = call.integer(2);
            if (delta == Long.MIN_VALUE) {
                throw new CommandException("ERR decrement would overflow");
            }
            return -delta;
        });
    }

    private void counter(String name, int arity, ToLongFunction<CommandCall> delta) {
        registry.write(name, arity, 1, 1, args -> false,
                call -> new Reply.Integer(call.view().increment(call.key(1), delta.applyAsLong(call))));
    }
}
