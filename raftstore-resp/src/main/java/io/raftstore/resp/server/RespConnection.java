package io.raftstore.resp.server;

import io.raftstore.resp.command.ClientSession;
import io.raftstore.resp.command.Dispatcher;
import io.raftstore.resp.protocol.Reply;
import io.raftstore.resp.protocol.ReplyEncoder;
import io.raftstore.resp.protocol.RespDecoder;
import io.raftstore.resp.protocol.RespProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection. The selector thread reads and decodes; a worker runs the decoded commands in order
 * (at most one worker per connection, so replies keep the commands' order) and writes the replies, leaving
 * what the socket does not take at once for the selector thread.
 *
 * <p>Threads: {@link #readable} and {@link #writable} on the selector thread only; {@link #work} on a worker.
 * Both sides share the queues under this object's lock, never held during a store call.
 *
 * <p>Back-pressure: a client that sends faster than the store answers, or does not read its replies, is no
 * longer read from while {@value #MAX_PENDING_COMMANDS} commands wait or {@value #MAX_QUEUED_REPLY_BYTES}
 * bytes of replies are unsent; its commands then wait in its own socket buffers, not in this server's memory.
 */
final class RespConnection {

    private static final Logger LOG = Logger.getLogger(RespConnection.class.getName());
    static final int MAX_PENDING_COMMANDS = 1024;
    static final int MAX_QUEUED_REPLY_BYTES = 4 << 20;

    private final SocketChannel channel;
    private final RespDecoder decoder;
    private final ClientSession session;
    private final Dispatcher dispatcher;
    private final Executor workers;
    private final Consumer<RespConnection> onClose;
    private SelectionKey key;

    // Guarded by this.
    private final ArrayDeque<List<byte[]>> pending = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private long queuedBytes;
    private boolean working;
    /** A malformed frame: answered after the commands before it, then the connection closes. */
    private RespProtocolException failure;
    private boolean inputEnded;
    private boolean closeAfterFlush;
    private boolean closed;

    RespConnection(SocketChannel channel, RespDecoder decoder, Dispatcher dispatcher, Executor workers,
            Consumer<RespConnection> onClose) {
        this.channel = channel;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.session = dispatcher.open();
        this.workers = workers;
        this.onClose = onClose;
    }

    synchronized void attach(SelectionKey selectionKey) {
        key = selectionKey;
    }

    /** Selector thread: the socket has bytes (or its end). {@code scratch} is reused; the decoder copies out. */
    void readable(ByteBuffer scratch) {
        scratch.clear();
        int read;
        try {
            read = channel.read(scratch);
        } catch (IOException e) {
            close();
            return;
        }
        if (read < 0) {
            synchronized (this) {
                inputEnded = true; // the client half-closed: answer what it sent, then close
                interest(SelectionKey.OP_READ, false);
                maybeFinish();
            }
            return;
        }
        scratch.flip();
        List<List<byte[]>> decoded = new ArrayList<>();
        RespProtocolException malformed = null;
        try {
            for (List<byte[]> command = decoder.next(scratch); command != null; command = decoder.next(scratch)) {
                decoded.add(command);
            }
        } catch (RespProtocolException e) {
            malformed = e;
        }
        synchronized (this) {
            pending.addAll(decoded);
            if (malformed != null) {
                failure = malformed;
                inputEnded = true;
            }
            if (inputEnded || pending.size() >= MAX_PENDING_COMMANDS) {
                interest(SelectionKey.OP_READ, false);
            }
            schedule();
        }
    }

    /** Selector thread: the socket takes bytes again. */
    synchronized void writable() {
        flush();
    }

    /** Worker: runs what is pending, in order, until nothing is (or the client must read first). */
    private void work() {
        while (true) {
            List<List<byte[]>> batch;
            RespProtocolException malformed = null;
            synchronized (this) {
                if (closed || queuedBytes >= MAX_QUEUED_REPLY_BYTES) {
                    working = false; // flush() schedules again once the client has read
                    return;
                }
                if (pending.isEmpty() && failure == null) {
                    working = false;
                    maybeFinish();
                    return;
                }
                batch = new ArrayList<>(pending);
                pending.clear();
                if (batch.isEmpty()) {
                    malformed = failure;
                    failure = null;
                }
                if (!inputEnded) {
                    interest(SelectionKey.OP_READ, true);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (malformed != null) {
                ReplyEncoder.encode(malformed.reply(), session.protocol(), out);
                send(out.toByteArray(), true);
                continue;
            }
            boolean broken = false;
            try {
                dispatcher.dispatchAll(session, batch, reply -> ReplyEncoder.encode(reply, session.protocol(), out));
            } catch (RuntimeException e) {
                // A fault of this server, not of the client's input: the replies of this batch can no longer be
                // matched to its commands, so the client gets the error and a closed connection (it reconnects).
                LOG.log(Level.WARNING, "a Redis-protocol command failed unexpectedly; closing the connection", e);
                ReplyEncoder.encode(Reply.error("ERR internal error (" + e + "); the connection is closed, reconnect"),
                        session.protocol(), out);
                broken = true;
            }
            send(out.toByteArray(), broken || session.closeRequested());
        }
    }

    private void send(byte[] bytes, boolean thenClose) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (thenClose) {
                closeAfterFlush = true;
                pending.clear(); // after QUIT or a malformed frame nothing more runs
                failure = null;
            }
            output.add(ByteBuffer.wrap(bytes));
            queuedBytes += bytes.length;
            flush();
        }
    }

    /** Writes what the socket takes now; the selector thread writes the rest when it can. Holding the lock. */
    private void flush() {
        try {
            while (!output.isEmpty()) {
                ByteBuffer head = output.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    interest(SelectionKey.OP_WRITE, true);
                    return;
                }
                output.poll();
                queuedBytes -= head.capacity();
            }
        } catch (IOException e) {
            close();
            return;
        }
        interest(SelectionKey.OP_WRITE, false);
        if (closeAfterFlush) {
            close();
            return;
        }
        schedule();
        maybeFinish();
    }

    /** Starts a worker when there is work and room for its replies, and none runs. Holding the lock. */
    private void schedule() {
        if (working || closed || queuedBytes >= MAX_QUEUED_REPLY_BYTES || pending.isEmpty() && failure == null) {
            return;
        }
        working = true;
        try {
            workers.execute(this::work);
        } catch (RejectedExecutionException stopping) {
            close();
        }
    }

    /** Closes a half-closed connection once everything it sent is answered. Holding the lock. */
    private void maybeFinish() {
        if (inputEnded && !working && pending.isEmpty() && failure == null && output.isEmpty()) {
            close();
        }
    }

    private void interest(int op, boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        try {
            int before = key.interestOps();
            int after = on ? before | op : before & ~op;
            if (after != before) {
                key.interestOps(after);
                key.selector().wakeup();
            }
        } catch (CancelledKeyException gone) {
            // closed meanwhile
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.clear();
        output.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do with a socket that failed to close
        }
        onClose.accept(this);
    }
}
