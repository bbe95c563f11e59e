package io.raftstore.arquillian.app;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.Optional;

/** Another writer: its writes run outside the caller's transaction and are replicated before it returns. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Interference {

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory store;

    /** The key's value as others see it while the caller's transaction is still open. */
    public Optional<String> get(String key) {
        try (StoreConnection c = store.getConnection()) {
            return c.getString(key);
        }
    }

    public long put(String key, String value) {
        try (StoreConnection c = store.getConnection()) {
            return c.put(key, value);
        }
    }
}
