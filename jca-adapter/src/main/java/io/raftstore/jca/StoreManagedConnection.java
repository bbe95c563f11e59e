package io.raftstore.jca;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.jca.session.KeyValueOperations;
import io.raftstore.jca.session.StoreSession;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import jakarta.resource.spi.TransactionSupport;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled connection: a {@link StoreSession} (the transaction state) shared by the application handles
 * the container associates with it. It holds no socket or other resource: the node is in the same JVM.
 */
public class StoreManagedConnection implements ManagedConnection {

    private final StoreManagedConnectionFactory factory;
    private final StoreSession session;
    private final StoreGateway gateway;
    private final ReadConsistency defaultConsistency;
    private final Set<StoreConnectionHandle> handles = new CopyOnWriteArraySet<>();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private PrintWriter logWriter;

    StoreManagedConnection(StoreManagedConnectionFactory factory, StoreGateway gateway, ReadConsistency defaultConsistency) {
        this.factory = factory;
        this.session = new StoreSession(gateway);
        this.gateway = gateway;
        this.defaultConsistency = defaultConsistency;
    }

    StoreManagedConnectionFactory factory() {
        return factory;
    }

    StoreSession session() {
        return session;
    }

    KeyValueOperations operations() {
        return session.operations();
    }

    ReadConsistency defaultConsistency() {
        return defaultConsistency;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        StoreConnectionHandle handle = new StoreConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof StoreConnectionHandle handle)) {
            throw new ResourceException("not a RaftStore connection: " + connection);
        }
        StoreManagedConnection previous = handle.reassociate(this);
        if (previous != null) {
            previous.handles.remove(handle);
        }
        handles.add(handle);
    }

    /** Called by a handle's close(): tells the container the connection may go back to the pool. */
    void handleClosed(StoreConnectionHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    /** Invalidates the handles before the connection returns to the pool; a transaction is its owner's to end. */
    @Override
    public void cleanup() {
        for (StoreConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
        session.discard();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        if (factory.getTransactionSupport() != TransactionSupport.TransactionSupportLevel.XATransaction) {
            throw new NotSupportedException("XA is off for this connection factory (transactionSupportLevel="
                    + factory.getTransactionSupportLevel() + ")");
        }
        return new StoreXAResource(session, gateway, factory.settings().requestTimeoutMillis());
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return new StoreLocalTransaction(session);
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new StoreMetaData();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
