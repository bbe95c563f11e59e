package io.raftstore.node;

import io.raftstore.transport.Frame;
import io.raftstore.transport.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A transport for tests of a node's parts on their own: it sends nothing, it records each frame and where it went. */
final class RecordingTransport implements Transport {
    /** Where each frame went, in order. */
    final List<String> sent = new ArrayList<>();
    /** The frames, in the same order. */
    final List<Frame> frames = new ArrayList<>();
    /** Told "send to ID" at each send, for tests that check the order of sends among other events. */
    private final Consumer<String> log;

    RecordingTransport() {
        this(line -> { });
    }

    RecordingTransport(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public void start(Listener listener) {
    }

    @Override
    public String localId() {
        return "n1";
    }

    @Override
    public void send(String to, Frame frame) {
        frames.add(frame);
        sent.add(to);
        log.accept("send to " + to);
    }

    @Override
    public Set<String> reachable() {
        return Set.of();
    }

    @Override
    public void close() {
    }

    /** The {@code i}th frame sent, which must be a forwarded request. */
    Frame.ForwardRequest forwarded(int i) {
        return assertInstanceOf(Frame.ForwardRequest.class, frames.get(i));
    }
}
