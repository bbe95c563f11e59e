package io.raftstore.transport.jgroups;

import org.jgroups.util.DefaultThreadFactory;

import java.util.concurrent.ThreadFactory;

/**
 * Lets a container supply JGroups' threads (for example a Jakarta {@code ManagedThreadFactory}), so that
 * code running on them sees the application's context. JGroups still names the threads.
 */
final class ContainerThreadFactory extends DefaultThreadFactory {

    private final ThreadFactory delegate;

    ContainerThreadFactory(ThreadFactory delegate) {
        super("jgroups", true, true);
        this.delegate = delegate;
    }

    @Override
    protected Thread newThread(Runnable r, String name, String address, String clusterName) {
        Thread t = delegate.newThread(r);
        t.setName(getThreadName(name, t, address, clusterName));
        t.setDaemon(true);
        return t;
    }
}
