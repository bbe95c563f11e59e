package io.raftstore.ejb.gateway;

import io.raftstore.api.ReadConsistency;
import io.raftstore.kv.KvCommand;
import io.raftstore.kv.KvLimits;
import io.raftstore.kv.KvResult;

/**
 * The node as the gateway needs it: the key-value commands of {@code raftstore-kv}. Implemented by the
 * node bean (called directly, not through the container: the bean is thread-safe) and, in tests, by a
 * single state machine. Failures arrive as {@link io.raftstore.node.RequestFailedException} (unavailable or
 * refused) or {@link io.raftstore.kv.KvValidationException} (the request breaks a limit).
 */
public interface KvNode {

    /** Replicates a write; {@code clientId} 0 means no client session. */
    KvResult write(KvCommand command, long clientId, long sequence);

    /** A Get or Scan at the given consistency (the API's: the node bean turns it into the engine's). */
    KvResult read(KvCommand query, ReadConsistency consistency);

    KvLimits limits();
}
