package io.raftstore.core.sim;

import io.raftstore.core.EntryType;
import io.raftstore.core.LogEntry;
import io.raftstore.core.Membership;
import io.raftstore.core.SnapshotMeta;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulation's state machine: commands, exactly-once sessions and snapshots. */
class KvStateMachineTest {

    private static LogEntry cmd(long index, long client, long seq, KvCommand c) {
        return new LogEntry(1, index, EntryType.COMMAND, client, seq, c.encode());
    }

    private static KvCommand.Result result(byte[] b) {
        return KvCommand.Result.decode(b);
    }

    @Test
    void putGetAndCompareAndSet() {
        KvStateMachine sm = new KvStateMachine();
        List<byte[]> r = sm.apply(List.of(
                cmd(1, 0, 0, new KvCommand(KvCommand.Op.PUT, "k", "a", null)),
                cmd(2, 0, 0, new KvCommand(KvCommand.Op.CAS, "k", "b", "x")),
                cmd(3, 0, 0, new KvCommand(KvCommand.Op.CAS, "k", "b", "a")),
                cmd(4, 0, 0, new KvCommand(KvCommand.Op.GET, "k", null, null)),
                new LogEntry(1, 5, EntryType.NOOP, 0, 0, null)));
        assertEquals(null, result(r.get(0)).value());
        assertFalse(result(r.get(1)).ok());
        assertTrue(result(r.get(2)).ok());
        assertEquals("b", result(r.get(3)).value());
        assertEquals(0, r.get(4).length);
        assertEquals(5, sm.appliedIndex());
    }

    @Test
    void sessionAppliesARetryOnceAndRefusesAnOlderSequence() {
        KvStateMachine sm = new KvStateMachine();
        KvCommand put = new KvCommand(KvCommand.Op.PUT, "k", "a", null);
        KvCommand put2 = new KvCommand(KvCommand.Op.PUT, "k", "b", null);
        sm.apply(List.of(cmd(1, 7, 1, put), cmd(2, 7, 2, put2)));
        // The retry of sequence 2 returns the first answer (previous value a) without writing again.
        assertEquals("a", result(sm.apply(List.of(cmd(3, 7, 2, put2))).get(0)).value());
        assertTrue(result(sm.apply(List.of(cmd(4, 7, 1, put))).get(0)).stale());
        assertEquals("b", sm.get("k"));
    }

    @Test
    void snapshotRestoresDataAndSessions() {
        KvStateMachine sm = new KvStateMachine();
        KvCommand put = new KvCommand(KvCommand.Op.PUT, "k", "a", null);
        sm.apply(List.of(cmd(1, 7, 1, put), cmd(2, 0, 0, new KvCommand(KvCommand.Op.PUT, "j", "z", null))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.writeSnapshot(out);
        KvStateMachine copy = new KvStateMachine();
        copy.restore(new SnapshotMeta(2, 1, Membership.ofVoters("n1")), new ByteArrayInputStream(out.toByteArray()));
        assertEquals(sm.data(), copy.data());
        assertEquals(2, copy.appliedIndex());
        // The session survived: a retry is not applied again.
        assertEquals(null, result(copy.apply(List.of(cmd(3, 7, 1, put))).get(0)).value());
    }

    @Test
    void entriesOutOfOrderAreRefused() {
        KvStateMachine sm = new KvStateMachine();
        LogEntry second = new LogEntry(1, 2, EntryType.NOOP, 0, 0, null);
        assertThrows(IllegalStateException.class, () -> sm.apply(List.of(second)));
    }
}
