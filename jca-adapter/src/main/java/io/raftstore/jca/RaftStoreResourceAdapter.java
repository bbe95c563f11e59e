package io.raftstore.jca;

import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter of RaftStore (outbound only). It declares the highest level it offers, XA (one-phase
 * only); each connection factory may lower it (Liberty refuses a factory level above the adapter's). It holds no state: connections find the node of this
 * server through {@link io.raftstore.api.spi.StoreGatewayRegistry} at every call, so the adapter and the
 * store's EAR can start, stop and restart in any order.
 */
@Connector(displayName = "RaftStore", vendorName = "RaftStore", eisType = "RaftStore replicated key-value store",
        version = "0.1", description = "Connections to the RaftStore node of this server, with transactions that"
        + " commit as one atomic replicated batch.",
        transactionSupport = TransactionSupport.TransactionSupportLevel.XATransaction)
public class RaftStoreResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(RaftStoreResourceAdapter.class.getName());

    @Override
    public void start(BootstrapContext ctx) {
        LOG.info("RaftStore resource adapter started");
    }

    @Override
    public void stop() {
        LOG.info("RaftStore resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws NotSupportedException {
        throw new NotSupportedException("RaftStore has no inbound (message) side yet");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    /** Nothing to recover: a transaction writes nothing before its one-phase commit. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    // The adapter has no configuration properties, so all instances are equal (the spec requires equals/hashCode).
    @Override
    public boolean equals(Object o) {
        return o instanceof RaftStoreResourceAdapter;
    }

    @Override
    public int hashCode() {
        return RaftStoreResourceAdapter.class.hashCode();
    }
}
