package io.raftstore.resp.command;

import io.raftstore.resp.protocol.Reply;
import io.raftstore.resp.protocol.ReplyEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One client connection to a dispatcher, answering replies as the bytes a client would read. */
final class TestConnection {

    final ClientSession session;
    private final Dispatcher dispatcher;

    TestConnection(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.session = dispatcher.open();
    }

    Reply call(String... args) {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return dispatcher.dispatch(session, bytes);
    }

    /** The reply as sent on the wire, in the connection's protocol version. */
    String send(String... args) {
        return wire(call(args));
    }

    /** A command of raw bytes (not UTF-8 text). */
    String sendBytes(byte[]... args) {
        return wire(dispatcher.dispatch(session, List.of(args)));
    }

    private String wire(Reply reply) {
        return new String(ReplyEncoder.encode(reply, session.protocol()), StandardCharsets.UTF_8);
    }

    static Dispatcher dispatcher(InMemoryGateway gateway) {
        return dispatcher(gateway, Authenticator.none(), LeaderDirectory.alwaysLeader("127.0.0.1:6381"));
    }

    static Dispatcher dispatcher(InMemoryGateway gateway, Authenticator authenticator, LeaderDirectory leaders) {
        long[] next = {1000};
        return new Dispatcher(gateway, authenticator, leaders, () -> next[0]++);
    }
}
