package io.raftstore.resp.server;

import io.raftstore.resp.command.Dispatcher;
import io.raftstore.resp.protocol.DecoderLimits;
import io.raftstore.resp.protocol.RespDecoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Redis-protocol server: one selector thread accepts, reads and decodes; a pool of workers runs each
 * connection's commands in order ({@link RespConnection}). Every thread comes from the given factory.
 *
 * <p>Lifecycle: {@link #start} binds and returns once the port accepts connections (so a node whose port is
 * taken fails at start with the port in its message); {@link #close} stops accepting, closes every connection
 * and stops the threads. Not restartable.
 */
public final class RespServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RespServer.class.getName());
    private static final byte[] TOO_MANY = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final RespServerSettings settings;
    private final Dispatcher dispatcher;
    private final DecoderLimits limits;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ThreadPoolExecutor workers;
    private final Set<RespConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread loop;
    private volatile boolean running = true;

    private RespServer(RespServerSettings settings, Dispatcher dispatcher, DecoderLimits limits, ThreadFactory threads)
            throws IOException {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(settings.host(), settings.port()), 256);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw new IOException("cannot listen for the Redis protocol on " + settings.host() + ":" + settings.port()
                    + " (" + e.getMessage() + "); free the port or set raftstore.resp.port", e);
        }
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        workers.allowCoreThreadTimeOut(true);
        this.loop = threads.newThread(this::run);
    }

    /** Binds and starts serving. */
    public static RespServer start(RespServerSettings settings, Dispatcher dispatcher, DecoderLimits limits,
            ThreadFactory threads) throws IOException {
        RespServer server = new RespServer(settings, dispatcher, limits, threads);
        server.loop.start();
        return server;
    }

    /** The bound address (the chosen port when the settings asked for 0). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    private void run() {
        ByteBuffer scratch = ByteBuffer.allocate(READ_BUFFER_BYTES);
        try {
            while (running) {
                selector.select();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    handle(key, scratch);
                }
            }
        } catch (ClosedSelectorException stopped) {
            // close() ran
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.log(Level.SEVERE, "the Redis-protocol server stopped unexpectedly", e);
            }
        }
    }

    private void handle(SelectionKey key, ByteBuffer scratch) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        RespConnection connection = (RespConnection) key.attachment();
        if (key.isReadable()) {
            connection.readable(scratch);
        }
        if (key.isValid() && key.isWritable()) {
            connection.writable();
        }
    }

    private void accept() {
        SocketChannel channel;
        try {
            channel = listener.accept();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "accepting a Redis-protocol connection failed", e);
            return;
        }
        if (channel == null) {
            return;
        }
        try {
            if (connections.size() >= settings.maxConnections()) {
                channel.write(ByteBuffer.wrap(TOO_MANY));
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            RespConnection connection = new RespConnection(channel, new RespDecoder(limits), dispatcher, workers,
                    connections::remove);
            connections.add(connection);
            connection.attach(channel.register(selector, SelectionKey.OP_READ, connection));
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RespConnection c : connections) {
            c.close();
        }
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the Redis-protocol listener", e);
        }
        workers.shutdownNow();
    }
}
