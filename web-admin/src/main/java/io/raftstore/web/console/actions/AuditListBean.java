package io.raftstore.web.console.actions;

import io.raftstore.web.service.changes.ClusterAudit;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/**
 * Backs the audit list on the actions page: every node's entries. Not kept for the request: an action taken in
 * this very request must show in its answer (the others' lists are shared for a moment by {@link ClusterAudit}).
 */
@Named("auditList")
@RequestScoped
public class AuditListBean {

    /** How many entries the page shows, all nodes together. */
    private static final int SHOWN = 200;

    @Inject
    ClusterAudit audit;

    public List<ClusterAudit.Through> getEntries() {
        return audit.merged(SHOWN);
    }

    /** False when the peer account is not configured: the list then holds this node's entries only. */
    public boolean isAcrossTheCluster() {
        return audit.acrossTheCluster();
    }
}
