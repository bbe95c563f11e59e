package io.raftstore.resp.command;

import io.raftstore.api.ReadConsistency;
import io.raftstore.resp.protocol.DecoderLimits;
import io.raftstore.resp.protocol.Reply;
import io.raftstore.resp.protocol.ReplyEncoder;
import io.raftstore.resp.protocol.RespDecoder;
import io.raftstore.resp.protocol.RespProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoder, dispatcher and encoder together, as the server will use them on one connection. */
class PipelineTest {

    private final InMemoryGateway gateway = new InMemoryGateway();
    private final Dispatcher dispatcher = TestConnection.dispatcher(gateway);
    private final ClientSession session = dispatcher.open();

    @Test
    void sixteenPipelinedCommandsGetSixteenRepliesInOrder() throws RespProtocolException {
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
            ClientSession connection = dispatcher.open();
            gateway.externalPut("n", "0");
            RespDecoder decoder = new RespDecoder(DecoderLimits.forStore(gateway.limits()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int replies = 0;
            for (ByteBuffer chunk : List.of(ByteBuffer.wrap(bytes, 0, cut), ByteBuffer.wrap(bytes, cut, bytes.length - cut))) {
                for (List<byte[]> command = decoder.next(chunk); command != null; command = decoder.next(chunk)) {
                    ReplyEncoder.encode(dispatcher.dispatch(connection, command), connection.protocol(), out);
                    replies++;
                }
            }
            assertEquals(16, replies);
            assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII), "cut at " + cut);
        }
    }

    @Test
    void pipelinedSetsTravelAsBatchesOfTheStoresBatchSizeEachAnsweredOk() {
        List<List<byte[]>> pipeline = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pipeline.add(command("SET", "k" + i, "v" + i));
        }
        List<Reply> replies = all(pipeline);
        assertEquals(Collections.nCopies(16, Reply.OK), replies);
        assertEquals(List.of("batch 0+10", "batch 0+6"), gateway.requests);
        assertEquals(2, gateway.clientRequests.size(), "one session request per batch");
        assertEquals("v15", gateway.value("k15"));
    }

    @Test
    void otherCommandsSplitTheRunsAndEveryReplyKeepsItsPlace() {
        List<Reply> replies = all(List.of(command("SET", "a", "1"), command("SET", "a", "2"),
                command("GET", "a"), command("SET", "a", "3"), command("INCR", "a"), command("SET", "b", "x", "NX"),
                command("SET", "c", "1"), command("SET", "c", "2")));
        assertEquals(List.of(Reply.OK, Reply.OK, Reply.bulk("2"), Reply.OK, new Reply.Integer(4), Reply.OK, Reply.OK,
                Reply.OK), replies);
        assertEquals("batch 0+2", gateway.requests.get(0));
        assertEquals("batch 0+2", gateway.requests.get(gateway.requests.size() - 1));
        assertEquals("2", gateway.value("c"));
    }

    @Test
    void aRefusedBatchRunsItsSetsOneByOneSoOnlyTheBadOneFails() {
        String tooLarge = "x".repeat(InMemoryGateway.LIMITS.maxValueBytes() + 1);
        List<Reply> replies = all(List.of(command("SET", "a", "1"),
                command("SET", "big", tooLarge), command("SET", "b", "2")));
        assertEquals(Reply.OK, replies.get(0));
        assertTrue(((Reply.Error) replies.get(1)).text().contains("big"), replies.get(1).toString());
        assertEquals(Reply.OK, replies.get(2));
        assertEquals("2", gateway.value("b"));
        assertNull(gateway.value("big"));
    }

    @Test
    void anUnavailableStoreAnswersEverySetOfTheBatchWithItsError() {
        gateway.failNext(1);
        List<Reply> replies = all(List.of(command("SET", "a", "1"), command("SET", "b", "2")));
        assertEquals(2, replies.size());
        assertEquals(replies.get(0), replies.get(1));
        assertTrue(replies.get(0) instanceof Reply.Error, replies.get(0).toString());
        assertNull(gateway.value("a"));
    }

    @Test
    void aRunOfPipelinedReadsSharesTheFirstReadsQuorumRoundAndAWriteEndsTheRun() {
        gateway.externalPut("a", "1");
        List<Reply> replies = all(List.of(command("GET", "a"), command("GET", "b"),
                command("MGET", "a", "b"), command("SET", "b", "2"), command("GET", "b"), command("EXISTS", "a")));
        assertEquals(List.of(Reply.bulk("1"), Reply.NULL, new Reply.Array(List.of(Reply.bulk("1"), Reply.NULL)), Reply.OK,
                Reply.bulk("2"), new Reply.Integer(1)), replies);
        assertEquals(List.of(ReadConsistency.LINEARIZABLE, ReadConsistency.STALE, ReadConsistency.STALE,
                ReadConsistency.STALE, ReadConsistency.LINEARIZABLE, ReadConsistency.STALE), gateway.readConsistencies);
        assertEquals(ReadConsistency.LINEARIZABLE, session.readConsistency(), "the barrier ends with the pipeline");
    }

    private List<Reply> all(List<List<byte[]>> commands) {
        List<Reply> replies = new ArrayList<>();
        dispatcher.dispatchAll(session, commands, replies::add);
        return replies;
    }

    private static List<byte[]> command(String... args) {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }
}
