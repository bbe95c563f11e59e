package io.raftstore.core.sim;

import io.raftstore.core.codec.MessageCodec;
import io.raftstore.core.message.RaftMessage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulated network: every message is encoded with {@link MessageCodec} (so the codec sees real
 * traffic and no two nodes ever share an object), then delayed, reordered, duplicated or lost by a seeded
 * generator, and dropped on blocked links. Links are directed, so a partition can be asymmetric: A hears B
 * while B does not hear A.
 */
public final class SimNetwork {

    /** A message on the wire, due at a global tick; {@code seq} keeps equal ticks in a fixed order. */
    private record InFlight(long dueTick, long seq, String from, String to, byte[] bytes) {
    }

    private final Random random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(InFlight::dueTick).thenComparingLong(InFlight::seq));
    private final Set<String> blocked = new TreeSet<>();
    private long seq;
    private double lossRate;
    private double duplicateRate;
    private int maxDelay = 1;
    private double spikeRate;
    private long sent;
    private long dropped;

    public SimNetwork(Random random) {
        this.random = random;
    }

    /**
     * Sets how unreliable the network is.
     *
     * @param maxDelay  delays are drawn from [1, maxDelay] ticks, which reorders messages
     * @param spikeRate the chance of a long delay (up to 10 * maxDelay): stale messages arriving late
     */
    public void setFaults(double lossRate, double duplicateRate, int maxDelay, double spikeRate) {
        this.lossRate = lossRate;
        this.duplicateRate = duplicateRate;
        this.maxDelay = Math.max(1, maxDelay);
        this.spikeRate = spikeRate;
    }

    /** More messages than this in flight means the cluster is in a message storm: report it, don't swap. */
    static final int MAX_IN_FLIGHT = 100_000;

    public void send(RaftMessage message, long now) {
        sent++;
        if (inFlight.size() > MAX_IN_FLIGHT) {
            throw new SafetyViolation("message storm: " + inFlight.size() + " messages in flight, last " + message);
        }
        if (isBlocked(message.from(), message.to()) || random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        byte[] bytes = MessageCodec.encode(message);
        enqueue(message, bytes, now);
        if (random.nextDouble() < duplicateRate) {
            enqueue(message, bytes, now);
        }
    }

    private void enqueue(RaftMessage m, byte[] bytes, long now) {
        int delay = 1 + random.nextInt(maxDelay);
        if (random.nextDouble() < spikeRate) {
            delay += random.nextInt(10 * maxDelay);
        }
        inFlight.add(new InFlight(now + delay, seq++, m.from(), m.to(), bytes));
    }

    /** Removes and decodes every message due by {@code now}, except those whose link is blocked now. */
    public List<RaftMessage> due(long now) {
        List<RaftMessage> out = new ArrayList<>();
        while (!inFlight.isEmpty() && inFlight.peek().dueTick <= now) {
            InFlight m = inFlight.poll();
            if (isBlocked(m.from, m.to)) {
                dropped++;
            } else {
                out.add(MessageCodec.decode(m.bytes));
            }
        }
        return out;
    }

    public boolean isBlocked(String from, String to) {
        return !blocked.isEmpty() && blocked.contains(from + ">" + to);
    }

    public void block(String from, String to) {
        blocked.add(from + ">" + to);
    }

    /** Cuts every link between the two sides, both ways. */
    public void partition(Collection<String> side, Collection<String> otherSide) {
        for (String a : side) {
            for (String b : otherSide) {
                block(a, b);
                block(b, a);
            }
        }
    }

    public void healAll() {
        blocked.clear();
    }

    public boolean partitioned() {
        return !blocked.isEmpty();
    }

    /** Blocked links as "from>to", for traces. */
    public Set<String> blockedLinks() {
        return new TreeSet<>(blocked);
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }

    public int inFlight() {
        return inFlight.size();
    }
}
