package io.raftstore.kv;

import io.raftstore.core.codec.CodecException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.raftstore.kv.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every command and result survives encoding; garbage is refused with {@link CodecException}. */
class KvCodecTest {

    private static void roundTrip(KvCommand c) {
        byte[] once = KvCodec.encode(c);
        assertArrayEquals(once, KvCodec.encode(KvCodec.decodeCommand(once)), c.toString());
    }

    private static void roundTrip(KvResult r) {
        byte[] once = KvCodec.encode(r);
        KvResult back = KvCodec.decodeResult(once);
        assertArrayEquals(once, KvCodec.encode(back), r.toString());
    }

    @Test
    void commandsRoundTrip() {
        roundTrip(new KvCommand.Get("k"));
        roundTrip(new KvCommand.Put("k", b("v")));
        roundTrip(new KvCommand.PutIfAbsent("ключ", new byte[0]));
        roundTrip(new KvCommand.CompareAndSet("k", 42, b("v")));
        roundTrip(KvCommand.Delete.of("k"));
        roundTrip(KvCommand.Delete.ifVersion("k", 3));
        roundTrip(new KvCommand.Increment("k", -9));
        roundTrip(new KvCommand.Scan("", 10));
        roundTrip(new KvCommand.Batch(List.of(new Condition.VersionEquals("a", 1), new Condition.KeyAbsent("b"),
                new Condition.KeyExists("c")), List.of(new KvCommand.Put("a", b("1")), KvCommand.Delete.of("b"),
                new KvCommand.Increment("c", 2))));
        KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) KvCodec.decodeCommand(
                KvCodec.encode(new KvCommand.CompareAndSet("k", 42, b("v"))));
        assertEquals(new KvCommand.CompareAndSet("k", 42, b("v")), cas);
        assertEquals(new KvResult.Value("k", b("v"), 3, 1), KvCodec.decodeResult(KvCodec.encode(
                new KvResult.Value("k", b("v"), 3, 1))));
    }

    @Test
    void resultsRoundTrip() {
        KvResult.Value v = new KvResult.Value("k", b("v"), 3, 1);
        roundTrip(v);
        roundTrip(new KvResult.NotFound("k"));
        roundTrip(new KvResult.Written("k", 3, true));
        roundTrip(new KvResult.Deleted("k", true, 2, 5));
        roundTrip(new KvResult.Counter("k", -5, 9));
        roundTrip(new KvResult.ScanResult(List.of(v, v), true));
        roundTrip(new KvResult.BatchApplied(4, List.of(new KvResult.Written("a", 4, false), new KvResult.Counter("c", 1, 4))));
        roundTrip(new KvResult.ConditionFailed(2, new Condition.KeyAbsent("x"), 7));
        roundTrip(new KvResult.Rejected(KvResult.Reason.OVERFLOW, "too big"));
        roundTrip(new KvResult.SessionExpired(1, 2));
        assertEquals(new KvResult.Deleted("k", true, 2, 5),
                KvCodec.decodeResult(KvCodec.encode(new KvResult.Deleted("k", true, 2, 5))));
    }

    @Test
    void garbageIsRefused() {
        assertThrows(CodecException.class, () -> KvCodec.decodeCommand(new byte[0]));
        assertThrows(CodecException.class, () -> KvCodec.decodeCommand(new byte[] {2, 1}));
        assertThrows(CodecException.class, () -> KvCodec.decodeCommand(new byte[] {1, 42}));
        byte[] ok = KvCodec.encode(new KvCommand.Put("k", b("value")));
        assertThrows(CodecException.class, () -> KvCodec.decodeCommand(Arrays.copyOf(ok, ok.length - 1)));
        assertThrows(CodecException.class, () -> KvCodec.decodeCommand(Arrays.copyOf(ok, ok.length + 1)));
        assertThrows(CodecException.class, () -> KvCodec.decodeResult(new byte[] {1, 77}));
    }
}
