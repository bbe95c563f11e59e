package io.raftstore.resp.command;

import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.spi.ClientRequest;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.StoreGateway;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The writes of one connection as one client session of the store: a random client id, the sequence one more
 * per write. A write whose outcome is unknown (the leader was lost before it answered) is sent again once with
 * the same (client, sequence), which the store applies at most once; if that too ends unknown, the client gets
 * the error, and when it retries the very same write on this connection (what client libraries do), the retry
 * reuses that sequence, so it cannot apply twice.
 */
final class SessionWriter {

    /** Sends of one write while its outcome stays unknown, before the client is told. */
    static final int SENDS_PER_WRITE = 2;

    private final StoreGateway gateway;
    private final long clientId;
    private long sequence;
    private Unanswered unanswered;

    /** A write sent under {@code request} whose outcome is unknown. */
    private record Unanswered(List<Precondition> conditions, List<Operation> operations, ClientRequest request) {
    }

    SessionWriter(StoreGateway gateway, long clientId) {
        this.gateway = gateway;
        this.clientId = clientId;
    }

    long clientId() {
        return clientId;
    }

    OperationResult execute(Operation operation) {
        return send(List.of(), List.of(operation), request -> gateway.execute(operation, request));
    }

    long executeBatch(List<Precondition> conditions, List<Operation> operations) {
        return send(conditions, operations, request -> gateway.executeBatch(conditions, operations, request));
    }

    private <T> T send(List<Precondition> conditions, List<Operation> operations, Function<ClientRequest, T> call) {
        boolean repeat = unanswered != null && unanswered.conditions().equals(conditions)
                && sameWrites(unanswered.operations(), operations);
        ClientRequest request = repeat ? unanswered.request() : new ClientRequest(clientId, ++sequence);
        for (int send = 1; ; send++) {
            try {
                T outcome = call.apply(request);
                unanswered = null;
                return outcome;
            } catch (StoreUnavailableException e) {
                if (!e.mayHaveTakenEffect() && !repeat) {
                    unanswered = null;
                    throw e;
                }
                // Unknown: the first send may still apply, so every later send of this write keeps its sequence.
                repeat = true;
                unanswered = new Unanswered(List.copyOf(conditions), List.copyOf(operations), request);
                if (send == SENDS_PER_WRITE) {
                    throw e;
                }
            }
        }
    }

    /** Records compare arrays by identity; a client's retry carries equal bytes in new arrays. */
    private static boolean sameWrites(List<Operation> a, List<Operation> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameWrite(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameWrite(Operation a, Operation b) {
        if (a.getClass() != b.getClass() || !a.key().equals(b.key())) {
            return false;
        }
        if (a instanceof Operation.Put p) {
            return Arrays.equals(p.value(), ((Operation.Put) b).value());
        }
        if (a instanceof Operation.PutIfAbsent p) {
            return Arrays.equals(p.value(), ((Operation.PutIfAbsent) b).value());
        }
        if (a instanceof Operation.CompareAndSet c) {
            Operation.CompareAndSet d = (Operation.CompareAndSet) b;
            return c.expectedVersion() == d.expectedVersion() && Arrays.equals(c.value(), d.value());
        }
        // Delete and Increment hold no arrays: their record equality is content equality.
        return a.equals(b);
    }
}
