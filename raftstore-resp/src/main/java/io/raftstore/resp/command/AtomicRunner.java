package io.raftstore.resp.command;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.resp.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs data commands as one conditional batch: the commands run against a {@link BatchView}, then the
 * writes commit at one log position on the condition that every key read (and every WATCHed key) is unchanged.
 * When another writer changed a key that was only read, the commands run again on fresh values, a bounded
 * number of times; when it changed a WATCHed key, the transaction is aborted, as Redis aborts it.
 */
final class AtomicRunner {

    /** Runs of one transaction before giving up under constant contention. */
    static final int MAX_ATTEMPTS = 8;

    private final StoreGateway gateway;

    AtomicRunner(StoreGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * @param watched WATCHed keys and their versions then (0: absent)
     * @return one reply per command (an error reply for a command that failed on its own, as in Redis's EXEC),
     *         or null when a WATCHed key changed: nothing was written
     */
    List<Reply> run(ClientSession session, List<ClientSession.QueuedCommand> commands, Map<String, Long> watched) {
        int maxValue = gateway.limits().maxValueBytes();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            BatchView view = new BatchView(key -> gateway.read(key, session.readConsistency()), maxValue);
            for (Map.Entry<String, Long> w : watched.entrySet()) {
                if (view.readVersion(w.getKey()) != w.getValue()) {
                    return null;
                }
            }
            List<Reply> replies = new ArrayList<>(commands.size());
            for (ClientSession.QueuedCommand command : commands) {
                try {
                    replies.add(command.spec().handler().handle(new CommandCall(session, command.args(), view)));
                } catch (CommandException e) {
                    replies.add(e.reply());
                }
            }
            List<Operation> operations = view.operations();
            if (operations.isEmpty()) {
                return replies;
            }
            List<Precondition> conditions = view.conditions();
            int size = conditions.size() + operations.size();
            int max = gateway.limits().maxBatchSize();
            if (size > max) {
                throw new CommandException("ERR this needs " + conditions.size() + " conditions (keys read or watched) and "
                        + operations.size() + " writes in one atomic batch, more than the store's " + max
                        + "; nothing was written. Split it into smaller transactions.");
            }
            try {
                session.writer().executeBatch(conditions, operations);
                return replies;
            } catch (ConditionFailedException e) {
                if (watched.containsKey(e.key())) {
                    return null;
                }
            }
        }
        throw new CommandException("ERR the keys kept changing under other writers (" + MAX_ATTEMPTS
                + " attempts); nothing was written. Retry the command.");
    }
}
