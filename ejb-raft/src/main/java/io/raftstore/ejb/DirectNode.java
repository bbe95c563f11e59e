package io.raftstore.ejb;

import java.util.concurrent.atomic.AtomicReference;

/**
 * This server's {@link RaftNodeBean} itself, for the web module's single-key requests to call without the EJB
 * container's proxy in between.
 *
 * <p>Why: on the leader the proxy (container pre- and post-invoke, security collaborator, CDI request scope,
 * exception wrapping) took about 8% of the CPU of a REST read and 7% of a write, more than the node's own work
 * for a stale read (docs/benchmarks.md, "What changed late on 2026-12-03"). It adds nothing these calls
 * need: the bean is thread-safe (bean-managed concurrency), supports transactions without starting one, and
 * has no method permissions (the web module checks roles before it calls). The JCA adapter and the Redis
 * endpoint reach the same bean the same way, through {@code KvStoreGateway}.
 *
 * <p>Failures reach the caller as the bean throws them, {@link io.raftstore.ejb.view.NodeRequestException} and
 * {@link io.raftstore.api.InvalidRequestException} unwrapped; a caller that also uses the proxy handles both.
 *
 * <h2>Lifecycle</h2>
 * The bean publishes itself once it has started and withdraws first thing when it stops, so a request never
 * reaches a bean that is not serving; meanwhile {@link #orElse} answers with the caller's proxy, which the
 * container refuses or serves as before. An application restart publishes the new bean.
 *
 * <h2>Threads</h2>
 * Any thread.
 */
public final class DirectNode {
    private static final AtomicReference<RaftStoreLocal> PUBLISHED = new AtomicReference<>();

    private DirectNode() {
    }

    static void publish(RaftStoreLocal bean) {
        PUBLISHED.set(bean);
    }

    /** Withdraws {@code bean} if it is the one published (a newer bean may have replaced it). */
    static void withdraw(RaftStoreLocal bean) {
        PUBLISHED.compareAndSet(bean, null);
    }

    /** The started bean, or {@code proxy} (the container's) while none is published. */
    public static RaftStoreLocal orElse(RaftStoreLocal proxy) {
        RaftStoreLocal bean = PUBLISHED.get();
        return bean != null ? bean : proxy;
    }
}
