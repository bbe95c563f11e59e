package io.raftstore.web.service.changes;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.MemberView;
import io.raftstore.ejb.view.MembershipView;
import io.raftstore.ejb.view.SnapshotOutcome;
import io.raftstore.web.service.cluster.ClusterAggregator;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster changes an admin may make, shared by the console's actions page and the admin REST
 * endpoints so both behave, fail and are audited alike: snapshot this node now, add a member as a learner,
 * promote a learner, remove a member. The membership changes work from any node: the node forwards them to
 * the leader over the Raft channel and returns once the change is committed.
 */
@ApplicationScoped
public class ClusterChanges {

    @EJB
    RaftStoreLocal node;
    @Inject
    AuditLog audit;
    @Inject
    ClusterAggregator aggregator;

    public SnapshotOutcome snapshot(String who, String channel) {
        return run(who, channel + "snapshot now on " + node.status().nodeId(), node::snapshotNow,
                ClusterChanges::describe);
    }

    /** @param http the new member's HTTP base URL, or empty: the consoles poll it there */
    public MembershipView addLearner(String who, String channel, String id, String address, String http) {
        return run(who, channel + "add " + id + " at " + address + " as a learner", () -> {
            MemberView.check(id, address, http); // here, so a typo is not wrapped by the EJB container
            return node.addLearner(id, address, http);
        }, ClusterChanges::describe);
    }

    public MembershipView promote(String who, String channel, String id) {
        return run(who, channel + "promote " + id + " to voter", () -> node.promote(id), ClusterChanges::describe);
    }

    public MembershipView remove(String who, String channel, String id) {
        return run(who, channel + "remove " + id, () -> node.removeMember(id), ClusterChanges::describe);
    }

    /**
     * Runs one change and records it in the audit list, done or failed; the console looks at the cluster
     * again afterwards. A failure is rethrown as the node raised it (not wrapped by the EJB container).
     */
    private <T> T run(String who, String what, Supplier<T> change, Function<T, String> describe) {
        try {
            T result = change.get();
            audit.record(who, what, true, describe.apply(result));
            return result;
        } catch (RuntimeException e) {
            RuntimeException cause = unwrap(e);
            audit.record(who, what, false, cause.getMessage());
            throw cause;
        } finally {
            aggregator.invalidate();
        }
    }

    static RuntimeException unwrap(RuntimeException e) {
        return e instanceof EJBException && e.getCause() instanceof RuntimeException r ? r : e;
    }

    public static String describe(SnapshotOutcome r) {
        return r.taken()
                ? "snapshot at index " + r.index() + " (term " + r.term() + ") in " + r.millis()
                        + " ms; the log now starts at " + r.firstIndex()
                : "the latest snapshot already holds every applied entry (index " + r.index()
                        + "); the log starts at " + r.firstIndex();
    }

    public static String describe(MembershipView m) {
        return "voters " + String.join(", ", m.voters())
                + (m.learners().isEmpty() ? "" : "; learners " + String.join(", ", m.learners()));
    }
}
