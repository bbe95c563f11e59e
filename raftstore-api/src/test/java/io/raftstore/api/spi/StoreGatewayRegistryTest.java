package io.raftstore.api.spi;

import io.raftstore.api.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StoreGatewayRegistryTest {

    private final StoreGateway first = fake();
    private final StoreGateway second = fake();

    @AfterEach
    void clear() {
        StoreGatewayRegistry.unregister(first);
        StoreGatewayRegistry.unregister(second);
    }

    @Test
    void unavailableUntilRegisteredAndAfterUnregistered() {
        assertThrows(StoreUnavailableException.class, StoreGatewayRegistry::current);
        StoreGatewayRegistry.register(first);
        assertSame(first, StoreGatewayRegistry.current());
        StoreGatewayRegistry.unregister(first);
        assertThrows(StoreUnavailableException.class, StoreGatewayRegistry::current);
    }

    @Test
    void staleUnregisterLeavesNewerRegistration() {
        StoreGatewayRegistry.register(first);
        StoreGatewayRegistry.register(second);
        StoreGatewayRegistry.unregister(first);
        assertSame(second, StoreGatewayRegistry.current());
    }

    private static StoreGateway fake() {
        return (StoreGateway) Proxy.newProxyInstance(StoreGateway.class.getClassLoader(),
                new Class<?>[] {StoreGateway.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException();
                });
    }
}
