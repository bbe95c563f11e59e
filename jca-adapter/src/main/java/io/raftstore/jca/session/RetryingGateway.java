package io.raftstore.jca.session;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.api.spi.StoreLimits;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Finds the node's gateway afresh for every call (the store's EAR may restart under a running adapter)
 * and retries failures that certainly wrote nothing until the adapter's request timeout is spent: a read
 * is always safe to repeat; a write only when the failure says it cannot have taken effect (no leader, the
 * node not yet registered). A write whose outcome is unknown is reported at once, never blindly repeated —
 * except the commit or rollback of a prepared transaction, which does nothing the second time. A
 * {@link io.raftstore.api.KeyHeldException} (a plain write to a key a prepared transaction holds) wrote
 * nothing, so it is retried too: the key is usually released within milliseconds.
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
        return attempt(true, () -> lookup.get().read(key, consistency));
    }

    @Override
    public ScanPage scan(String prefix, int limit, ReadConsistency consistency) {
        return attempt(true, () -> lookup.get().scan(prefix, limit, consistency));
    }

    @Override
    public OperationResult execute(Operation operation) {
        return attempt(false, () -> lookup.get().execute(operation));
    }

    @Override
    public long executeBatch(List<Precondition> conditions, List<Operation> operations) {
        return attempt(false, () -> lookup.get().executeBatch(conditions, operations));
    }

    /** Not repeated when its outcome is unknown: the caller rolls back what it may have prepared. */
    @Override
    public long prepare(String transactionId, List<Precondition> conditions, List<Operation> operations) {
        return attempt(false, () -> lookup.get().prepare(transactionId, conditions, operations));
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
        return attempt(true, () -> lookup.get().preparedTransactions());
    }

    @Override
    public StoreLimits limits() {
        return attempt(true, () -> lookup.get().limits());
    }

    /**
     * Commits or rolls back a prepared transaction, repeating it even when an attempt's outcome is unknown:
     * a second commit or rollback of one transaction does nothing. So when an attempt after such an unknown
     * outcome finds the transaction gone, the earlier attempt did the work, and that is success.
     */
    private void resolve(String transactionId, Consumer<StoreGateway> resolution) {
        boolean[] outcomeUnknown = {false};
        try {
            attempt(true, () -> {
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

    private <T> T attempt(boolean idempotent, Supplier<T> call) {
        long deadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                return call.get();
            } catch (StoreUnavailableException e) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - nanoClock.getAsLong());
                if ((!idempotent && e.mayHaveTakenEffect()) || left <= 0) {
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
