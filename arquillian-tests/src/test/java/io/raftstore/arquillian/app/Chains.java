package io.raftstore.arquillian.app;

import java.util.ArrayList;
import java.util.List;

/** The cause chain of a failure, for assertions about what an application gets to see. */
public final class Chains {

    private Chains() {
    }

    public static List<Throwable> of(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    /** The first throwable of the chain that is a {@code type}, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        return of(t).stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    /** The chain as one line per throwable, for failure messages. */
    public static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c : of(t)) {
            b.append("\n  ").append(c);
        }
        return b.toString();
    }
}
