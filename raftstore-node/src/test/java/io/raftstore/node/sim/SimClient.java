package io.raftstore.node.sim;

import io.raftstore.core.ReadConsistency;
import io.raftstore.core.sim.KvCommand.Op;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvResult;
import io.raftstore.kv.KvValidationException;
import io.raftstore.node.RequestFailedException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One application thread using the store through any node, one operation at a time, as an application
 * inside a server does: writes with its client session (retried with the same sequence number, on any
 * node, until answered — exactly-once), some writes without one (never retried once they may have been
 * written), increments of its own counter, and linearizable or lease reads. A failure that says nothing
 * was written is believed half the time (the operation is dropped, as an application may), so such a
 * promise must hold. Every answer is recorded in
 * the {@link SimHistory}; a request that a running node leaves unanswered past its timeout fails the run.
 */
final class SimClient {

    /** How long one operation is retried before the client gives up on it. */
    private static final double GIVE_UP_MILLIS = 8_000;

    private final int id;
    private final SimWorld world;
    private final Supplier<List<SimNode>> nodes;
    private final SimHistory history;
    private final List<String> keys;
    private final long session;
    private long sequence;
    private int written;
    private boolean stopping;
    private boolean busy;
    int operations;

    SimClient(int id, SimWorld world, Supplier<List<SimNode>> nodes, SimHistory history, List<String> keys) {
        this.id = id;
        this.world = world;
        this.nodes = nodes;
        this.history = history;
        this.keys = keys;
        this.session = 1_000 + id;
    }

    void start() {
        busy = true;
        world.afterMillis(world.millisBetween(0, 20), this::next);
    }

    /** Finishes the operation under way, then starts no other. */
    void stop() {
        stopping = true;
    }

    boolean idle() {
        return !busy;
    }

    String counterKey() {
        return "ctr-" + id;
    }

    private void next() {
        if (stopping) {
            busy = false;
            return;
        }
        operations++;
        String key = keys.get(world.random.nextInt(keys.size()));
        double r = world.random.nextDouble();
        if (r < 0.35) {
            String value = newValue();
            write(new KvCommand.Put(key, value.getBytes(StandardCharsets.UTF_8)), history.invoke(id, key, Op.WRITE, value),
                    true);
        } else if (r < 0.45) {
            String value = newValue();
            write(new KvCommand.Put(key, value.getBytes(StandardCharsets.UTF_8)), history.invoke(id, key, Op.WRITE, value),
                    false);
        } else if (r < 0.50) {
            write(new KvCommand.Delete(key, null), history.invoke(id, key, Op.WRITE, null), true);
        } else if (r < 0.60) {
            write(new KvCommand.Increment(counterKey(), 1), null, true);
        } else {
            read(key, world.random.nextDouble() < 0.7 ? ReadConsistency.LINEARIZABLE : ReadConsistency.LEASE,
                    history.invoke(id, key, Op.GET, null), world.millis() + GIVE_UP_MILLIS);
        }
    }

    /** A unique value; now and then one longer than some nodes accept (their limits differ). */
    private String newValue() {
        String v = "c" + id + "-" + (++written) + "-";
        return v + "x".repeat(world.random.nextInt(20) == 0 ? 40 + world.random.nextInt(200) : world.random.nextInt(40));
    }

    /** One logical write ({@code call} null for an increment), attempted until answered or given up. */
    private void write(KvCommand command, SimHistory.Call call, boolean withSession) {
        long seq = withSession ? ++sequence : 0;
        attemptWrite(command, call, withSession ? session : 0, seq, false, world.millis() + GIVE_UP_MILLIS);
    }

