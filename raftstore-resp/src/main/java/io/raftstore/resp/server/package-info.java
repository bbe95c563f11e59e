/**
 * The Redis-protocol server: non-blocking sockets on one selector thread, each connection's commands run in
 * order on a worker pool (store calls block), replies written back as they are ready. Threads come from the
 * caller's {@link java.util.concurrent.ThreadFactory}, in the node the container's managed thread factory.
 */
package io.raftstore.resp.server;
