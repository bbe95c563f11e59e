package io.raftstore.resp.command;

import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.resp.protocol.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Consecutive plain {@code SET k v} commands that a client pipelined travel to the leader as one batch: one
 * log entry, one client-session request and one quorum round instead of one each. Every SET still gets its
 * own {@code +OK}, in order. The batch is all-or-nothing, which is stronger than Redis promises for a
 * pipeline and changes no answer: no reader can tell the writes of one batch apart in time.
 *
 * <p>When the store refuses a batch for what is in it (a value too large, a key it does not accept), nothing
 * was applied, and its SETs run one by one so that each gets its own answer, as without batching. When the
 * store is unavailable, every SET of the batch gets that error.
 */
final class PipelinedSets {

    private final StoreGateway gateway;
    private final LeaderDirectory leaders;

    PipelinedSets(StoreGateway gateway, LeaderDirectory leaders) {
        this.gateway = gateway;
        this.leaders = leaders;
    }

    /**
     * True for a SET this batching may take: exactly {@code SET key value}, outside MULTI, by a connection
     * that may write and would not be redirected (those answer MOVED one by one).
     */
    boolean takes(ClientSession session, List<byte[]> args) {
        return args.size() == 3 && args.get(0).length == 3
                && new String(args.get(0), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT).equals("set")
                && !session.inMulti() && session.authenticated() && session.may(Role.WRITER)
                && !(session.redirect() && !leaders.localIsLeader());
    }

    /**
     * Runs SETs that {@link #takes} accepted, in batches of at most the store's batch size.
     *
     * @param oneByOne how a SET runs alone (the dispatcher's own path), for a refused batch
     */
    List<Reply> run(ClientSession session, List<List<byte[]>> sets, Function<List<byte[]>, Reply> oneByOne) {
        List<Reply> replies = new ArrayList<>(sets.size());
        int max = Math.max(1, gateway.limits().maxBatchSize());
        for (int from = 0; from < sets.size(); from += max) {
            List<List<byte[]>> chunk = sets.subList(from, Math.min(sets.size(), from + max));
            replies.addAll(runChunk(session, chunk, oneByOne));
        }
        return replies;
    }

    private List<Reply> runChunk(ClientSession session, List<List<byte[]>> chunk, Function<List<byte[]>, Reply> oneByOne) {
        List<Operation> puts = new ArrayList<>(chunk.size());
        try {
            for (List<byte[]> args : chunk) {
                puts.add(new Operation.Put(new CommandCall(session, args, null).key(1), args.get(2)));
            }
        } catch (CommandException badKey) {
            return chunk.stream().map(oneByOne).toList();
        }
        Reply reply;
        try {
            session.writer().executeBatch(List.of(), puts);
            reply = Reply.OK;
        } catch (StoreUnavailableException e) {
            reply = Errors.fromStore(e, leaders);
        } catch (StoreException refused) {
            return chunk.stream().map(oneByOne).toList();
        }
        List<Reply> replies = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            replies.add(reply);
        }
        return replies;
    }
}
