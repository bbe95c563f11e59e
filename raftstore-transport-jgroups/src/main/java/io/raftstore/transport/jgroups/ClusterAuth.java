package io.raftstore.transport.jgroups;

import org.jgroups.Address;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.AUTH;
import org.jgroups.util.NameCache;

import java.util.logging.Logger;

/**
 * JGroups' AUTH with the {@link CertificateToken}, which says why it refuses: the refusing coordinator logs the
 * reason and sends it in the join rejection, where the refused node's connect fails with it.
 * Join and merge responses are not authenticated ({@code authenticate_coord=false}): a rejection must reach the
 * refused node, and membership of the view grants nothing (frames are sealed per pair of nodes).
 */
final class ClusterAuth extends AUTH {

    private static final Logger LOG = Logger.getLogger(ClusterAuth.class.getName());

    ClusterAuth(CertificateToken token) {
        // JGroups finds a protocol's id by its class, and knows AUTH's, not this subclass's: headers need one.
        setId(ClassConfigurator.getProtocolId(AUTH.class));
        setAuthToken(token);
        token.setAuth(this);
        setAuthCoord(false);
    }

    @Override
    protected void sendRejectionMessage(byte type, Address dest, String error) {
        String reason = "authentication failed".equals(error) ? ((CertificateToken) getAuthToken()).lastRefusal()
                : error + " (it runs without node certificates: raftstore.transport.security=off?)";
        String who = dest == null ? "?" : NameCache.get(dest);
        String why = getAddress() == null ? reason : NameCache.get(getAddress()) + " refused " + who + ": " + reason;
        LOG.warning(() -> "node-to-node: REFUSED " + who + " entry into the cluster: " + reason);
        super.sendRejectionMessage(type, dest, why);
    }
}
