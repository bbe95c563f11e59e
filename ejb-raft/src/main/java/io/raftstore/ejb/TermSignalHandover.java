package io.raftstore.ejb;

import io.raftstore.node.EventTrace;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.logging.Logger;

/**
 * Hands leadership over when SIGTERM arrives, BEFORE the JVM begins to exit, then passes the signal on to
 * the handler it replaced (the JVM's own: exit and run the shutdown hooks).
 *
 * <p>Why not only a shutdown hook: once the JVM exits, Liberty's shutdown hook first looks for a caller of
 * {@code System.exit} by taking the stack trace of every thread, one safepoint per thread (about 110 here,
 * 15-24 ms of stopped JVM within 40 ms, measured with {@code -Xlog:safepoint}), and then stops the server.
 * A transfer started from a hook raced that storm and began 8-52 ms after the signal. From the signal
 * handler it begins at once, in a still quiet JVM, and the exit waits for it (bounded by the handover
 * timeout).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) may be missing or refused (for example with
 * {@code -Xrs}); then {@link #install} says so and the shutdown hook alone hands over.
 */
final class TermSignalHandover {

    private static final Logger LOG = Logger.getLogger(TermSignalHandover.class.getName());

    private final Signal term;
    private final SignalHandler previous;

    private TermSignalHandover(Signal term, SignalHandler previous) {
        this.term = term;
        this.previous = previous;
    }

    /** Installs a SIGTERM handler that runs {@code handOver}, then the previous handler; null if refused. */
    static TermSignalHandover install(Runnable handOver) {
        try {
            Signal term = new Signal("TERM");
            Holder holder = new Holder();
            SignalHandler previous = Signal.handle(term, sig -> {
                EventTrace.log("SIGTERM");
                try {
                    handOver.run();
                } finally {
                    while (holder.handover == null) {
                        Thread.onSpinWait(); // a signal within microseconds of installing
                    }
                    holder.handover.passOn(sig);
                }
            });
            holder.handover = new TermSignalHandover(term, previous);
            return holder.handover;
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.info("no SIGTERM handler (" + e + "): a leader hands over from the JVM shutdown hook instead");
            return null;
        }
    }

    /** Puts the previous handler back (the application stops while the JVM goes on). */
    void uninstall() {
        try {
            Signal.handle(term, previous);
        } catch (IllegalArgumentException e) {
            LOG.fine("could not restore the SIGTERM handler: " + e);
        }
    }

    private void passOn(Signal sig) {
        if (previous == SignalHandler.SIG_DFL || previous == SignalHandler.SIG_IGN) {
            // A native disposition cannot be called: restore it and deliver the signal again.
            Signal.handle(term, previous);
            if (previous == SignalHandler.SIG_DFL) {
                Signal.raise(term);
            }
        } else {
            previous.handle(sig);
        }
    }

    /** The handler needs the object that holds the handler it replaced, which exists only after installing. */
    private static final class Holder {
        volatile TermSignalHandover handover;
    }
}
