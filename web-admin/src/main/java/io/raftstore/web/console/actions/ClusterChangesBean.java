package io.raftstore.web.console.actions;

import io.raftstore.ejb.view.MemberView;
import io.raftstore.web.console.ConsoleUser;
import io.raftstore.web.service.changes.ClusterChanges;
import io.raftstore.web.service.cluster.ClusterAggregator;
import io.raftstore.web.service.cluster.ClusterView;
import io.raftstore.web.service.cluster.MemberRow;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/**
 * Backs the "Snapshot and membership" part of the actions page: snapshot this node now, add a member as a
 * learner, promote a learner, remove a member. As for the other actions, asking shows in the page what will
 * happen and waits for an explicit confirmation; confirming runs it through {@link ClusterChanges}, which
 * records it in the audit list, and the outcome is shown. One change is pending at a time, as the engine
 * allows one membership change at a time.
 */
@Named("changes")
@ViewScoped
public class ClusterChangesBean implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The change waiting for its confirmation. */
    enum Kind { SNAPSHOT, ADD, PROMOTE, REMOVE }

    @Inject
    ConsoleUser user;
    @Inject
    ClusterAggregator aggregator;
    @Inject
    ClusterChanges changes;

    private String newId = "";
    private String newAddress = "";
    private String newHttp = "";
    private Kind pending;
    private String pendingId;
    private Outcome outcome;

    public void askSnapshot() {
        ask(Kind.SNAPSHOT, null);
    }

    /** Checks the form first, so a typo is reported before anything is asked of the cluster. */
    public void askAdd() {
        user.requireAdmin();
        try {
            MemberView.check(newId.trim(), newAddress, newHttp);
        } catch (IllegalArgumentException e) {
            pending = null;
            outcome = Outcome.failed(newId.isBlank() ? "enter the new member's id and address" : e.getMessage());
            return;
        }
        ask(Kind.ADD, newId.trim());
    }

    public void askPromote(String id) {
        ask(Kind.PROMOTE, id);
    }

    public void askRemove(String id) {
        ask(Kind.REMOVE, id);
    }

    private void ask(Kind kind, String id) {
        user.requireAdmin();
        pending = kind;
        pendingId = id;
        outcome = null;
    }

    public void cancel() {
        pending = null;
    }

    public void confirm() {
        user.requireAdmin();
        Kind kind = pending;
        String id = pendingId;
        pending = null;
        if (kind == null) {
            return;
        }
        String who = user.getName();
        try {
            outcome = Outcome.ok(switch (kind) {
                case SNAPSHOT -> ClusterChanges.describe(changes.snapshot(who, ""));
                case ADD -> id + " added as a learner; now "
                        + ClusterChanges.describe(changes.addLearner(who, "", id, newAddress, newHttp))
                        + ". Promote it once it has caught up.";
                case PROMOTE -> id + " is a voter; now " + ClusterChanges.describe(changes.promote(who, "", id));
                case REMOVE -> id + " removed; now " + ClusterChanges.describe(changes.remove(who, "", id));
            });
            if (kind == Kind.ADD) {
                newId = "";
                newAddress = "";
                newHttp = "";
            }
        } catch (RuntimeException e) {
            outcome = Outcome.failed(e.getMessage());
        }
    }

    /** What the confirmation says will happen. */
    public String getQuestion() {
        if (pending == null) {
            return null;
        }
        ClusterView view = aggregator.current();
        long voters = view.rows().stream().filter(MemberRow::voter).count();
        return switch (pending) {
            case SNAPSHOT -> "Snapshot node " + aggregator.settings().nodeId() + "'s state machine now and compact"
                    + " its log? It runs on the node's event loop, so its requests wait meanwhile (a short pause"
                    + " for a small state).";
            case ADD -> "Add " + pendingId + " (Raft address " + newAddress.trim() + ") as a learner? It must be"
                    + " running in join mode. It then receives the log or a snapshot but does not vote; promote it"
                    + " once it has caught up.";
            case PROMOTE -> "Make " + pendingId + " a voter? Quorums then count it: " + (voters + 1)
                    + " voters, " + ((voters + 1) / 2 + 1) + " needed.";
            case REMOVE -> "Remove " + pendingId + " from the cluster?"
                    + (isVoter(view, pendingId) ? " " + (voters - 1) + " voters remain, " + ((voters - 1) / 2 + 1)
                    + " needed." : " It is a learner: quorums do not change.")
                    + (pendingId.equals(view.leaderId()) ? " It leads: it steps down once its removal commits,"
                    + " and the others elect a new leader." : "")
                    + " The node keeps running until you stop it.";
        };
    }

    private static boolean isVoter(ClusterView view, String id) {
        return view.rows().stream().anyMatch(r -> r.id().equals(id) && r.voter());
    }

    /** The members as the console sees them, with the leader's match index for each. */
    public List<MemberRow> getMembers() {
        return aggregator.current().rows();
    }

    public String getThisNode() {
        return aggregator.settings().nodeId();
    }

    public boolean isConfirming() {
        return pending != null;
    }

    public Outcome getOutcome() {
        return outcome;
    }


    public String getNewId() {
        return newId;
    }

    public void setNewId(String newId) {
        this.newId = newId == null ? "" : newId;
    }

    public String getNewAddress() {
        return newAddress;
    }

    public void setNewAddress(String newAddress) {
        this.newAddress = newAddress == null ? "" : newAddress;
    }

    public String getNewHttp() {
        return newHttp;
    }

    public void setNewHttp(String newHttp) {
        this.newHttp = newHttp == null ? "" : newHttp;
    }
}
