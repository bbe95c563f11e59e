package io.raftstore.web.console.actions;

import io.raftstore.web.console.ConsoleUser;
import io.raftstore.web.service.changes.AuditLog;
import io.raftstore.web.service.cluster.ClusterAggregator;
import io.raftstore.web.service.cluster.MemberRow;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/**
 * Backs the actions page. Every action is two steps: asking shows what will happen and waits for an
 * explicit confirmation in the page; confirming runs it, shows the outcome and records it in the audit list.
 */
@Named("actions")
@ViewScoped
public class ActionsBean implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    ConsoleUser user;
    @Inject
    ClusterAggregator aggregator;
    @Inject
    LeadershipTransfer transfer;
    @Inject
    AuditLog audit;

    /** Empty: let the leader pick the best voter. */
    private String target = "";
    private boolean confirming;
    private boolean confirmingBackup;
    private Outcome outcome;

    public void askTransfer() {
        user.requireAdmin();
        confirming = true;
        outcome = null;
    }

    public void cancel() {
        confirming = false;
    }

    public void confirmTransfer() {
        user.requireAdmin();
        confirming = false;
        String to = target == null || target.isBlank() ? null : target;
        outcome = transfer.transfer(to);
        audit.record(user.getName(), "transfer leadership to " + (to == null ? "the best voter" : to),
                outcome.ok(), outcome.message());
    }

    /** The download itself is a plain POST to {@link BackupServlet}; this only opens its confirmation. */
    public void askBackup() {
        user.requireAdmin();
        confirmingBackup = true;
    }

    public void cancelBackup() {
        confirmingBackup = false;
    }

    public boolean isConfirmingBackup() {
        return confirmingBackup;
    }

    public String getThisNode() {
        return aggregator.settings().nodeId();
    }

    /** What the confirmation says will happen. */
    public String getTransferQuestion() {
        String leader = aggregator.current().leaderId();
        String to = target == null || target.isBlank() ? "the most caught-up voter" : target;
        return leader == null ? "There is no leader now; try anyway?"
                : "Move leadership from " + leader + " to " + to + "? Writes pause for about one election.";
    }

    /** Voters other than the leader: the possible targets. */
    public List<String> getCandidates() {
        var view = aggregator.current();
        return view.rows().stream().filter(MemberRow::voter).map(MemberRow::id)
                .filter(id -> !id.equals(view.leaderId())).toList();
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public boolean isConfirming() {
        return confirming;
    }

    public Outcome getOutcome() {
        return outcome;
    }

}
