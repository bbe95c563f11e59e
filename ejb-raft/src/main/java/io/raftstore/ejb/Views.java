package io.raftstore.ejb;

import io.raftstore.core.Membership;
import io.raftstore.core.NodeStatus;
import io.raftstore.ejb.view.HistoryEntry;
import io.raftstore.ejb.view.MemberView;
import io.raftstore.ejb.view.MembershipView;
import io.raftstore.ejb.view.NodeRequestException;
import io.raftstore.ejb.view.NodeView;
import io.raftstore.ejb.view.SnapshotOutcome;
import io.raftstore.ejb.view.WriteOutcome;
import io.raftstore.kv.KvResult;
import io.raftstore.node.MemberAddress;
import io.raftstore.node.SnapshotReport;
import io.raftstore.node.history.FailoverEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the web module's views ({@link io.raftstore.ejb.view}) from the engine's and the node's types. */
final class Views {

    private Views() {
    }

    static NodeView node(NodeStatus s) {
        return new NodeView(s.nodeId(), NodeView.Role.valueOf(s.role().name()), s.term(), s.leaderId(),
                s.commitIndex(), s.appliedIndex(), s.firstIndex(), s.lastIndex(), membership(s.membership()),
                s.transferring(), s.followers().stream().map(p -> new NodeView.FollowerView(p.id(), p.voter(),
                        p.matchIndex(), p.ticksSinceContact(), p.state())).toList());
    }

    static MembershipView membership(Membership m) {
        return new MembershipView(m.voters(), m.learners());
    }

    static Map<String, MemberView> members(Map<String, MemberAddress> members) {
        Map<String, MemberView> out = new LinkedHashMap<>();
        members.forEach((id, a) -> out.put(id, a == null ? new MemberView(id, "", null)
                : new MemberView(id, a.raft(), a.http())));
        return out;
    }

    static SnapshotOutcome snapshot(SnapshotReport r) {
        return new SnapshotOutcome(r.index(), r.term(), r.firstIndex(), r.millis(), r.taken());
    }

    static HistoryEntry history(FailoverEvent e) {
        return new HistoryEntry(e.time(), e.term(), e.oldLeader(), e.newLeader(), e.cause().name(),
                e.leaderlessMillis());
    }

    /** A write's result; anything but these is the node's mistake, not the caller's. */
    static WriteOutcome outcome(KvResult r) {
        if (r instanceof KvResult.Written w) {
            return new WriteOutcome.Written(w.version(), w.created());
        }
        if (r instanceof KvResult.Deleted d) {
            return new WriteOutcome.Deleted(d.existed());
        }
        if (r instanceof KvResult.ConditionFailed c) {
            return new WriteOutcome.ConditionFailed(c.actualVersion());
        }
        if (r instanceof KvResult.Rejected rej) {
            return new WriteOutcome.Rejected(rej.message());
        }
        if (r instanceof KvResult.SessionExpired s) {
            return new WriteOutcome.SessionExpired(s.clientId(), s.sequence());
        }
        if (r instanceof KvResult.KeyHeld h) {
            // Retryable like a missing quorum: the session did not record it, so the same request may be repeated.
            throw new NodeRequestException(true, null, "key '" + h.key() + "' is held by the prepared two-phase"
                    + " transaction '" + h.txId() + "' until it commits or rolls back; nothing was written. Retry"
                    + " later (an operator resolves abandoned ones: GET /api/cluster/transactions).", null);
        }
        throw new IllegalStateException("unexpected result " + r);
    }
}
