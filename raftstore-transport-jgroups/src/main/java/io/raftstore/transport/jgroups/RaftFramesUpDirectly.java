package io.raftstore.transport.jgroups;

import org.jgroups.Message;
import org.jgroups.util.MaxOneThreadPerSender;
import org.jgroups.util.MessageBatch;

/**
 * JGroups' message processing policy with one change: RaftStore's frames are passed up on the thread that read
 * them from the socket, instead of being handed to a pool thread first. Everything else (views, merges, failure
 * detection, retransmissions) goes as before to JGroups' default policy, one pool thread per sender.
 *
 * <p>Why: a write is a chain of thread hand-offs (the loop, JGroups' sender, its reader, the pool, the next
 * node's loop), and message hops, not the disk, are most of a one-client write (docs/benchmarks.md, "Where one
 * client's write goes"). Skipping the pool saves one hand-off per message hop, two per replicated write;
 * measured in process, 6-9% more writes at 16 and 64 clients (docs/benchmarks.md, "What this afternoon changed").
 *
 * <p>Safe because what runs on the reader is short and never blocks: {@link JGroupsTransport}'s receiver unseals
 * and decodes the frame and queues it for the node's event loop (an unbounded queue), and a reply it may send is
 * queued for JGroups' sender, which never blocks either. A frame is recognised by its flags: RaftStore sends every
 * frame as a unicast with {@code NO_RELIABILITY} and without {@code OOB}; JGroups' own messages with
 * {@code NO_RELIABILITY} are all {@code OOB}. Frames from one peer stay in the order TCP delivered them, as the
 * reader takes one connection's messages one after another.
 *
 * <h2>Threads</h2>
 * Called by JGroups' reader threads (TCP_NIO2's selector) for every received message or batch.
 */
public final class RaftFramesUpDirectly extends MaxOneThreadPerSender {

    @Override
    public boolean process(Message msg, boolean oob) {
        if (isFrame(msg)) {
            tp.passMessageUp(msg, true, false, true);
            return true;
        }
        return super.process(msg, oob);
    }

    @Override
    public boolean process(MessageBatch batch, boolean oob) {
        if (!oob && batch.dest() != null && allFrames(batch)) {
            tp.passBatchUp(batch, true, true);
            return true;
        }
        return super.process(batch, oob);
    }

    /** What {@link JGroupsTransport} sends: a unicast with NO_RELIABILITY, not OOB. */
    static boolean isFrame(Message msg) {
        return msg.getDest() != null && framesFlags(msg);
    }

    private static boolean framesFlags(Message msg) {
        return msg.isFlagSet(Message.Flag.NO_RELIABILITY) && !msg.isFlagSet(Message.Flag.OOB);
    }

    /** A batch's messages carry its destination in the batch. */
    private static boolean allFrames(MessageBatch batch) {
        for (Message m : batch) {
            if (!framesFlags(m)) {
                return false;
            }
        }
        return true;
    }
}
