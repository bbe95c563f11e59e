package io.raftstore.jca;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import java.io.Serializable;
import javax.naming.Reference;

/** What {@code @Resource(lookup = "eis/raftstore")} injects: asks the server's pool for a connection. */
public class StoreConnectionFactoryImpl implements StoreConnectionFactory, Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    private final StoreManagedConnectionFactory factory;
    private final transient ConnectionManager manager;
    private Reference reference;

    public StoreConnectionFactoryImpl(StoreManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    @Override
    public StoreConnection getConnection() {
        try {
            return (StoreConnection) manager.allocateConnection(factory, null);
        } catch (ResourceException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreUnavailableException("the server could not hand out a connection (" + e.getMessage() + ")",
                    1000, false, e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
