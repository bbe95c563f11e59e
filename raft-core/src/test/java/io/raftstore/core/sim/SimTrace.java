package io.raftstore.core.sim;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The step-by-step trace of a replayed seed: one line per event, prefixed with the global tick. Off by
 * default; callers pass suppliers or cheap strings so that an untraced run pays almost nothing.
 */
final class SimTrace {

    static final SimTrace OFF = new SimTrace(null);

    private final PrintStream out;
    private long tick;

    SimTrace(PrintStream out) {
        this.out = out;
    }

    boolean on() {
        return out != null;
    }

    void tick(long now) {
        tick = now;
    }

    void node(String node, String text) {
        if (out != null) {
            out.printf("%6d %-4s %s%n", tick, node, text);
        }
    }

    void event(String text) {
        node("--", text);
    }

    void lazy(String node, Supplier<String> text) {
        if (out != null) {
            node(node, text.get());
        }
    }
}
