package io.raftstore.core.scenario;

import io.raftstore.core.LogEntry;
import io.raftstore.core.message.AppendEntries;
import io.raftstore.core.message.AppendEntriesResponse;
import io.raftstore.core.message.InstallSnapshot;
import io.raftstore.core.message.InstallSnapshotResponse;
import io.raftstore.core.message.RaftMessage;
import io.raftstore.core.message.ReadIndexRequest;
import io.raftstore.core.message.ReadIndexResponse;
import io.raftstore.core.message.RequestVote;
import io.raftstore.core.message.RequestVoteResponse;
import io.raftstore.core.message.TimeoutNow;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One message as one short line for the interaction tests' golden files, e.g.
 * {@code n1->n2 App term 2 prev 3@1 commit 3 [4@2 x]}: the fields a reader of the protocol cares about,
 * entries as {@code index@term data}. Stable on purpose: golden files compare these lines verbatim.
 */
final class MessageLine {

    private MessageLine() {
    }

    static String of(RaftMessage m) {
        return m.from() + "->" + m.to() + " " + body(m);
    }

    private static String body(RaftMessage m) {
        if (m instanceof AppendEntries a) {
            return "App term " + a.term() + " prev " + a.prevLogIndex() + "@" + a.prevLogTerm() + " commit "
                    + a.leaderCommit() + (a.entries().isEmpty() ? "" : " " + a.entries().stream()
                    .map(MessageLine::entry).collect(Collectors.joining(", ", "[", "]")))
                    + (a.confirmedIncarnation() != 0 ? " confirms " + a.confirmedIncarnation() : "");
        } else if (m instanceof AppendEntriesResponse r) {
            return "AppResp term " + r.term() + (r.success() ? " ok match " + r.matchIndex()
                    : " reject hint " + r.conflictIndex() + "@" + r.conflictTerm())
                    + (r.caughtUp() ? "" : " incarnation " + r.incarnation() + " not caught up");
        } else if (m instanceof RequestVote v) {
            return (v.preVote() ? "PreVote" : "Vote") + " term " + v.term() + " last " + v.lastLogIndex() + "@"
                    + v.lastLogTerm() + (v.transfer() ? " transfer" : "");
        } else if (m instanceof RequestVoteResponse r) {
            return (r.preVote() ? "PreVoteResp" : "VoteResp") + " term " + r.term() + (r.granted() ? " granted" : " rejected");
        } else if (m instanceof InstallSnapshot s) {
            return "Snap term " + s.term() + " at " + s.meta().index() + "@" + s.meta().term() + " offset " + s.offset()
                    + " " + s.data().length + " bytes" + (s.done() ? " last" : "");
        } else if (m instanceof InstallSnapshotResponse r) {
            return "SnapResp term " + r.term() + " at " + r.snapshotIndex() + " next " + r.nextOffset()
                    + (r.done() ? " done" : "");
        } else if (m instanceof TimeoutNow t) {
            return "TimeoutNow term " + t.term();
        } else if (m instanceof ReadIndexRequest r) {
            return "ReadIndex term " + r.term() + " request " + r.requestId();
        } else if (m instanceof ReadIndexResponse r) {
            return "ReadIndexResp term " + r.term() + " request " + r.requestId() + " index " + r.readIndex();
        }
        return m.toString();
    }

    static String entry(LogEntry e) {
        String data = new String(e.data(), StandardCharsets.UTF_8);
        return e.index() + "@" + e.term() + " " + switch (e.type()) {
            case COMMAND -> data.isEmpty() ? "(empty)" : data;
            default -> e.type().name().toLowerCase(Locale.ROOT);
        };
    }
}
