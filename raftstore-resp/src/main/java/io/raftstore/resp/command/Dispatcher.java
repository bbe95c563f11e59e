package io.raftstore.resp.command;

import io.raftstore.api.StoreException;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.resp.protocol.Reply;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Answers the commands of every connection of one node. Thread-safe: connections may be served from several
 * threads, while each connection's commands run one at a time in order (the caller's duty), so their
 * replies come back in the order they were sent. Commands block while the store answers.
 */
public final class Dispatcher {

    private final StoreGateway gateway;
    private final Authenticator authenticator;
    private final LeaderDirectory leaders;
    private final LongSupplier clientIds;
    private final AtomicLong connectionIds = new AtomicLong();
    private final CommandRegistry registry = new CommandRegistry();
    private final AtomicRunner atomic;
    private final PipelinedSets pipelinedSets;

    /** Client ids from a secure random source: two nodes' connections must not share a session by chance. */
    public Dispatcher(StoreGateway gateway, Authenticator authenticator, LeaderDirectory leaders) {
        this(gateway, authenticator, leaders, new SecureRandom()::nextLong);
    }

    Dispatcher(StoreGateway gateway, Authenticator authenticator, LeaderDirectory leaders, LongSupplier clientIds) {
        this.gateway = gateway;
        this.authenticator = authenticator;
        this.leaders = leaders;
        this.clientIds = clientIds;
        this.atomic = new AtomicRunner(gateway);
        this.pipelinedSets = new PipelinedSets(gateway, leaders);
        new ConnectionCommands(authenticator, leaders, registry).register();
        new ServerCommands(registry, leaders).register();
        new StringCommands(registry).register();
        new CounterCommands(registry).register();
        new KeyspaceCommands(gateway, registry, new ScanCursors(clientIds.getAsLong() >>> 12)).register();
        new TransactionCommands(gateway, atomic, registry).register();
    }

    /** A new connection's state. */
    public ClientSession open() {
        long clientId = clientIds.getAsLong();
        while (clientId == 0) {
            clientId = clientIds.getAsLong();
        }
        return new ClientSession(connectionIds.incrementAndGet(), new SessionWriter(gateway, clientId),
                authenticator.anonymousRoles());
    }

    /**
     * The reply to one command.
     *
     * @param args the decoded command, its name first (never empty)
     */
    public Reply dispatch(ClientSession session, List<byte[]> args) {
        return dispatch(session, args, find(args));
    }

    private Optional<CommandSpec> find(List<byte[]> args) {
        return registry.find(new String(args.get(0), StandardCharsets.UTF_8));
    }

    private Reply dispatch(ClientSession session, List<byte[]> args, Optional<CommandSpec> found) {
        try {
            CommandSpec spec = found.orElseThrow(() -> Errors.unknownCommand(args));
            check(session, spec, args);
            if (session.inMulti() && !spec.is(CommandSpec.Flag.TRANSACTION_CONTROL)) {
                return enqueue(session, spec, args);
            }
            return run(session, spec, args);
        } catch (CommandException e) {
            session.failQueue();
            return e.reply();
        } catch (StoreException e) {
            return Errors.fromStore(e, leaders);
        }
    }

    /**
     * Answers commands a client pipelined (sent without waiting), in order: {@code replies} receives each
     * reply as soon as its command ran, so the caller encodes it in the protocol version of that moment (HELLO
     * changes it). After QUIT the rest is not run. Two shortcuts, each with the answers one by one would give:
     * <ul>
     *   <li>runs of two or more plain SETs go to the store as one batch ({@link PipelinedSets});</li>
     *   <li>in a run of key reads, the first reads linearizably and the others read what this node has applied
     *       since: the client sent them all before that first read's quorum round began, so every write that
     *       completed before any of them was sent is in what that round confirmed, and a node's applied state
     *       only moves forward. One round serves the run instead of one per read.</li>
     * </ul>
     */
    public void dispatchAll(ClientSession session, List<List<byte[]>> commands, Consumer<Reply> replies) {
        try {
            int next = 0;
            while (next < commands.size() && !session.closeRequested()) {
                int end = next;
                while (end < commands.size() && pipelinedSets.takes(session, commands.get(end))) {
                    end++;
                }
                if (end - next >= 2) {
                    session.holdReadBarrier(false);
                    pipelinedSets.run(session, commands.subList(next, end), args -> dispatch(session, args)).forEach(replies);
                    next = end;
                    continue;
                }
                List<byte[]> command = commands.get(next++);
                Optional<CommandSpec> spec = find(command);
                // A read of keys (GET, MGET, EXISTS, STRLEN) that runs now, not queued by MULTI.
                boolean keyRead = !session.inMulti()
                        && spec.map(c -> c.is(CommandSpec.Flag.READ) && c.is(CommandSpec.Flag.DATA)).orElse(false);
                if (!keyRead) {
                    session.holdReadBarrier(false);
                }
                Reply reply = dispatch(session, command, spec);
                if (keyRead && !(reply instanceof Reply.Error)) {
                    session.holdReadBarrier(true);
                }
                replies.accept(reply);
            }
        } finally {
            session.holdReadBarrier(false);
        }
    }

    private void check(ClientSession session, CommandSpec spec, List<byte[]> args) {
        if (!spec.arityMatches(args.size())) {
            throw Errors.wrongArity(spec.name());
        }
        if (!session.authenticated() && !spec.is(CommandSpec.Flag.NO_AUTH)) {
            throw new CommandException(Errors.NOAUTH);
        }
        if (spec.is(CommandSpec.Flag.WRITE) && !session.may(Role.WRITER)
                || spec.is(CommandSpec.Flag.READ) && !session.may(Role.READER)) {
            throw Errors.noPermission(spec.name());
        }
        if (spec.is(CommandSpec.Flag.WRITE) && session.redirect() && !leaders.localIsLeader()) {
            Optional<String> leader = leaders.leaderEndpoint();
            // Slot 0: the whole key space is one shard, and the leader serves all of it.
            throw new CommandException(leader.map(l -> "MOVED 0 " + l).orElse(Errors.CLUSTERDOWN));
        }
    }

    private Reply enqueue(ClientSession session, CommandSpec spec, List<byte[]> args) {
        if (!spec.is(CommandSpec.Flag.DATA)) {
            throw new CommandException("ERR '" + spec.name() + "' cannot be queued in MULTI: only key commands"
                    + " run inside a transaction; the transaction will be discarded at EXEC");
        }
        session.enqueue(spec, List.copyOf(args));
        return Reply.QUEUED;
    }

    private Reply run(ClientSession session, CommandSpec spec, List<byte[]> args) {
        if (spec.atomic() != null && spec.atomic().test(args)) {
            // WATCH guards EXEC only; a lone command's own reads are its conditions.
            return atomic.run(session, List.of(new ClientSession.QueuedCommand(spec, args)), Map.of()).get(0);
        }
        KeyView view = spec.is(CommandSpec.Flag.DATA) ? new DirectView(gateway, session) : null;
        return spec.handler().handle(new CommandCall(session, args, view));
    }

    /** The registered commands, for COMMAND's answers and for tests. */
    CommandRegistry registry() {
        return registry;
    }
}
