package io.raftstore.ejb;

/**
 * A JVM that installs {@link TermSignalHandover} and a shutdown hook, says "ready" and waits: the test sends it
 * SIGTERM and reads in which order the handover and the JVM's exit happened.
 */
public final class SigtermChild {
    private SigtermChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("exit hook")));
        TermSignalHandover handover = TermSignalHandover.install(() -> System.out.println("handover"));
        System.out.println(handover == null ? "no handler" : "ready");
        System.out.flush();
        Thread.sleep(60_000); // bounded: the test kills it long before
    }
}
