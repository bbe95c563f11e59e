package io.raftstore.api.cdi;

import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Makes {@code @Inject StoreConnectionFactory} work in every application that references the server's
 * RaftStore library: this jar is a bean archive, and Liberty discovers the beans of a common library for
 * each application that references it. It produces the same factory as
 * {@code @Resource(lookup = "eis/raftstore")}. There is one store per server (the node of that server), so
 * there is no qualifier to choose between stores.
 *
 * <p>A producer method with a JNDI lookup, not the usual {@code @Produces @Resource} field: the container
 * does not inject resources into the beans of a shared library, and such a field failed every injection.
 */
@ApplicationScoped
public class StoreProducer {

    /** The JNDI name of the connection factory that the RaftStore server defines. */
    public static final String JNDI_NAME = "eis/raftstore";

    @Produces
    StoreConnectionFactory store() {
        try {
            return InitialContext.doLookup(JNDI_NAME);
        } catch (NamingException e) {
            throw new StoreUnavailableException("this server defines no RaftStore connection factory at " + JNDI_NAME
                    + " (" + e.getMessage() + "); run the application on a RaftStore server, whose server.xml"
                    + " defines it", 1000, false, e);
        }
    }
}