    private void attemptWrite(KvCommand command, SimHistory.Call call, long clientId, long seq, boolean uncertain,
                              double giveUpAt) {
        SimNode node = pickNode();
        CompletableFuture<KvResult> answer;
        try {
            answer = node.up() ? node.write(command, clientId, seq)
                    : CompletableFuture.failedFuture(new IllegalStateException("connection refused by " + node.id));
        } catch (KvValidationException e) {
            // Refused by the node before anything was proposed: this attempt wrote nothing, an earlier one may have.
            world.trace("c" + id, "refused by " + node.id + ": " + e.getMessage());
            end(call, uncertain);
            return;
        }
        world.trace("c" + id, "write " + describe(command) + (clientId != 0 ? " #" + seq : "") + " to " + node.id);
        watch(node, answer);
        answer.whenComplete((result, error) -> world.afterMillis(0, () -> {
            Throwable e = unwrap(error);
            world.trace("c" + id, "write " + describe(command) + " answered: " + (e != null ? e : result));
            if (e == null && !(result instanceof KvResult.SessionExpired) && !(result instanceof KvResult.Rejected)) {
                if (call != null) {
                    history.ok(call, null);
                } else {
                    history.increment(counterKey(), true);
                }
                finished();
                return;
            }
            boolean mayHave = uncertain || (e instanceof RequestFailedException f ? f.mayHaveTakenEffect()
                    : e != null && !(e instanceof IllegalStateException));
            if (result != null) {
                mayHave = mayHave || result instanceof KvResult.SessionExpired;
            }
            // "Nothing was written" is a promise an application may act on: half the time it moves on.
            boolean retry = result == null && (clientId != 0 || !mayHave) && world.millis() < giveUpAt
                    && (mayHave || world.random.nextBoolean());
            if (retry) {
                boolean u = mayHave;
                world.afterMillis(world.millisBetween(5, 60),
                        () -> attemptWrite(command, call, clientId, seq, u, giveUpAt));
                return;
            }
            end(call, mayHave);
        }));
    }

    /** A write ends without a definite answer: recorded as unknown if any attempt may have taken effect. */
    private void end(SimHistory.Call call, boolean mayHaveTakenEffect) {
        if (mayHaveTakenEffect) {
            if (call != null) {
                history.unknown(call);
            } else {
                history.increment(counterKey(), false);
            }
        }
        finished();
    }

    private void read(String key, ReadConsistency consistency, SimHistory.Call call, double giveUpAt) {
        SimNode node = pickNode();
        CompletableFuture<KvResult> answer = node.up() ? node.read(new KvCommand.Get(key), consistency)
                : CompletableFuture.failedFuture(new IllegalStateException("connection refused by " + node.id));
        world.trace("c" + id, "read " + key + " " + consistency + " on " + node.id);
        watch(node, answer);
        answer.whenComplete((result, error) -> world.afterMillis(0, () -> {
            world.trace("c" + id, "read " + key + " answered: " + (error != null ? unwrap(error) : result));
            if (error == null) {
                history.ok(call, result instanceof KvResult.Value v ? new String(v.value(), StandardCharsets.UTF_8) : null);
                finished();
            } else if (world.millis() < giveUpAt) {
                world.afterMillis(world.millisBetween(5, 60), () -> read(key, consistency, call, giveUpAt));
            } else {
                finished();
            }
        }));
    }

    /** A node that runs must answer every request within its timeout (plus a tick or two). */
    private void watch(SimNode node, CompletableFuture<?> answer) {
        double limit = node.config.requestTimeoutMillis() + 200;
        world.afterMillis(limit, () -> {
            if (!answer.isDone()) {
                throw new SafetyViolationError("c" + id + "'s request to " + node.id + " is unanswered after "
                        + limit + " ms");
            }
        });
    }

    private void finished() {
        world.afterMillis(world.millisBetween(1, 30), this::next);
    }

    private SimNode pickNode() {
        List<SimNode> all = nodes.get();
        return all.get(world.random.nextInt(all.size()));
    }

    private static String describe(KvCommand c) {
        return c instanceof KvCommand.Put p ? "put " + p.key() + "=" + new String(p.value(), StandardCharsets.UTF_8)
                : c.toString();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
