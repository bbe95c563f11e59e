package io.raftstore.resp.command;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.resp.command.CommandSpec.Flag;
import io.raftstore.resp.protocol.Reply;

import java.util.List;
import java.util.Map;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH. MULTI queues key commands; EXEC runs them as one conditional batch
 * (see {@link AtomicRunner}) whose conditions include the versions the WATCHed keys had when watched, so a
 * WATCHed key changed by anyone before the batch commits makes EXEC answer a null array and write nothing.
 */
final class TransactionCommands {

    private final StoreGateway gateway;
    private final AtomicRunner runner;
    private final CommandRegistry registry;

    TransactionCommands(StoreGateway gateway, AtomicRunner runner, CommandRegistry registry) {
        this.gateway = gateway;
        this.runner = runner;
        this.registry = registry;
    }

    void register() {
        registry.control("multi", 1, call -> {
            if (call.session().inMulti()) {
                throw new CommandException("ERR MULTI calls can not be nested");
            }
            call.session().beginMulti();
            return Reply.OK;
        }, Flag.TRANSACTION_CONTROL);
        registry.control("exec", 1, this::exec, Flag.TRANSACTION_CONTROL);
        registry.control("discard", 1, call -> {
            if (!call.session().inMulti()) {
                throw new CommandException("ERR DISCARD without MULTI");
            }
            call.session().endMulti();
            return Reply.OK;
        }, Flag.TRANSACTION_CONTROL);
        registry.control("watch", -2, this::watch, Flag.TRANSACTION_CONTROL);
        registry.control("unwatch", 1, call -> {
            call.session().unwatch();
            return Reply.OK;
        }, Flag.TRANSACTION_CONTROL);
    }

    private Reply exec(CommandCall call) {
        ClientSession session = call.session();
        if (!session.inMulti()) {
            throw new CommandException("ERR EXEC without MULTI");
        }
        boolean failed = session.queueFailed();
        Map<String, Long> watched = session.watched();
        List<ClientSession.QueuedCommand> queued = session.endMulti();
        if (failed) {
            throw new CommandException("EXECABORT Transaction discarded because of previous errors.");
        }
        List<Reply> replies = runner.run(session, queued, watched);
        return replies == null ? Reply.NULL_ARRAY : new Reply.Array(replies);
    }

    /** Remembers each key's version now, read linearizably so that a stale version cannot abort EXEC spuriously. */
    private Reply watch(CommandCall call) {
        if (call.session().inMulti()) {
            throw new CommandException("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < call.count(); i++) {
            String key = call.key(i);
            if (!call.session().watching(key)) {
                call.session().watch(key, gateway.read(key, ReadConsistency.LINEARIZABLE).map(Versioned::version).orElse(0L));
            }
        }
        return Reply.OK;
    }
}
