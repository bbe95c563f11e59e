package io.raftstore.jca;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.spi.StoreGatewayRegistry;
import io.raftstore.jca.session.RetryingGateway;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * Creates the connections of one {@code <connectionFactory>}. Configuration properties (in server.xml,
 * {@code <properties.raftstore .../>} inside the connection factory):
 * <ul>
 *   <li>{@code requestTimeoutMillis} (default 5000): how long a call keeps retrying while the store is
 *       unavailable before it throws {@code StoreUnavailableException}.</li>
 *   <li>{@code defaultReadConsistency} (default LINEARIZABLE; LEASE or STALE): for reads that name none.</li>
 *   <li>{@code transactionSupportLevel} (default XATransaction): how the connection joins JTA
 *       transactions. XATransaction: a {@link StoreXAResource}, committed with the one-phase
 *       optimisation when it is the only resource and in two phases (prepare holds the keys in the store)
 *       next to other XA resources; a conflict is a {@code RollbackException} whose cause is the
 *       TransactionConflictException. LocalTransaction: a one-phase resource that the transaction manager
 *       commits last, after preparing any XA resources (Liberty's last-participant support, on by default
 *       in 26.0.0.3); Liberty reports EVERY failed commit of
 *       such a resource as a heuristic outcome ({@code HeuristicMixedException}, WTRN0075W), a conflict
 *       included, although nothing was written. NoTransaction: never buffers.</li>
 * </ul>
 */
@ConnectionDefinition(connectionFactory = StoreConnectionFactory.class,
        connectionFactoryImpl = StoreConnectionFactoryImpl.class,
        connection = StoreConnection.class,
        connectionImpl = StoreConnectionHandle.class)
public class StoreManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        TransactionSupport {

    private static final long serialVersionUID = 1L;

    @ConfigProperty(type = Long.class, defaultValue = "5000",
            description = "Milliseconds a call keeps retrying while the store is unavailable")
    private Long requestTimeoutMillis = 5000L;

    @ConfigProperty(type = String.class, defaultValue = "LINEARIZABLE",
            description = "LINEARIZABLE, LEASE or STALE: the consistency of reads that do not name one")
    private String defaultReadConsistency = "LINEARIZABLE";

    @ConfigProperty(type = String.class, defaultValue = "XATransaction",
            description = "XATransaction (one-phase only), LocalTransaction (last participant) or NoTransaction")
    private String transactionSupportLevel = "XATransaction";

    private transient ResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;

    public Long getRequestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    public void setRequestTimeoutMillis(Long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    public String getDefaultReadConsistency() {
        return defaultReadConsistency;
    }

    public void setDefaultReadConsistency(String defaultReadConsistency) {
        this.defaultReadConsistency = defaultReadConsistency;
    }

    public String getTransactionSupportLevel() {
        return transactionSupportLevel;
    }

    public void setTransactionSupportLevel(String transactionSupportLevel) {
        this.transactionSupportLevel = transactionSupportLevel;
    }

    AdapterSettings settings() {
        return AdapterSettings.of(requestTimeoutMillis, defaultReadConsistency);
    }

    @Override
    public TransactionSupportLevel getTransactionSupport() {
        String level = transactionSupportLevel == null ? "" : transactionSupportLevel.trim().toLowerCase(Locale.ROOT);
        return switch (level) {
            case "localtransaction" -> TransactionSupportLevel.LocalTransaction;
            case "", "xatransaction" -> TransactionSupportLevel.XATransaction;
            case "notransaction" -> TransactionSupportLevel.NoTransaction;
            default -> throw new IllegalArgumentException("transactionSupportLevel must be LocalTransaction,"
                    + " XATransaction or NoTransaction, not '" + transactionSupportLevel + "'");
        };
    }

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        settings(); // fail at deployment, not at first use, when a property is wrong
        return new StoreConnectionFactoryImpl(this, manager);
    }

    /** Outside a container: every connection is created for its caller and destroyed when closed. */
    @Override
    public Object createConnectionFactory() {
        return createConnectionFactory(new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) {
        AdapterSettings s = settings();
        return new StoreManagedConnection(this, new RetryingGateway(StoreGatewayRegistry::current, s.requestTimeoutMillis()),
                s.readConsistency());
    }

    /** Every connection of this factory is alike: any one of them fits. */
    @Override
    public ManagedConnection matchManagedConnections(@SuppressWarnings("rawtypes") Set candidates, Subject subject,
                                                     ConnectionRequestInfo info) {
        for (Object c : candidates) {
            if (c instanceof StoreManagedConnection mc && mc.factory() == this) {
                return mc;
            }
        }
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.resourceAdapter = ra;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreManagedConnectionFactory f
                && Objects.equals(requestTimeoutMillis, f.requestTimeoutMillis)
                && Objects.equals(defaultReadConsistency, f.defaultReadConsistency)
                && Objects.equals(transactionSupportLevel, f.transactionSupportLevel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestTimeoutMillis, defaultReadConsistency, transactionSupportLevel);
    }
}
