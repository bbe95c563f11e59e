package io.raftstore.core.sim;

/**
 * The seeds a simulation runner runs, from its command line: {@code --from N --count M} (a range) or
 * {@code --seed S} (one seed). Shared by the engine's and the whole node's runners.
 */
public final class SeedRange {

    private long from = 1;
    private long count = 1;

    /**
     * Takes the seed option at {@code args[i]}, if it is one, and returns the index of its value; returns
     * -1 when {@code args[i]} is another option.
     */
    public int accept(String[] args, int i) {
        switch (args[i]) {
            case "--from" -> from = Long.parseLong(args[i + 1]);
            case "--count" -> count = Long.parseLong(args[i + 1]);
            case "--seed" -> {
                from = Long.parseLong(args[i + 1]);
                count = 1;
            }
            default -> {
                return -1;
            }
        }
        return i + 1;
    }

    public long from() {
        return from;
    }

    /** One past the last seed. */
    public long end() {
        return from + count;
    }

    public long count() {
        return count;
    }
}
