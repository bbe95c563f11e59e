/**
 * The Redis serialization protocol (RESP2, and RESP3 where a client asks for it with {@code HELLO 3}): an
 * incremental decoder of client commands that works on bytes as they arrive, with hard limits, and an
 * encoder of replies. No I/O and no threads: the server that owns the sockets feeds bytes in and writes the
 * encoded replies out.
 */
package io.raftstore.resp.protocol;
