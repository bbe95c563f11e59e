package io.raftstore.resp.server;

import io.raftstore.resp.command.Authenticator;
import io.raftstore.resp.command.Dispatcher;
import io.raftstore.resp.command.InMemoryGateway;
import io.raftstore.resp.command.LeaderDirectory;
import io.raftstore.resp.protocol.DecoderLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server on a real loopback socket, with the in-memory gateway behind it. */
class RespServerTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private RespServer server;

    @BeforeEach
    void start() throws IOException {
        Dispatcher dispatcher = new Dispatcher(gateway, Authenticator.none(), LeaderDirectory.alwaysLeader("127.0.0.1:1"));
        server = RespServer.start(new RespServerSettings("127.0.0.1", 0, 4, 3), dispatcher,
                DecoderLimits.forStore(gateway.limits()), Executors.defaultThreadFactory());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.address().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void sixteenPipelinedCommandsInOneWriteGetSixteenRepliesInOrderAndTheSetsTravelAsBatches() throws IOException {
        StringBuilder request = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            request.append("*3\r\n$3\r\nSET\r\n$2\r\nk").append(i % 10).append("\r\n$2\r\nv").append(i % 10).append("\r\n");
            expected.append("+OK\r\n");
        }
        request.append("*2\r\n$3\r\nGET\r\n$2\r\nk9\r\n");
        expected.append("$2\r\nv9\r\n");
        try (Socket s = connect()) {
            s.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            assertEquals(expected.toString(), read(s.getInputStream(), expected.length()));
        }
        assertTrue(gateway.requests().size() <= 3, "the 15 SETs travel as batches, not one by one: " + gateway.requests());
    }

    @Test
    void aMalformedFrameIsAnsweredAfterTheCommandsBeforeItAndClosesOnlyItsConnection() throws IOException {
        try (Socket bad = connect(); Socket good = connect()) {
            bad.getOutputStream().write("PING\r\n*1\r\n?oops\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(bad.getInputStream());
            assertTrue(answer.startsWith("+PONG\r\n-ERR Protocol error: "), answer);
            good.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+PONG\r\n", read(good.getInputStream(), 7));
        }
    }

    @Test
    void quitAnswersOkThenClosesAndNothingSentAfterItRuns() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("QUIT\r\nSET after quit\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK\r\n", readToEnd(s.getInputStream()));
        }
        assertEquals(null, gateway.value("after"));
    }

    @Test
    void aClientThatHalfClosesGetsEveryAnswerBeforeTheEnd() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("SET a 1\r\nGET a\r\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertEquals("+OK\r\n$1\r\n1\r\n", readToEnd(s.getInputStream()));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreToldSoAndClosed() throws IOException {
        try (Socket a = connect(); Socket b = connect(); Socket c = connect(); Socket d = connect()) {
            for (Socket s : List.of(a, b, c)) {
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("+PONG\r\n", read(s.getInputStream(), 7));
            }
            assertEquals("-ERR max number of clients reached\r\n", readToEnd(d.getInputStream()));
        }
    }

    @Test
    void aClientThatSendsMoreThanTheServerBuffersBeforeReadingGetsEveryReply() throws IOException {
        int commands = RespConnection.MAX_PENDING_COMMANDS * 5;
        byte[] ping = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < commands; i++) {
                        out.write(ping);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            String replies = read(s.getInputStream(), commands * 7);
            assertEquals("+PONG\r\n".repeat(commands), replies);
        }
    }

    private static String read(InputStream in, int bytes) throws IOException {
        byte[] buffer = in.readNBytes(bytes);
        return new String(buffer, StandardCharsets.UTF_8);
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
