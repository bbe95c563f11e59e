package io.raftstore.resp.command;

import io.raftstore.resp.protocol.DecoderLimits;
import io.raftstore.resp.protocol.ReplyEncoder;
import io.raftstore.resp.protocol.RespDecoder;
import io.raftstore.resp.protocol.RespProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Decoder, dispatcher and encoder together, as the server will use them on one connection. */
class PipelineTest {

    @Test
    void sixteenPipelinedCommandsGetSixteenRepliesInOrder() throws RespProtocolException {
        InMemoryGateway gateway = new InMemoryGateway();
        Dispatcher dispatcher = TestConnection.dispatcher(gateway);
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            in.append("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
            expected.append(':').append(i).append("\r\n");
            in.append("GET n\r\n");
            expected.append("$1\r\n").append(i).append("\r\n");
        }
        byte[] bytes = in.toString().getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= bytes.length; cut += 7) {
            ClientSession session = dispatcher.open();
            gateway.externalPut("n", "0");
            RespDecoder decoder = new RespDecoder(DecoderLimits.forStore(gateway.limits()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int replies = 0;
            for (ByteBuffer chunk : List.of(ByteBuffer.wrap(bytes, 0, cut), ByteBuffer.wrap(bytes, cut, bytes.length - cut))) {
                for (List<byte[]> command = decoder.next(chunk); command != null; command = decoder.next(chunk)) {
                    ReplyEncoder.encode(dispatcher.dispatch(session, command), session.protocol(), out);
                    replies++;
                }
            }
            assertEquals(16, replies);
            assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII), "cut at " + cut);
        }
    }
}
