package io.raftstore.jca.session;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ClientRequest;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.api.spi.StoreLimits;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Finds the node's gateway afresh for every call (the store's EAR may restart under a running adapter)
 * and retries until the adapter's request timeout is spent. A read is always safe to repeat. Every write goes
 * out as the next request of this gateway's client session ({@link ClientRequest}: one session per managed
 * connection, a random client id, one write at a time), so a write whose outcome is unknown (its leader lost
 * mid-request) is repeated with the same request and applies at most once; the node re-sends it to the new
 * leader itself. A write given its own session by the caller is retried the same way.
 * A prepared transaction's prepare, commit and rollback are repeated too, without a session: each does
 * nothing the second time (a commit or rollback then finds the transaction gone, which after an unknown
 * outcome means the earlier attempt did it). A {@link io.raftstore.api.KeyHeldException} (a plain write to a
 * key a prepared transaction holds) wrote nothing, so it is retried: the key is usually released within
 * milliseconds.
 */
public final class RetryingGateway implements StoreGateway {

    /** Waits between attempts; replaced in tests. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private static final long FIRST_BACKOFF_MILLIS = 20;

    private final Supplier<StoreGateway> lookup;
    private final long budgetMillis;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final long clientId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    /** Writes of one session go one at a time: the store remembers only a client's latest request. */
    private final Object sessionLock = new Object();
    private long sequence;

    public RetryingGateway(Supplier<StoreGateway> lookup, long budgetMillis, LongSupplier nanoClock, Sleeper sleeper) {
        this.lookup = lookup;
        this.budgetMillis = budgetMillis;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    public RetryingGateway(Supplier<StoreGateway> lookup, long budgetMillis) {
        this(lookup, budgetMillis, System::nanoTime, Thread::sleep);
    }

    @Override
    public Optional<Versioned> read(String key, ReadConsistency consistency) {
        return attempt(() -> lookup.get().read(key, consistency));
    }

    @Override
    public ScanPage scan(String prefix, int limit, ReadConsistency consistency) {
        return attempt(() -> lookup.get().scan(prefix, limit, consistency));
    }

    @Override
    public ScanPage scan(String prefix, String after, int limit, ReadConsistency consistency) {
        return attempt(() -> lookup.get().scan(prefix, after, limit, consistency));
    }

    @Override
    public OperationResult execute(Operation operation) {
        synchronized (sessionLock) {
            return execute(operation, new ClientRequest(clientId, ++sequence));
        }
    }

    @Override
    public long executeBatch(List<Precondition> conditions, List<Operation> operations) {
        synchronized (sessionLock) {
            return executeBatch(conditions, operations, new ClientRequest(clientId, ++sequence));
        }
    }

    @Override
    public OperationResult execute(Operation operation, ClientRequest request) {
        return attempt(() -> lookup.get().execute(operation, request));
    }

    @Override
    public long executeBatch(List<Precondition> conditions, List<Operation> operations, ClientRequest request) {
        return attempt(() -> lookup.get().executeBatch(conditions, operations, request));
    }

    /** Repeated like the writes: preparing an id that is already prepared changes nothing. */
    @Override
    public long prepare(String transactionId, List<Precondition> conditions, List<Operation> operations) {
        return attempt(() -> lookup.get().prepare(transactionId, conditions, operations));
    }

    @Override
    public void commitPrepared(String transactionId) {
        resolve(transactionId, g -> g.commitPrepared(transactionId));
    }

    @Override
    public void rollbackPrepared(String transactionId) {
        resolve(transactionId, g -> g.rollbackPrepared(transactionId));
    }

    @Override
    public List<PreparedTransaction> preparedTransactions() {
        return attempt(() -> lookup.get().preparedTransactions());
    }

    @Override
    public StoreLimits limits() {
        return attempt(() -> lookup.get().limits());
    }

    /**
     * Commits or rolls back a prepared transaction, repeating it even when an attempt's outcome is unknown:
     * a second commit or rollback of one transaction does nothing. So when an attempt after such an unknown
     * outcome finds the transaction gone, the earlier attempt did the work, and that is success.
     */
    private void resolve(String transactionId, Consumer<StoreGateway> resolution) {
        boolean[] outcomeUnknown = {false};
        try {
            attempt(() -> {
                try {
                    resolution.accept(lookup.get());
                } catch (StoreUnavailableException e) {
                    outcomeUnknown[0] |= e.mayHaveTakenEffect();
                    throw e;
                }
                return null;
            });
        } catch (UnknownTransactionException e) {
            if (!outcomeUnknown[0]) {
                throw e;
            }
        }
    }

    /** Every call repeated here is harmless to repeat: a read, or a write carrying its session's request. */
    private <T> T attempt(Supplier<T> call) {
        long deadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                return call.get();
            } catch (StoreUnavailableException e) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - nanoClock.getAsLong());
                if (left <= 0) {
                    throw e;
                }
                try {
                    sleeper.sleep(Math.min(Math.min(backoff, e.retryAfterMillis()), left));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 500);
            }
        }
    }
}
