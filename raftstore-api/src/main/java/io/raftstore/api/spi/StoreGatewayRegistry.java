package io.raftstore.api.spi;

import io.raftstore.api.StoreUnavailableException;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the node publishes its gateway and the adapter finds it.
 *
 * <p>Why a static holder is safe here: this class lives in the Liberty shared library that the store's EAR,
 * the standalone resource adapter and every application reference with {@code commonLibraryRef}. A common
 * library has ONE class loader for all of them, so this class, its static field and the gateway's interface
 * exist once in the server: the EJB registers an object that the adapter can cast to {@link StoreGateway}.
 * (With {@code privateLibraryRef}, or with the API jar packaged inside an application, each would get its
 * own copy of the class and the adapter would never see the registration.)
 *
 * <p>Lifecycle: the node's startup singleton registers at {@code @PostConstruct} and unregisters at
 * {@code @PreDestroy}; between the two (and while the EAR restarts) callers get
 * {@link StoreUnavailableException}.
 */
public final class StoreGatewayRegistry {

    private static final AtomicReference<StoreGateway> CURRENT = new AtomicReference<>();

    private StoreGatewayRegistry() {
    }

    public static void register(StoreGateway gateway) {
        CURRENT.set(Objects.requireNonNull(gateway, "gateway"));
    }

    /** Removes {@code gateway} if it is the registered one (a newer registration is left alone). */
    public static void unregister(StoreGateway gateway) {
        CURRENT.compareAndSet(gateway, null);
    }

    /** @throws StoreUnavailableException when no node has registered in this server */
    public static StoreGateway current() {
        StoreGateway g = CURRENT.get();
        if (g == null) {
            throw new StoreUnavailableException("the RaftStore node of this server is not running (the raftstore"
                    + " application is stopped or still starting)", 1000, false);
        }
        return g;
    }
}
